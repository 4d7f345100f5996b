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
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.ParameterCount;
import dlbank.train.FitLoop;
import dlbank.train.MultiTaskLoss;

import java.util.List;

/**
 * Multi-task learning with hard parameter sharing (Caruana, 1997, Multitask Learning): one
 * convolutional trunk (task/mnist-cnn's two convolution stages) with two heads (each dense 64, then
 * its output), the digit and "is there more ink in the top half than in the bottom half", against
 * one network per task, each with its own trunk: for the digit, exactly task/mnist-cnn's network.
 *
 * <p>The second label is computed from the pixels, not from the digit: two 7s can differ, so the
 * second head has to read something the digit head does not give away (a parity or "greater than 4"
 * label would be a function of the digit, and a shared trunk would have nothing to share). Both
 * tasks read the layout of the strokes, so they are related.
 */
public final class MultiTaskLab implements Experiment {

    public static final String ID = "lab/multi-task";

    record Settings(int trainImages, int validationImages, int testImages, int epochs, int batchSize, float learningRate) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(1_800, 200, 1_000, context.config().epochsOr(2), context.config().batchSizeOr(64), 1e-3f)
                    : new Settings(55_000, 5_000, 10_000, context.config().epochsOr(3), context.config().batchSizeOr(64), 1e-3f);
        }
    }

    /** Test accuracy of each task, the parameters and the training seconds of one setup. */
    record Outcome(double digitAccuracy, double topAccuracy, long parameters, double seconds) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "one shared CNN trunk with two heads (digit, top-heavy ink) vs two single-task networks";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/multi-task");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("digit_accuracy_shared", "top_heavy_accuracy_shared", "digit_accuracy_single", "top_heavy_accuracy_single");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset train = all.head(settings.trainImages());
        ImageDataset validation = all.range(train.size(), Math.min(all.size(), train.size() + settings.validationImages()));
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        Result.Builder result = Result.builder().config("trunk", "conv32-pool-conv64-pool (task/mnist-cnn's convolution stages)")
                .config("heads", "digit: dense 64, dense 10, softmax; top-heavy: dense 64, dense 1, sigmoid").config("loss", "cross-entropy + binary cross-entropy, weights 1 and 1")
                .config("second_label", "1 when the top 14 rows hold more ink (summed pixel values) than the bottom 14")
                .config("epochs", settings.epochs()).config("batch_size", settings.batchSize());
        int[] topTest = topHeavy(test);
        double topShare = java.util.Arrays.stream(topTest).average().orElse(0);
        context.info(String.format("top-heavy images: %.1f%% of the test set", 100 * topShare));

        warmUp(context, settings, train);
        context.info("== shared trunk, two heads");
        Outcome shared = trainShared(context, settings, train, validation, test, topTest);
        context.info("== digit alone");
        Outcome digit = trainSingle(context, settings, train, validation, test, topTest, true);
        context.info("== top-heavy alone");
        Outcome top = trainSingle(context, settings, train, validation, test, topTest, false);
        long trunk = digit.parameters() + top.parameters() - shared.parameters();
        result.metric("digit_accuracy_shared", shared.digitAccuracy()).metric("top_heavy_accuracy_shared", shared.topAccuracy())
                .metric("digit_accuracy_single", digit.digitAccuracy()).metric("top_heavy_accuracy_single", top.topAccuracy())
                .metric("top_heavy_share_test", topShare)
                .metric("parameters_shared", shared.parameters()).metric("parameters_two_single", digit.parameters() + top.parameters())
                .metric("parameters_trunk", trunkParameters()).metric("parameters_saved", trunk)
                .metric("epoch_seconds_shared", shared.seconds()).metric("epoch_seconds_two_single", digit.seconds() + top.seconds());
        context.info(String.format("%-22s %10s %10s %12s %10s%n%-22s %10.4f %10.4f %,12d %10.1f%n%-22s %10.4f %10.4f %,12d %10.1f",
                "", "digit", "top-heavy", "parameters", "s/epoch",
                "shared trunk", shared.digitAccuracy(), shared.topAccuracy(), shared.parameters(), shared.seconds(),
                "two single-task", digit.digitAccuracy(), top.topAccuracy(), digit.parameters() + top.parameters(),
                digit.seconds() + top.seconds()));
        addClaims(result, context.quick(), shared, digit, top, topShare);
        return result.build();
    }

    /** conv32-pool-conv64-pool, (B, 1, 28, 28) -> (B, 1600). */
    static SequentialBlock trunk() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build()).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build()).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock());
    }

    /** dense 64 with ReLU, then {@code outputs} logits: (B, 1600) -> (B, outputs). */
    static SequentialBlock head(int outputs) {
        return new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(outputs).build());
    }

    /** One task's own network: the trunk and its head (for the digit, task/mnist-cnn's network). */
    static SequentialBlock single(int outputs) {
        return trunk().add(head(outputs));
    }

    /** The trunk, then both heads side by side: (B, 11) = 10 digit logits, 1 top-heavy logit. */
    static SequentialBlock shared() {
        return trunk().add(new ParallelBlock(
                heads -> new NDList(NDArrays.concat(new NDList(heads.get(0).singletonOrThrow(), heads.get(1).singletonOrThrow()), 1)),
                List.of(head(10), head(1))));
    }

    private static long trunkParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock trunk = trunk();
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

    /** (N, 2): the digit, then the top-heavy label. */
    private static NDArray bothLabels(ImageDataset set, NDManager manager) {
        int[] top = topHeavy(set);
        float[] rows = new float[2 * set.size()];
        for (int i = 0; i < set.size(); i++) {
            rows[2 * i] = set.label(i);
            rows[2 * i + 1] = top[i];
        }
        return manager.create(rows, new Shape(set.size(), 2));
    }

    private static Outcome trainShared(RunContext context, Settings settings, ImageDataset train, ImageDataset validation,
                                       ImageDataset test, int[] topTest) {
        MultiTaskLoss loss = new MultiTaskLoss(10, 1f);
        try (LabTraining.Classifier model = LabTraining.classifier(context, "multi-task", shared(), loss,
                settings.learningRate(), settings.batchSize())) {
            NDManager manager = model.manager();
            FitLoop.Outcome outcome = model.loop(loss.firstHeadScorer()).fit(
                    new FitLoop.Data(train.images(manager), bothLabels(train, manager)),
                    new FitLoop.Data(validation.images(manager), bothLabels(validation, manager)),
                    fitSettings(context, settings, "shared"));
            float[][] out = Predictions.outputs(model.block(), manager, test.images(manager), 1000);
            int[] labels = test.labelArray();
            int digitCorrect = 0;
            int topCorrect = 0;
            for (int i = 0; i < out.length; i++) {
                digitCorrect += Predictions.argmax(new float[][] {java.util.Arrays.copyOf(out[i], 10)})[0] == labels[i] ? 1 : 0;
                topCorrect += (out[i][10] > 0 ? 1 : 0) == topTest[i] ? 1 : 0;
            }
            return new Outcome((double) digitCorrect / out.length, (double) topCorrect / out.length,
                    ParameterCount.of(model.block()), seconds(outcome));
        }
    }

    private static Outcome trainSingle(RunContext context, Settings settings, ImageDataset train, ImageDataset validation,
                                       ImageDataset test, int[] topTest, boolean digit) {
        SequentialBlock block = single(digit ? 10 : 1);
        Loss loss = digit ? Loss.softmaxCrossEntropyLoss() : Loss.sigmoidBinaryCrossEntropyLoss();
        try (LabTraining.Classifier model = LabTraining.classifier(context, digit ? "digit" : "top-heavy", block, loss,
                settings.learningRate(), settings.batchSize())) {
            NDManager manager = model.manager();
            FitLoop.Outcome outcome = model.loop(digit ? FitLoop.argmaxScorer() : FitLoop.binaryLogitScorer()).fit(
                    new FitLoop.Data(train.images(manager), digit ? train.labels(manager) : topLabels(train, manager)),
                    new FitLoop.Data(validation.images(manager), digit ? validation.labels(manager) : topLabels(validation, manager)),
                    fitSettings(context, settings, digit ? "digit" : "top-heavy"));
            float[][] out = Predictions.outputs(model.block(), manager, test.images(manager), 1000);
            int[] truth = digit ? test.labelArray() : topTest;
            int correct = 0;
            for (int i = 0; i < out.length; i++) {
                int predicted = digit ? Predictions.argmax(new float[][] {out[i]})[0] : out[i][0] > 0 ? 1 : 0;
                correct += predicted == truth[i] ? 1 : 0;
            }
            double accuracy = (double) correct / out.length;
            return new Outcome(digit ? accuracy : Double.NaN, digit ? Double.NaN : accuracy,
                    ParameterCount.of(model.block()), seconds(outcome));
        }
    }

    /**
     * One untimed epoch on 1,000 images of a throwaway network, so that the engine's one-time start-up
     * costs (kernel selection, JIT) are not charged to whichever network is timed first.
     */
    private static void warmUp(RunContext context, Settings settings, ImageDataset train) {
        ImageDataset few = train.head(1_000);
        try (LabTraining.Classifier model = LabTraining.classifier(context, "warm-up", single(10),
                Loss.softmaxCrossEntropyLoss(), settings.learningRate(), settings.batchSize())) {
            NDManager manager = model.manager();
            FitLoop.Data data = new FitLoop.Data(few.images(manager), few.labels(manager));
            new FitLoop(model.trainer(), model.optimizer(), null, dlbank.experiment.ProgressSink.silent(), "img")
                    .fit(data, data, new FitLoop.Settings(1, settings.batchSize(), 0, 0, null, false));
        }
    }

    private static NDArray topLabels(ImageDataset set, NDManager manager) {
        int[] top = topHeavy(set);
        float[] values = new float[top.length];
        for (int i = 0; i < top.length; i++) {
            values[i] = top[i];
        }
        return manager.create(values, new Shape(top.length));
    }

    private static FitLoop.Settings fitSettings(RunContext context, Settings settings, String name) {
        return new FitLoop.Settings(settings.epochs(), settings.batchSize(), context.config().seed(), 0,
                context.checkpointDir().resolve(name), context.resume());
    }

    /**
     * Seconds per epoch, the median over the epochs: on a shared machine one epoch can be slowed by
     * another process, and the median keeps that out.
     */
    private static double seconds(FitLoop.Outcome outcome) {
        double[] epochs = outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).sorted().toArray();
        int n = epochs.length;
        return n % 2 == 1 ? epochs[n / 2] : (epochs[n / 2 - 1] + epochs[n / 2]) / 2;
    }

    private static void addClaims(Result.Builder result, boolean quick, Outcome shared, Outcome digit, Outcome top,
                                  double topShare) {
        long saved = digit.parameters() + top.parameters() - shared.parameters();
        long trunk = result.build().metrics().get("parameters_trunk").longValue();
        result.claim(Claim.check(String.format("The multi-task model has exactly one trunk (%,d parameters) fewer than "
                        + "the two single-task models together", trunk),
                String.format("多任务模型的参数恰好比两个单任务模型加起来少一个主干（%,d 个参数）", trunk),
                saved == trunk, Claim.values("parameters_shared", shared.parameters(),
                        "parameters_two_single", digit.parameters() + top.parameters(), "parameters_trunk", trunk)));
        result.claim(Claim.checkUnlessQuick(quick, "Sharing the trunk costs neither task more than 0.5 points of test "
                        + "accuracy against its own single-task network",
                "共享主干后，两个任务的测试准确率都比各自的单任务网络低不超过 0.5 个百分点",
                shared.digitAccuracy() >= digit.digitAccuracy() - 0.005 && shared.topAccuracy() >= top.topAccuracy() - 0.005,
                Claim.values("digit_accuracy_shared", shared.digitAccuracy(), "digit_accuracy_single", digit.digitAccuracy(),
                        "top_heavy_accuracy_shared", shared.topAccuracy(), "top_heavy_accuracy_single", top.topAccuracy(),
                        "top_heavy_share", topShare)));
        result.claim(Claim.checkUnlessQuick(quick, "An epoch of the one multi-task model takes less time than an epoch "
                        + "of each of the two single-task models together",
                "多任务模型训练一轮所用的时间，少于两个单任务模型各训练一轮的时间之和",
                shared.seconds() < digit.seconds() + top.seconds(), Claim.values("epoch_seconds_shared", shared.seconds(),
                        "epoch_seconds_two_single", digit.seconds() + top.seconds())));
    }
}
