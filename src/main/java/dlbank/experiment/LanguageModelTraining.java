package dlbank.experiment;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import dlbank.data.BytePairEncoding;
import dlbank.data.ImdbDataset.Review;
import dlbank.data.ImdbSplit;
import dlbank.model.Transformer;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;
import dlbank.train.TokenLoss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the Transformer labs share: the IMDb reviews as one stream of byte-pair tokens (each review
 * after an end-of-text token), cut into windows, and a {@link Transformer} trained on them with the fit
 * loop (next-token or masked-token targets), Adam with warm-up and a cosine decay.
 */
public final class LanguageModelTraining {

    private LanguageModelTraining() {}

    /**
     * The reviews as token streams.
     *
     * @param train every training review's tokens, each after an end-of-text token
     * @param heldOut the same for the held-out reviews, never trained on
     * @param heldOutTexts the held-out reviews, normalised
     * @param trainTexts the training reviews, normalised
     */
    public record Corpus(BytePairEncoding encoding, int[] train, int[] heldOut, List<String> trainTexts,
                         List<String> heldOutTexts, String description) {}

    /**
     * All reviews of the data set (both halves of the classifiers' split: a language model needs no
     * labels) but the last {@code heldOutReviews} of the test half, which are held out; the encoding
     * is learned from the first {@code encodingReviews} training reviews.
     */
    public static Corpus prepare(RunContext context, int vocabulary, int heldOutReviews, int encodingReviews) {
        long begin = System.nanoTime();
        ImdbSplit split = ImdbSplit.load(context.dataHome(), context::info);
        List<Review> test = split.test();
        int held = Math.min(heldOutReviews, test.size() / 2);
        List<String> trainTexts = new ArrayList<>();
        split.train().forEach(review -> trainTexts.add(BytePairEncoding.normalize(review.text())));
        test.subList(0, test.size() - held).forEach(review -> trainTexts.add(BytePairEncoding.normalize(review.text())));
        List<String> heldOutTexts = test.subList(test.size() - held, test.size()).stream()
                .map(review -> BytePairEncoding.normalize(review.text())).toList();
        BytePairEncoding encoding = BytePairEncoding.train(trainTexts.subList(0, Math.min(encodingReviews, trainTexts.size())),
                vocabulary);
        int[] train = stream(encoding, trainTexts);
        int[] heldOut = stream(encoding, heldOutTexts);
        String description = String.format(java.util.Locale.ROOT, "%,d reviews (%,d tokens) to train on, %,d held out "
                        + "(%,d tokens); byte-pair encoding of %,d ids learned from %,d reviews",
                trainTexts.size(), train.length, held, heldOut.length, encoding.size(),
                Math.min(encodingReviews, trainTexts.size()));
        context.info(description + String.format(java.util.Locale.ROOT, ", %.1f s", (System.nanoTime() - begin) / 1e9));
        return new Corpus(encoding, train, heldOut, List.copyOf(trainTexts), heldOutTexts, description);
    }

    /** The texts' tokens as one stream, each text after an end-of-text token. */
    public static int[] stream(BytePairEncoding encoding, List<String> normalizedTexts) {
        int[] out = new int[1024];
        int n = 0;
        for (String text : normalizedTexts) {
            int[] ids = encoding.encodeNormalized(text);
            if (n + ids.length + 1 > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length + 1));
            }
            out[n++] = encoding.endOfText();
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Non-overlapping windows of {@code length + 1} tokens, at most {@code count} of them (a seeded
     * choice when there are more), as next-token data: inputs the first {@code length} tokens of each
     * window, labels the last {@code length}. Rows (windows, length) of ids.
     */
    public static int[][] windows(int[] stream, int length, int count, long seed) {
        int available = (stream.length - 1) / length;
        int[] starts = new int[available];
        for (int i = 0; i < available; i++) {
            starts[i] = i * length;
        }
        if (count < available) {
            long[] order = FitLoop.shuffledOrder(available, seed, 0);
            int[] chosen = new int[count];
            for (int i = 0; i < count; i++) {
                chosen[i] = starts[(int) order[i]];
            }
            Arrays.sort(chosen);
            starts = chosen;
        }
        int[][] rows = new int[starts.length][];
        for (int i = 0; i < starts.length; i++) {
            rows[i] = Arrays.copyOfRange(stream, starts[i], starts[i] + length + 1);
        }
        return rows;
    }

    /** Next-token data from windows of length + 1: inputs (N, length), labels (N, length). */
    public static FitLoop.Data nextTokenData(NDManager manager, int[][] windows) {
        int length = windows[0].length - 1;
        int[] inputs = new int[windows.length * length];
        int[] labels = new int[windows.length * length];
        for (int i = 0; i < windows.length; i++) {
            System.arraycopy(windows[i], 0, inputs, i * length, length);
            System.arraycopy(windows[i], 1, labels, i * length, length);
        }
        return new FitLoop.Data(manager.create(inputs, new Shape(windows.length, length)),
                manager.create(labels, new Shape(windows.length, length)));
    }

    /**
     * How one model is trained.
     *
     * @param warmupSteps the learning rate rises linearly over these steps, then falls along half a
     *                    cosine to a tenth of it by the last step; 0 = constant rate
     */
    public record Settings(int epochs, int batchSize, float learningRate, int warmupSteps) {}

    /** A model in training: close it when done. */
    public record Trained(Model model, Trainer trainer, FitLoop.Outcome outcome, double seconds) implements AutoCloseable {
        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /**
     * Trains a Transformer on the data (targets -1 are not predicted) with the fit loop, seeded by the
     * run's seed; weights start from N(0, 0.02²) as in GPT-2, norms at scale 1 and shift 0.
     */
    public static Trained train(RunContext context, Transformer.Config config, FitLoop.Data train, FitLoop.Data validation,
                                Settings settings, String name) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        int steps = (int) (settings.epochs() * ((train.size() + settings.batchSize() - 1) / settings.batchSize()));
        CheckpointedAdam optimizer = new CheckpointedAdam(settings.learningRate(), 1f)
                .withSchedule(schedule(settings.warmupSteps(), steps));
        Model model = Model.newInstance("transformer-" + name, context.device());
        model.setBlock(new Transformer(config));
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new TokenLoss()).optOptimizer(optimizer)
                .optInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT)
                .optDevices(new ai.djl.Device[] {context.device()}));
        try {
            trainer.initialize(new Shape(settings.batchSize(), train.inputs().getShape().get(1)));
            FitLoop loop = new FitLoop(trainer, optimizer, TokenLoss.scorer(), context.progress(), "seq");
            FitLoop.Outcome outcome = loop.fit(train, validation, new FitLoop.Settings(settings.epochs(),
                    settings.batchSize(), context.config().seed(), 0, context.checkpointDir().resolve(name),
                    context.resume()));
            double seconds = outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).sum();
            return new Trained(model, trainer, outcome, seconds);
        } catch (RuntimeException e) {
            trainer.close();
            model.close();
            throw e;
        }
    }

    /** Linear warm-up over {@code warmup} steps, then half a cosine from 1 down to 0.1 at {@code total}. */
    public static CheckpointedAdam.LearningRateSchedule schedule(int warmup, int total) {
        if (warmup <= 0) {
            return step -> 1f;
        }
        return step -> {
            if (step <= warmup) {
                return (float) step / warmup;
            }
            double progress = Math.min(1.0, (double) (step - warmup) / Math.max(1, total - warmup));
            return (float) (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
        };
    }

    /** Mean cross-entropy in nats per predicted token of a model on data, in inference mode. */
    public static double meanTokenLoss(Model model, FitLoop.Data data, int batchSize) {
        TokenLoss loss = new TokenLoss();
        double total = 0;
        double counted = 0;
        for (long from = 0; from < data.size(); from += batchSize) {
            long to = Math.min(data.size(), from + batchSize);
            try (NDManager batch = model.getNDManager().newSubManager()) {
                NDIndex rows = new NDIndex().addSliceDim(from, to);
                NDArray x = data.inputs().get(batch, rows);
                NDArray y = data.labels().get(batch, rows);
                NDArray logits = model.getBlock().forward(new ParameterStore(batch, false), new NDList(x), false)
                        .singletonOrThrow();
                double targets = y.gte(0).sum().getLong();
                total += loss.evaluate(new NDList(y), new NDList(logits)).getFloat() * targets;
                counted += targets;
            }
        }
        return total / counted;
    }

    /**
     * The same for a unigram model (every token predicted by its frequency in the training stream,
     * add-one smoothed), on the labels of {@code windows}: the baseline a language model must beat.
     */
    public static double unigramTokenLoss(int[] train, int[][] windows, int vocabulary) {
        long[] counts = new long[vocabulary];
        for (int id : train) {
            counts[id]++;
        }
        double total = train.length + vocabulary;
        double loss = 0;
        long n = 0;
        for (int[] window : windows) {
            for (int t = 1; t < window.length; t++) {
                loss -= Math.log((counts[window[t]] + 1) / total);
                n++;
            }
        }
        return loss / n;
    }
}
