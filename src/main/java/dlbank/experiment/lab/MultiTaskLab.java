package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.Predictions;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.ParameterCount;
import dlbank.train.FitLoop;
import dlbank.train.MultiTaskLoss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Multi-task learning with hard parameter sharing (Caruana, 1997, Multitask Learning): task/mnist-cnn's
 * network split into a shared trunk and two heads, the digit and a second label, against one network
 * per task. Where the trunk ends, the second task's loss weight and how related the second task is
 * are varied, to see which of them decides what sharing costs (Vandenhende et al., 2020, Branched
 * Multi-Task Networks: Deciding What Layers To Share; Kendall, Gal &amp; Cipolla, 2018).
 *
 * <p>The second labels: "top-heavy", 1 when the top half of the image holds more ink than the bottom
 * half, computed from the pixels, so that two 7s can differ and the digit does not give it away; and
 * "even", the digit's parity, which the digit decides, the most related task there is.
 */
public final class MultiTaskLab implements Experiment {

    public static final String ID = "lab/multi-task";
    /** The layers of task/mnist-cnn's network before its output, in order: where a trunk can end. */
    static final int AFTER_FIRST_CONV = 3;
    static final int AFTER_CONVS = 6;
    static final int AFTER_DENSE = 9;

    record Settings(int trainImages, int validationImages, int testImages, int epochs, int batchSize, float learningRate,
                    float heavyWeight) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(1_800, 200, 1_000, context.config().epochsOr(1), context.config().batchSizeOr(64), 1e-3f, 4f)
                    : new Settings(55_000, 5_000, 10_000, context.config().epochsOr(3), context.config().batchSizeOr(64),
                            1e-3f, 4f);
        }
    }

    /** A second task: its name and its label for each image. */
    record Task(String name, Function<ImageDataset, int[]> labels) {}

    static final Task TOP_HEAVY = new Task("top_heavy", MultiTaskLab::topHeavy);
    static final Task EVEN = new Task("even", set -> java.util.Arrays.stream(set.labelArray()).map(d -> d % 2 == 0 ? 1 : 0).toArray());

    /** One shared model: the second task, where the trunk ends (a layer index), and the second loss's weight. */
    record Setup(String name, Task task, int split, float weight) {}

    /** Test accuracy of each task, the parameters and the median seconds per epoch of one model. */
    record Outcome(double digitAccuracy, double secondAccuracy, long parameters, double seconds) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "one CNN, two heads (digit + top-heavy ink or parity): where the trunk ends, loss weights, relatedness";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/multi-task");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("top_heavy_accuracy_shared_convs", "top_heavy_accuracy_single", "top_heavy_accuracy_shared_first_conv",
                "even_accuracy_shared_convs", "even_accuracy_single");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset train = all.head(settings.trainImages());
        ImageDataset validation = all.range(train.size(), Math.min(all.size(), train.size() + settings.validationImages()));
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        List<Setup> setups = List.of(new Setup("shared_convs", TOP_HEAVY, AFTER_CONVS, 1f),
                new Setup("shared_first_conv", TOP_HEAVY, AFTER_FIRST_CONV, 1f),
                new Setup("shared_dense", TOP_HEAVY, AFTER_DENSE, 1f),
                new Setup(String.format("shared_convs_weight%.0f", settings.heavyWeight()), TOP_HEAVY, AFTER_CONVS,
                        settings.heavyWeight()),
                new Setup("shared_convs", EVEN, AFTER_CONVS, 1f));
        Result.Builder result = Result.builder().config("network", "task/mnist-cnn's: conv32-pool-conv64-pool-dense64, then an output per task")
                .config("splits", "the trunk ends after the first conv stage, after both (the usual), or after dense 64")
                .config("loss", "cross-entropy + binary cross-entropy of the second task, weight 1 or " + settings.heavyWeight())
                .config("top_heavy", "1 when the top 14 rows hold more ink (summed pixel values) than the bottom 14")
                .config("even", "1 when the digit is even")
                .config("epochs", settings.epochs()).config("batch_size", settings.batchSize());
        result.metric("top_heavy_share_test", java.util.Arrays.stream(topHeavy(test)).average().orElse(0));
        warmUp(context, settings, train);
        context.info("== the digit alone (task/mnist-cnn's network)");
        Outcome digit = train(context, settings, null, null, train, validation, test);
        result.metric("digit_accuracy_single", digit.digitAccuracy()).metric("parameters_single", digit.parameters())
                .metric("epoch_seconds_digit_single", digit.seconds());
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (Task task : List.of(TOP_HEAVY, EVEN)) {
            context.info("== " + task.name() + " alone");
            Outcome alone = train(context, settings, task, null, train, validation, test);
            result.metric(task.name() + "_accuracy_single", alone.secondAccuracy())
                    .metric("parameters_" + task.name() + "_single", alone.parameters())
                    .metric("epoch_seconds_" + task.name() + "_single", alone.seconds());
        }
        for (Setup setup : setups) {
            context.info(String.format("== shared trunk up to layer %d, digit + %s, weight %.0f", setup.split(),
                    setup.task().name(), setup.weight()));
            Outcome shared = train(context, settings, setup.task(), setup, train, validation, test);
            outcomes.put(setup.task().name() + "_" + setup.name(), shared);
            result.metric("digit_accuracy_" + setup.task().name() + "_" + setup.name(), shared.digitAccuracy())
                    .metric(setup.task().name() + "_accuracy_" + setup.name(), shared.secondAccuracy())
                    .metric("parameters_" + setup.task().name() + "_" + setup.name(), shared.parameters())
                    .metric("epoch_seconds_" + setup.task().name() + "_" + setup.name(), shared.seconds());
            context.info(String.format("digit %.4f (alone %.4f), %s %.4f, %,d parameters, %.1f s per epoch",
                    shared.digitAccuracy(), digit.digitAccuracy(), setup.task().name(), shared.secondAccuracy(),
                    shared.parameters(), shared.seconds()));
        }
        result.metric("parameters_trunk", trunkParameters());
        MultiTaskClaims.add(result, context.quick(), settings);
        return result.build();
    }

    /** Layers {@code from} to {@code to} (exclusive) of task/mnist-cnn's network, then {@code outputs} logits if > 0. */
    static SequentialBlock layers(int from, int to, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int i = from; i < to; i++) {
            switch (i) {
                case 0 -> block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build()); // (B, 32, 26, 26)
                case 3 -> block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build()); // (B, 64, 11, 11)
                case 1, 4, 8 -> block.add(Activation::relu);
                case 2, 5 -> block.add(Pool.maxPool2dBlock(new Shape(2, 2)));
                case 6 -> block.add(Blocks.batchFlattenBlock());                                             // (B, 1600)
                case 7 -> block.add(Linear.builder().setUnits(64).build());                                  // (B, 64)
                default -> throw new IllegalArgumentException("no layer " + i);
            }
        }
        return outputs > 0 ? block.add(Linear.builder().setUnits(outputs).build()) : block;
    }

    /** The trunk up to {@code split}, then both heads side by side: (B, 11) = 10 digit logits, 1 second-task logit. */
    static SequentialBlock shared(int split) {
        return layers(0, split, 0).add(new ParallelBlock(
                heads -> new NDList(NDArrays.concat(new NDList(heads.get(0).singletonOrThrow(), heads.get(1).singletonOrThrow()), 1)),
                List.of(layers(split, AFTER_DENSE, 10), layers(split, AFTER_DENSE, 1))));
    }

    private static long trunkParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock trunk = layers(0, AFTER_CONVS, 0);
            trunk.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, 28, 28));
            return ParameterCount.of(trunk);
        }
    }

    /** 1 when the top half of the image holds more ink than the bottom half, else 0. */
    static int[] topHeavy(ImageDataset set) {
        int[] labels = new int[set.size()];
        int half = set.height() / 2 * set.width();
        for (int i = 0; i < set.size(); i++) {
            long top = 0;
            long bottom = 0;
            for (int p = 0; p < set.pixelsPerImage(); p++) {
                int value = set.pixels()[i * set.pixelsPerImage() + p] & 0xff;
                if (p < half) {
                    top += value;
                } else {
                    bottom += value;
                }
            }
            labels[i] = top > bottom ? 1 : 0;
        }
        return labels;
    }

    /**
     * Trains one network: the digit alone (task null), the second task alone (setup null), or both on a
     * shared trunk; returns each task's test accuracy (NaN where it has no head).
     */
    private static Outcome train(RunContext context, Settings settings, Task task, Setup setup, ImageDataset train,
                                 ImageDataset validation, ImageDataset test) {
        boolean both = setup != null;
        boolean digitOnly = task == null;
        Loss loss = both ? new MultiTaskLoss(10, setup.weight())
                : digitOnly ? Loss.softmaxCrossEntropyLoss() : Loss.sigmoidBinaryCrossEntropyLoss();
        SequentialBlock block = both ? shared(setup.split()) : layers(0, AFTER_DENSE, digitOnly ? 10 : 1);
        String name = both ? task.name() + "-" + setup.name() : digitOnly ? "digit" : task.name();
        try (LabTraining.Classifier model = LabTraining.classifier(context, name, block, loss, settings.learningRate(),
                settings.batchSize())) {
            NDManager manager = model.manager();
            FitLoop.Scorer scorer = both ? ((MultiTaskLoss) loss).firstHeadScorer()
                    : digitOnly ? FitLoop.argmaxScorer() : FitLoop.binaryLogitScorer();
            FitLoop.Outcome outcome = model.loop(scorer).fit(
                    new FitLoop.Data(train.images(manager), labels(train, task, both, manager)),
                    new FitLoop.Data(validation.images(manager), labels(validation, task, both, manager)),
                    new FitLoop.Settings(settings.epochs(), settings.batchSize(), context.config().seed(), 0,
                            context.checkpointDir().resolve(name), context.resume()));
            float[][] out = Predictions.outputs(model.block(), manager, test.images(manager), 1000);
            int[] digits = test.labelArray();
            int[] second = task == null ? null : task.labels().apply(test);
            int digitCorrect = 0;
            int secondCorrect = 0;
            for (int i = 0; i < out.length; i++) {
                if (both || digitOnly) {
                    digitCorrect += Predictions.argmax(new float[][] {java.util.Arrays.copyOf(out[i], 10)})[0] == digits[i] ? 1 : 0;
                }
                if (!digitOnly) {
                    secondCorrect += (out[i][both ? 10 : 0] > 0 ? 1 : 0) == second[i] ? 1 : 0;
                }
            }
            return new Outcome(both || digitOnly ? (double) digitCorrect / out.length : Double.NaN,
                    digitOnly ? Double.NaN : (double) secondCorrect / out.length, ParameterCount.of(model.block()),
                    medianSeconds(outcome));
        }
    }

    /** The labels a network trains on: the digit (N), the second label (N), or both (N, 2). */
    private static NDArray labels(ImageDataset set, Task task, boolean both, NDManager manager) {
        if (task == null) {
            return set.labels(manager);
        }
        int[] second = task.labels().apply(set);
        float[] rows = new float[(both ? 2 : 1) * set.size()];
        for (int i = 0; i < set.size(); i++) {
            if (both) {
                rows[2 * i] = set.label(i);
                rows[2 * i + 1] = second[i];
            } else {
                rows[i] = second[i];
            }
        }
        return manager.create(rows, both ? new Shape(set.size(), 2) : new Shape(set.size()));
    }

    /**
     * One untimed epoch on 1,000 images of a throwaway network, so that the engine's one-time start-up
     * costs (kernel selection, JIT) are not charged to whichever network is timed first.
     */
    private static void warmUp(RunContext context, Settings settings, ImageDataset train) {
        ImageDataset few = train.head(1_000);
        try (LabTraining.Classifier model = LabTraining.classifier(context, "warm-up", layers(0, AFTER_DENSE, 10),
                Loss.softmaxCrossEntropyLoss(), settings.learningRate(), settings.batchSize())) {
            NDManager manager = model.manager();
            FitLoop.Data data = new FitLoop.Data(few.images(manager), few.labels(manager));
            new FitLoop(model.trainer(), model.optimizer(), null, dlbank.experiment.ProgressSink.silent(), "img")
                    .fit(data, data, new FitLoop.Settings(1, settings.batchSize(), 0, 0, null, false));
        }
    }

    /**
     * Seconds per epoch, the median over the epochs: on a shared machine one epoch can be slowed by
     * another process, and the median keeps that out.
     */
    private static double medianSeconds(FitLoop.Outcome outcome) {
        double[] epochs = outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).sorted().toArray();
        int n = epochs.length;
        return n % 2 == 1 ? epochs[n / 2] : (epochs[n / 2 - 1] + epochs[n / 2]) / 2;
    }
}
