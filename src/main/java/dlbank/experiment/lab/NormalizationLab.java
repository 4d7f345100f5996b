package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.DeepCnn;
import dlbank.model.DeepCnn.Norm;
import dlbank.model.HandWrittenBatchNorm;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Batch, layer, RMS and group normalization in one deep plain CNN on Fashion-MNIST (Ioffe &amp;
 * Szegedy, 2015; Ba et al., 2016; Zhang &amp; Sennrich, 2019; Wu &amp; He, 2018): the highest learning
 * rate each trains at and the epochs each needs to a target accuracy, against no normalization;
 * batch norm and layer norm at batch size 2; the classic bug of batch norm left in training mode
 * at test time; and batch norm's forward and backward pass written by hand, checked against the engine.
 */
public final class NormalizationLab implements Experiment {

    public static final String ID = "lab/normalization";
    static final List<Norm> NORMS = List.of(Norm.NONE, Norm.BATCH, Norm.LAYER, Norm.RMS, Norm.GROUP);
    /** The claim's tolerance for the hand-written batch norm against the engine's. */
    static final double TOLERANCE = 1e-5;

    /**
     * @param depth weighted layers of the plain CNN (6n + 2)
     * @param rates the learning-rate grid (SGD, momentum 0.9), each rate about 3x the last
     * @param stableLoss a run is stable when no loss was infinite or NaN and its last epoch's mean
     *                   training loss is below this (chance is ln 10 = 2.30)
     * @param target the validation accuracy that "epochs to a target" counts to
     * @param smallBatchSteps steps of the batch-2 runs, at {@code smallBatchRate}
     * @param bugRate the rate of the batch-norm net whose test-time mode is examined
     */
    record Settings(int depth, float[] rates, int epochs, int batchSize, int trainImages, int validationImages,
                    int testImages, double stableLoss, double target, int smallBatchSteps, float smallBatchRate,
                    float bugRate) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(8, new float[] {0.03f, 0.3f}, 1, 32, 320, 200, 300, 1.0, 0.6, 30, 0.01f, 0.03f)
                    : new Settings(14, new float[] {0.01f, 0.03f, 0.1f, 0.3f, 1f}, context.config().epochsOr(4),
                            context.config().batchSizeOr(64), 5_000, 1_000, 10_000, 1.0, 0.80, 2_500, 0.01f, 0.1f);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "none vs batch/layer/RMS/group norm in a deep CNN: learning rates, epochs to a target; "
                + "batch 2; the eval-mode bug; batch norm by hand";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/normalization");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("highest_stable_rate_none", "highest_stable_rate_batch", "test_accuracy_small_batch_batch",
                "test_accuracy_small_batch_layer");
    }

    @Override
    public Result run(RunContext context) {
        return run(context, Settings.of(context));
    }

    /** The run with the given settings instead of the defaults of its mode. */
    Result run(RunContext context, Settings s) {
        Result.Builder result = Result.builder().config("network", String.format("plain CNN, %d weighted layers "
                        + "(%d convolutions 3x3, 16/32/64 channels, global average pooling, dense 10)", s.depth(), s.depth() - 1))
                .config("normalizations", NORMS.stream().map(Norm::label).toList()).config("rates", s.rates())
                .config("optimizer", "SGD, momentum 0.9, fixed rate").config("epochs", s.epochs())
                .config("batch_size", s.batchSize()).config("train_images", s.trainImages())
                .config("stable", "finite losses and last-epoch training loss < " + s.stableLoss())
                .config("target_validation_accuracy", s.target()).config("group_norm_groups", DeepCnn.GROUPS)
                .config("small_batch", String.format("batch 2, %d steps, rate %s", s.smallBatchSteps(), s.smallBatchRate()));
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset testSet = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TEST, context::info)
                .head(s.testImages());
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            double[] byHand = checkBatchNormByHand(manager, all.head(32), context.config().seed());
            result.metric("hand_bn_max_error_output", byHand[0]).metric("hand_bn_max_error_input_gradient", byHand[1])
                    .metric("hand_bn_max_error_gamma_gradient", byHand[2]).metric("hand_bn_max_error_beta_gradient", byHand[3])
                    .metric("hand_bn_max_error_running_statistics", byHand[4]);
            FitLoop.Data train = data(all.range(0, s.trainImages()), manager);
            FitLoop.Data validation = data(all.range(s.trainImages(), s.trainImages() + s.validationImages()), manager);
            FitLoop.Data test = data(testSet, manager);
            Map<Norm, SgdTraining.Outcome[]> sweep = new LinkedHashMap<>();
            double[] bug = new double[5];
            for (Norm norm : NORMS) {
                SgdTraining.Outcome[] runs = new SgdTraining.Outcome[s.rates().length];
                for (int r = 0; r < runs.length; r++) {
                    boolean examine = norm == Norm.BATCH && s.rates()[r] == s.bugRate();
                    runs[r] = SgdTraining.train(context, new SgdTraining.Recipe(String.format("%s lr %s", norm.label(),
                                    s.rates()[r]), DeepCnn.build(s.depth(), false, norm), null, s.rates()[r], 0, s.batchSize(),
                                    s.epochs(), 500), train, validation,
                            trainer -> {
                                if (examine) {
                                    System.arraycopy(evalModeBug(trainer, test, testSet.labelArray()), 0, bug, 0, bug.length);
                                }
                            });
                }
                sweep.put(norm, runs);
            }
            Map<Norm, Double> smallBatch = new LinkedHashMap<>();
            for (Norm norm : List.of(Norm.BATCH, Norm.LAYER)) {
                double[] accuracy = new double[1];
                FitLoop.Data few = new FitLoop.Data(train.inputs().get(new NDIndex("0:{}", 2 * s.smallBatchSteps())),
                        train.labels().get(new NDIndex("0:{}", 2 * s.smallBatchSteps())));
                SgdTraining.train(context, new SgdTraining.Recipe(norm.label() + " batch 2",
                        DeepCnn.build(s.depth(), false, norm), null, s.smallBatchRate(), 0, 2, 1, 500), few, validation,
                        trainer -> accuracy[0] = FitLoop.evaluate(trainer, FitLoop.argmaxScorer(), test, 500).accuracy());
                smallBatch.put(norm, accuracy[0]);
                result.metric("test_accuracy_small_batch_" + norm.label(), accuracy[0]);
            }
            report(context, result, s, sweep, bug);
            addClaims(result, context.quick(), s, byHand, sweep, smallBatch, bug);
        }
        return result.build();
    }

    private static FitLoop.Data data(ImageDataset images, NDManager manager) {
        return new FitLoop.Data(images.images(manager), images.labels(manager));
    }

    /**
     * Batch norm in training mode on real feature maps (32 Fashion-MNIST images through 16 random 3x3
     * filters), by the engine with autograd and by {@link HandWrittenBatchNorm}, both in float64 so
     * that the comparison tests the formulas and not float32 rounding (γ's gradient sums 25,088
     * products), with random γ, β and upstream gradient. Returns the largest absolute differences:
     * output, input gradient, γ gradient, β gradient, running statistics.
     */
    static double[] checkBatchNormByHand(NDManager parent, ImageDataset images, long seed) {
        int channels = 16;
        Random random = new Random(seed);
        try (NDManager manager = parent.newSubManager()) {
            NDArray filters = manager.create(toFloats(gaussian(random, channels * 9, 1.0 / 3)), new Shape(channels, 1, 3, 3));
            NDArray x = Conv2d.conv2d(images.images(manager), filters, manager.zeros(new Shape(channels)),
                    new Shape(1, 1), new Shape(1, 1)).singletonOrThrow().toType(DataType.FLOAT64, false); // (32, 16, 28, 28)
            int n = (int) x.getShape().get(0);
            int m = (int) (x.getShape().get(2) * x.getShape().get(3));
            double[] gamma = gaussian(random, channels, 0.3);
            double[] beta = gaussian(random, channels, 0.3);
            for (int c = 0; c < channels; c++) {
                gamma[c] += 1;
            }
            double[] upstream = gaussian(random, (int) x.size(), 1);
            NDArray gammaArray = manager.create(gamma);
            NDArray betaArray = manager.create(beta);
            NDArray runningMean = manager.zeros(new Shape(channels), DataType.FLOAT64);
            NDArray runningVariance = manager.ones(new Shape(channels), DataType.FLOAT64);
            x.setRequiresGradient(true);
            gammaArray.setRequiresGradient(true);
            betaArray.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                // DJL's momentum 0.9 keeps 90% of the running value: PyTorch's momentum 0.1.
                y = BatchNorm.batchNorm(x, runningMean, runningVariance, gammaArray, betaArray, 1, 0.9f, 1e-5f, true)
                        .singletonOrThrow();
                collector.backward(y.mul(manager.create(upstream, x.getShape())).sum());
            }
            double[] input = x.toDoubleArray();
            HandWrittenBatchNorm.Forward forward = HandWrittenBatchNorm.forward(input, n, channels, m, gamma, beta, 1e-5);
            HandWrittenBatchNorm.Backward backward = HandWrittenBatchNorm.backward(forward, upstream, n, channels, m, gamma);
            double[][] running = HandWrittenBatchNorm.runningStatistics(forward, new double[channels], ones(channels),
                    (long) n * m, 0.1);
            return new double[] {maxDifference(forward.y(), y.toDoubleArray()),
                    maxDifference(backward.input(), x.getGradient().toDoubleArray()),
                    maxDifference(backward.gamma(), gammaArray.getGradient().toDoubleArray()),
                    maxDifference(backward.beta(), betaArray.getGradient().toDoubleArray()),
                    Math.max(maxDifference(running[0], runningMean.toDoubleArray()),
                            maxDifference(running[1], runningVariance.toDoubleArray()))};
        }
    }

    /**
     * The trained batch-norm net on the test images: in inference mode (running statistics), then
     * left in training mode (each batch's own statistics) with shuffled batches of 100, with batches
     * of 100 images of one class, and one image at a time, and finally in inference mode again, after
     * those training-mode passes have overwritten the running statistics. Returns the five accuracies.
     */
    private static double[] evalModeBug(Trainer trainer, FitLoop.Data test, int[] labels) {
        double eval = FitLoop.evaluate(trainer, FitLoop.argmaxScorer(), test, 500).accuracy();
        double shuffled = trainingModeAccuracy(trainer, test, identity(labels.length), 100);
        double oneClass = trainingModeAccuracy(trainer, test, sortedByClass(labels), 100);
        double single = trainingModeAccuracy(trainer, test, identity(Math.min(labels.length, 2_000)), 1);
        double evalAfter = FitLoop.evaluate(trainer, FitLoop.argmaxScorer(), test, 500).accuracy();
        return new double[] {eval, shuffled, oneClass, single, evalAfter};
    }

    /** Accuracy over the images in {@code order}, in batches of {@code batch}, with batch norm in training mode. */
    private static double trainingModeAccuracy(Trainer trainer, FitLoop.Data test, int[] order, int batch) {
        long correct = 0;
        for (int from = 0; from < order.length; from += batch) {
            try (NDManager manager = trainer.getManager().newSubManager()) {
                int to = Math.min(order.length, from + batch);
                NDArray rows = manager.create(java.util.Arrays.copyOfRange(order, from, to));
                NDArray x = test.inputs().get(manager, new NDIndex("{}", rows));
                NDArray y = test.labels().get(manager, new NDIndex("{}", rows));
                NDArray logits = trainer.getModel().getBlock().forward(new ParameterStore(manager, false),
                        new NDList(x), true).singletonOrThrow();                       // training = true: the bug
                correct += FitLoop.argmaxScorer().correct(logits, y).toType(DataType.INT64, false).getLong();
            }
        }
        return (double) correct / order.length;
    }

    private static int[] identity(int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        return order;
    }

    private static int[] sortedByClass(int[] labels) {
        return java.util.stream.IntStream.range(0, labels.length).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> labels[i])).mapToInt(Integer::intValue).toArray();
    }

    private static double[] gaussian(Random random, int size, double std) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = std * random.nextGaussian();
        }
        return values;
    }

    private static double[] ones(int size) {
        double[] values = new double[size];
        java.util.Arrays.fill(values, 1);
        return values;
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static double maxDifference(double[] expected, double[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }

    /** The highest rate of the grid at which the run was stable; 0 when none was. */
    static double highestStableRate(Settings s, SgdTraining.Outcome[] runs) {
        double highest = 0;
        for (int r = 0; r < runs.length; r++) {
            if (!runs[r].diverged() && runs[r].finalTrainLoss() < s.stableLoss()) {
                highest = s.rates()[r];
            }
        }
        return highest;
    }

    /** The fewest epochs to the target over the grid's rates; {@code epochs + 1} when no rate reached it. */
    static int fewestEpochsToTarget(Settings s, SgdTraining.Outcome[] runs) {
        int fewest = s.epochs() + 1;
        for (SgdTraining.Outcome run : runs) {
            int epochs = run.epochsTo(s.target());
            if (epochs > 0) {
                fewest = Math.min(fewest, epochs);
            }
        }
        return fewest;
    }

    private static void report(RunContext context, Result.Builder result, Settings s, Map<Norm, SgdTraining.Outcome[]> sweep,
                               double[] bug) {
        double[] logRates = new double[s.rates().length];
        for (int r = 0; r < logRates.length; r++) {
            logRates[r] = Math.log10(s.rates()[r]);
        }
        Map<String, double[]> finalAccuracy = new LinkedHashMap<>();
        Map<String, double[]> bestCurves = new LinkedHashMap<>();
        double[] epochs = new double[s.epochs()];
        for (int e = 0; e < epochs.length; e++) {
            epochs[e] = e + 1;
        }
        sweep.forEach((norm, runs) -> {
            double[] accuracy = new double[runs.length];
            int best = 0;
            for (int r = 0; r < runs.length; r++) {
                // A run that diverged predicts nothing: drawn at chance, 0.1.
                accuracy[r] = runs[r].diverged() ? 0.1 : runs[r].finalValidationAccuracy();
                result.metric(String.format("validation_accuracy_%s_lr_%s", norm.label(), s.rates()[r]), accuracy[r])
                        .metric(String.format("diverged_%s_lr_%s", norm.label(), s.rates()[r]), runs[r].diverged() ? 1 : 0);
                if (!runs[r].diverged()) {
                    result.metric(String.format("train_loss_%s_lr_%s", norm.label(), s.rates()[r]), runs[r].finalTrainLoss());
                }
                best = accuracy[r] > accuracy[best] ? r : best;
            }
            finalAccuracy.put(norm.label(), accuracy);
            bestCurves.put(String.format("%s (lr %s)", norm.label(), s.rates()[best]), runs[best].validationAccuracy());
            result.metric("highest_stable_rate_" + norm.label(), highestStableRate(s, runs))
                    .metric("epochs_to_target_" + norm.label(), fewestEpochsToTarget(s, runs))
                    .metric("best_validation_accuracy_" + norm.label(), accuracy[best]);
        });
        String[] bugNames = {"eval_mode", "train_mode_shuffled_batches", "train_mode_one_class_batches",
                "train_mode_single_images", "eval_mode_after_train_mode_passes"};
        for (int i = 0; i < bugNames.length; i++) {
            result.metric("bn_test_accuracy_" + bugNames[i], bug[i]);
        }
        Charts.lines(context.file("learning_rate_sweep.png"), String.format("%d-layer plain CNN, SGD momentum 0.9, "
                        + "%d epochs: validation accuracy by learning rate (diverged = 0.1)", s.depth(), s.epochs()),
                "log10(learning rate)", "validation accuracy", logRates, finalAccuracy, false);
        Charts.lines(context.file("validation_accuracy_per_epoch.png"), "each normalization at its best learning rate: "
                + "validation accuracy per epoch", "epoch", "validation accuracy", epochs, bestCurves, false);
        Charts.bars(context.file("eval_mode_bug.png"), "batch norm at test time: inference mode vs left in training mode",
                "how the test images were run", "test accuracy", List.of("eval mode", "train mode, shuffled x100",
                        "train mode, one class x100", "train mode, one image", "eval mode after those"),
                Map.of("test accuracy", bug), 0.0);
        result.artifact("learning_rate_sweep.png").artifact("validation_accuracy_per_epoch.png").artifact("eval_mode_bug.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings s, double[] byHand,
                                  Map<Norm, SgdTraining.Outcome[]> sweep, Map<Norm, Double> smallBatch, double[] bug) {
        double worst = java.util.Arrays.stream(byHand).max().orElse(Double.NaN);
        result.claim(Claim.check(String.format("Batch norm's forward and backward pass written by hand equal the engine's "
                        + "(its batch norm with autograd, both in float64) on real feature maps: output, input gradient, γ and "
                        + "β gradients and the running statistics all within %.0e", TOLERANCE),
                String.format("手写的批归一化前向和反向与引擎的结果（引擎的批归一化加自动微分，两边都用 float64）在真实特征图上一致："
                        + "输出、输入梯度、γ 和 β 的梯度以及滑动统计量的误差都在 %.0e 以内", TOLERANCE),
                worst < TOLERANCE, Claim.values("max_error_output", byHand[0], "max_error_input_gradient", byHand[1],
                        "max_error_gamma_gradient", byHand[2], "max_error_beta_gradient", byHand[3],
                        "max_error_running_statistics", byHand[4])));
        double none = highestStableRate(s, sweep.get(Norm.NONE));
        double batch = highestStableRate(s, sweep.get(Norm.BATCH));
        List<Object> stable = new ArrayList<>();
        for (Norm norm : NORMS) {
            stable.add("highest_stable_rate_" + norm.label());
            stable.add(highestStableRate(s, sweep.get(norm)));
        }
        boolean everyNormHigher = NORMS.stream().skip(1).allMatch(norm -> highestStableRate(s, sweep.get(norm)) > none);
        result.claim(Claim.checkUnlessQuick(quick, "Every normalization lets the deep CNN train at a higher learning rate "
                        + "than no normalization, batch norm at least 10 times higher",
                "每种归一化都让这个深层 CNN 能在比不归一化更高的学习率下训练，批归一化至少高 10 倍",
                everyNormHigher && batch >= 10 * none, Claim.values(stable.toArray())));
        int epochsNone = fewestEpochsToTarget(s, sweep.get(Norm.NONE));
        int epochsBatch = fewestEpochsToTarget(s, sweep.get(Norm.BATCH));
        result.claim(Claim.checkUnlessQuick(quick, String.format("Batch norm reaches %.0f%% validation accuracy in fewer "
                        + "epochs than no normalization, each at its best learning rate of the grid", 100 * s.target()),
                String.format("批归一化达到 %.0f%% 验证准确率所需的轮数比不归一化少（各自取网格中最好的学习率）", 100 * s.target()),
                epochsBatch < epochsNone, Claim.values("epochs_to_target_batch", epochsBatch, "epochs_to_target_none",
                        epochsNone, "epochs_run", s.epochs())));
        double bnSmall = smallBatch.get(Norm.BATCH);
        double lnSmall = smallBatch.get(Norm.LAYER);
        result.claim(Claim.checkUnlessQuick(quick, "At batch size 2, layer norm trains to a higher test accuracy than batch "
                        + "norm (at least 3 points): batch statistics of two images are noise, and they differ from the "
                        + "running statistics used at test time",
                "批大小为 2 时，层归一化的测试准确率高于批归一化（至少高 3 个百分点）：两张图的批统计量几乎是噪声，"
                        + "而且和测试时用的滑动统计量对不上",
                lnSmall >= bnSmall + 0.03, Claim.values("test_accuracy_batch_norm", bnSmall, "test_accuracy_layer_norm", lnSmall)));
        result.claim(Claim.checkUnlessQuick(quick, "Batch norm left in training mode at test time loses accuracy: with "
                        + "batches of one class at least 20 points below inference mode, and the predictions depend on "
                        + "which other images share the batch",
                "测试时忘了把批归一化切到推理模式（eval）会掉准确率：如果一个批次里都是同一类图片，比推理模式低至少 20 个"
                        + "百分点，而且预测结果取决于同一批里还有哪些图片",
                bug[2] <= bug[0] - 0.20 && bug[2] < bug[1], Claim.values("eval_mode", bug[0], "train_mode_shuffled_batches", bug[1],
                        "train_mode_one_class_batches", bug[2], "train_mode_single_images", bug[3],
                        "eval_mode_after_train_mode_passes", bug[4])));
    }
}
