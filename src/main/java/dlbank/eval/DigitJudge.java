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
