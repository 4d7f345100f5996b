package dlbank.eval;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.MnistCnn;
import dlbank.model.SavedModel;

import java.nio.file.Path;
import java.util.List;

/**
 * A trained MNIST classifier used to judge generated digits: how confidently it reads each one, how
 * evenly the digits spread over the ten classes, and (through its 64 penultimate features) how far
 * the generated images lie from real ones by the Fréchet distance (the FID recipe of Heusel et al.,
 * 2017, with this small CNN in place of Inception).
 */
public final class DigitJudge implements AutoCloseable {

    /** Children of the MNIST CNN up to and including the ReLU after dense-64: the feature extractor. */
    private static final int FEATURE_LAYERS = 9;
    public static final int FEATURES = 64;

    private final Model model;

    private DigitJudge(Model model) {
        this.model = model;
    }

    public static DigitJudge load(Path modelDir, Device device) {
        return new DigitJudge(SavedModel.load(modelDir, MnistCnnTask.ARCHITECTURE, MnistCnn::build, device));
    }

    /**
     * @param probabilities (N x 10) softmax outputs
     * @param features (N x 64) flat, row-major penultimate activations
     */
    public record Reading(float[][] probabilities, float[] features) {
        public int size() {
            return probabilities.length;
        }
    }

    /** Reads images (N, 1, 28, 28) with values in [0, 1], as MNIST's are. */
    public Reading read(NDArray images) {
        int n = (int) images.getShape().get(0);
        float[][] probabilities = new float[n][];
        float[] features = new float[n * FEATURES];
        List<Block> layers = model.getBlock().getChildren().values();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < n; from += 1000) {
                int to = Math.min(n, from + 1000);
                try (NDManager batch = manager.newSubManager()) {
                    NDList x = new NDList(images.get(batch, new NDIndex().addSliceDim(from, to)));
                    for (int i = 0; i < layers.size(); i++) {
                        x = layers.get(i).forward(store, x, false);
                        if (i == FEATURE_LAYERS - 1) {
                            System.arraycopy(x.singletonOrThrow().toFloatArray(), 0, features, from * FEATURES,
                                    (to - from) * FEATURES);
                        }
                    }
                    float[] flat = x.singletonOrThrow().softmax(1).toFloatArray();
                    for (int i = 0; i < to - from; i++) {
                        probabilities[from + i] = java.util.Arrays.copyOfRange(flat, i * 10, (i + 1) * 10);
                    }
                }
            }
        }
        return new Reading(probabilities, features);
    }

    /**
     * The judge's figures for generated digits, beside the reference of real digits: the share read
     * with confidence above 0.9, the entropy of the classes read, and the Fréchet distance to the real
     * test digits, on all samples and at the reference's own sizes (the samples' first half against
     * the test set's second half, as the real reference is its first half against its second half),
     * since an estimated Fréchet distance shrinks as the sets grow. Named as every generative
     * experiment reports them, so that their runs compare side by side.
     *
     * <p>The two halves of MNIST's test set are not drawn alike: the first 5,000 digits come from
     * NIST's training set and are cleaner, the last 5,000 from NIST's test set (LeCun et al., MNIST
     * database page), so most of the first-against-second-half distance is that difference, not
     * sampling noise. The interleaved figures compare like with like: the samples' first half against
     * the odd-numbered test digits, and the even-numbered against the odd-numbered as the reference
     * (both mix the two sources equally).
     */
    public record Verdict(int samples, int half, double confidentShare, double classEntropy, double frechet, double frechetHalf,
                          double confidentShareReal, double classEntropyReal, double frechetReal,
                          double frechetHalfInterleaved, double frechetRealInterleaved) {

        public static Verdict of(Reading samples, Reading test) {
            int half = test.size() / 2;
            float[][] firstHalf = java.util.Arrays.copyOf(test.probabilities(), half);
            float[] featuresA = java.util.Arrays.copyOf(test.features(), half * FEATURES);
            float[] featuresB = java.util.Arrays.copyOfRange(test.features(), half * FEATURES, 2 * half * FEATURES);
            int compared = Math.min(half, samples.size()) * FEATURES; // fewer samples in quick mode
            float[] even = new float[half * FEATURES];
            float[] odd = new float[half * FEATURES];
            for (int i = 0; i < half; i++) {
                System.arraycopy(test.features(), 2 * i * FEATURES, even, i * FEATURES, FEATURES);
                System.arraycopy(test.features(), (2 * i + 1) * FEATURES, odd, i * FEATURES, FEATURES);
            }
            float[] samplesHalf = java.util.Arrays.copyOf(samples.features(), compared);
            return new Verdict(samples.size(), half, DigitJudge.confidentShare(samples.probabilities(), 0.9),
                    DigitJudge.classEntropy(samples.probabilities()),
                    FrechetDistance.between(samples.features(), test.features(), FEATURES),
                    FrechetDistance.between(samplesHalf, java.util.Arrays.copyOf(featuresB, compared), FEATURES),
                    DigitJudge.confidentShare(firstHalf, 0.9), DigitJudge.classEntropy(firstHalf),
                    FrechetDistance.between(featuresA, featuresB, FEATURES),
                    FrechetDistance.between(samplesHalf, java.util.Arrays.copyOf(odd, compared), FEATURES),
                    FrechetDistance.between(even, odd, FEATURES));
        }

        /** The figures under the metric names task/mnist-gan, lab/vae and lab/diffusion share. */
        public java.util.Map<String, Double> metrics() {
            java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>();
            metrics.put("judge_confident_share", confidentShare);
            metrics.put("judge_class_entropy", classEntropy);
            metrics.put("frechet_distance", frechet);
            metrics.put("frechet_distance_half", frechetHalf);
            metrics.put("judge_confident_share_real", confidentShareReal);
            metrics.put("judge_class_entropy_real", classEntropyReal);
            metrics.put("frechet_distance_real", frechetReal);
            metrics.put("frechet_distance_half_interleaved", frechetHalfInterleaved);
            metrics.put("frechet_distance_real_interleaved", frechetRealInterleaved);
            metrics.put("samples_judged", (double) samples);
            return metrics;
        }

        /**
         * A small table: the samples, half of them, and the real reference; the last column is the
         * Fréchet distance with the test set split into even- and odd-numbered digits.
         */
        public String table(String what) {
            return String.format("%-22s %16s %14s %10s %12s%n%-22s %16.4f %14.4f %10.2f%n%-22s %16s %14s %10.2f %12.2f%n"
                            + "%-22s %16.4f %14.4f %10.2f %12.2f",
                    "", "confident > 0.9", "class entropy", "Fréchet", "interleaved",
                    String.format("%,d %s", samples, what), confidentShare, classEntropy, frechet,
                    String.format("%,d of them", Math.min(half, samples)), "", "", frechetHalf, frechetHalfInterleaved,
                    String.format("%,d real (test)", half), confidentShareReal,
                    classEntropyReal, frechetReal, frechetRealInterleaved);
        }
    }

    /** The share of images whose most likely class has a probability above {@code threshold}. */
    public static double confidentShare(float[][] probabilities, double threshold) {
        long confident = 0;
        for (float[] row : probabilities) {
            float max = 0;
            for (float p : row) {
                max = Math.max(max, p);
            }
            confident += max > threshold ? 1 : 0;
        }
        return (double) confident / probabilities.length;
    }

    /**
     * The entropy (in nats) of the distribution of predicted classes: ln 10 = 2.303 when every digit
     * is drawn equally often, 0 when all images are read as one digit (mode collapse across classes;
     * a collapse within one class does not show here, the Fréchet distance sees that).
     */
    public static double classEntropy(float[][] probabilities) {
        int[] counts = new int[10];
        for (int c : Predictions.argmax(probabilities)) {
            counts[c]++;
        }
        double entropy = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / probabilities.length;
                entropy -= p * Math.log(p);
            }
        }
        return entropy;
    }

    @Override
    public void close() {
        model.close();
    }
}
