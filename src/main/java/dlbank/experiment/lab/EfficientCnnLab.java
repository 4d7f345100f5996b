package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.bench.Timing;
import dlbank.eval.ReceptiveFields;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.EfficientCnn;
import dlbank.model.MnistCnn;
import dlbank.model.MultiplyAdds;
import dlbank.model.ParameterCount;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standard CNN against its depthwise-separable twin on Fashion-MNIST (Howard et al., 2017,
 * MobileNets): parameters and multiply-adds by the hand formulas and counted from the built layers,
 * test accuracy, measured CPU time of a training epoch and of inference, and the speed of each kind
 * of convolution alone. Then the receptive field: by the recurrence r += (k − 1)·j, and measured as
 * the input pixels where the gradient of one feature-map unit is not zero (Luo et al., 2016,
 * Understanding the Effective Receptive Field in Deep Convolutional Neural Networks).
 */
public final class EfficientCnnLab implements Experiment {

    public static final String ID = "lab/efficient-cnn";
    /** Each kind of convolution timed alone: input (batch, 64, 14, 14), 64 output channels. */
    static final String[] KERNELS = {"standard 3x3", "grouped 3x3 (8 groups)", "depthwise 3x3", "pointwise 1x1"};
    /** Depths of the plain 3x3 stacks whose effective receptive field is measured. */
    static final int[] DEPTHS = {2, 4, 8, 16};

    /**
     * @param timingRepeats timed forward passes per measurement (after as many warm-up passes); the median counts
     * @param fieldImages test images whose input gradients are summed for the receptive field
     */
    record Settings(int trainImages, int validationImages, int testImages, int epochs, int batchSize, int timingBatch,
                    int timingRepeats, int fieldImages) {
        static Settings of(RunContext context) {
            int batch = context.config().batchSizeOr(64);
            return context.quick()
                    ? new Settings(1_000, 200, 500, context.config().epochsOr(1), batch, 32, 3, 100)
                    : new Settings(55_000, 5_000, 10_000, context.config().epochsOr(4), batch, 256, 20, 1_000);
        }
    }

    /** One network's figures. */
    record Network(String name, long parameters, long parametersByFormula, long multiplyAdds, long multiplyAddsByFormula,
                   double testAccuracy, double trainSecondsPerEpoch, double inferenceSeconds, int[] fieldRows,
                   int[] fieldColumns, float[] gradientMap) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "standard vs depthwise-separable CNN on Fashion-MNIST: parameters, multiply-adds, CPU time, receptive field";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/efficient-cnn");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("test_accuracy_standard", "test_accuracy_separable", "multiply_add_ratio", "inference_speedup");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        EfficientCnn.ReceptiveField field = EfficientCnn.receptiveField(EfficientCnn.standard());
        int centre = EfficientCnn.outputSide(EfficientCnn.standard(), 28) / 2;
        Result.Builder result = Result.builder().config("data", "Fashion-MNIST: the first training images, the next ones to validate")
                .config("train_images", settings.trainImages()).config("epochs", settings.epochs())
                .config("standard", EfficientCnn.names(EfficientCnn.standard()))
                .config("separable", EfficientCnn.names(EfficientCnn.separable()))
                .config("head", "global average pooling, dense 10; Adam 1e-3")
                .config("timing", "median of " + settings.timingRepeats() + " forward passes of " + settings.timingBatch()
                        + " images after as many warm-up passes; training: mean seconds of epochs 2 and later")
                .config("receptive_field_unit", "row and column " + centre + " of the last feature map, summed over channels");
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        int trainCount = Math.min(settings.trainImages(), all.size() - settings.validationImages());
        ImageDataset train = all.range(0, trainCount);
        ImageDataset validation = all.range(trainCount, trainCount + settings.validationImages());

        Network standard = runNetwork(context, settings, "standard", EfficientCnn.standard(), train, validation, test, centre);
        Network separable = runNetwork(context, settings, "separable", EfficientCnn.separable(), train, validation, test, centre);
        for (Network network : List.of(standard, separable)) {
            String n = network.name();
            result.metric("parameters_" + n, network.parameters()).metric("parameters_formula_" + n, network.parametersByFormula())
                    .metric("multiply_adds_" + n, network.multiplyAdds())
                    .metric("multiply_adds_formula_" + n, network.multiplyAddsByFormula())
                    .metric("test_accuracy_" + n, network.testAccuracy())
                    .metric("train_seconds_per_epoch_" + n, network.trainSecondsPerEpoch())
                    .metric("inference_ms_per_batch_" + n, 1e3 * network.inferenceSeconds())
                    .metric("field_rows_measured_" + n, network.fieldRows()[1] - network.fieldRows()[0] + 1)
                    .metric("field_columns_measured_" + n, network.fieldColumns()[1] - network.fieldColumns()[0] + 1);
        }
        double macRatio = (double) standard.multiplyAdds() / separable.multiplyAdds();
        double inferenceSpeedup = standard.inferenceSeconds() / separable.inferenceSeconds();
        double trainingSpeedup = standard.trainSecondsPerEpoch() / separable.trainSecondsPerEpoch();
        result.metric("parameter_ratio", (double) standard.parameters() / separable.parameters())
                .metric("multiply_add_ratio", macRatio).metric("inference_speedup", inferenceSpeedup)
                .metric("training_speedup", trainingSpeedup).metric("field_formula", field.size());

        double[] kernelRates = timeKernels(context, settings, result);
        result.metric("effective_field_side_50", ReceptiveFields.sideHolding(standard.gradientMap(), field.span(centre), 0.5))
                .metric("effective_field_side_90", ReceptiveFields.sideHolding(standard.gradientMap(), field.span(centre), 0.9));
        int[][] byDepth = effectiveFieldByDepth(context, settings, result);
        plot(context, result, standard, separable, field.span(centre), kernelRates, byDepth);
        addClaims(result, context.quick(), standard, separable, field, centre, macRatio, inferenceSpeedup, trainingSpeedup,
                kernelRates, byDepth);
        return result.build();
    }

    private static Network runNetwork(RunContext context, Settings settings, String name, List<EfficientCnn.Layer> layers,
                                      ImageDataset train, ImageDataset validation, ImageDataset test, int centre) {
        context.info("== " + name + ": " + String.join(" ", EfficientCnn.names(layers)));
        SequentialBlock block = EfficientCnn.classifier(layers, 10);
        try (LabTraining.Classifier model = LabTraining.classifier(context, name, block, Loss.softmaxCrossEntropyLoss(),
                1e-3f, settings.batchSize())) {
            NDManager manager = model.manager();
            long parameters = ParameterCount.of(block);
            long multiplyAdds = MultiplyAdds.forward(block, MnistCnn.inputShape(1));
            FitLoop loop = model.loop(FitLoop.argmaxScorer());
            FitLoop.Outcome outcome = loop.fit(new FitLoop.Data(train.images(manager), train.labels(manager)),
                    new FitLoop.Data(validation.images(manager), validation.labels(manager)),
                    new FitLoop.Settings(settings.epochs(), settings.batchSize(), context.config().seed(), 0,
                            context.checkpointDir().resolve(name), context.resume()));
            NDArray testImages = test.images(manager);
            double accuracy = loop.evaluate(new FitLoop.Data(testImages, test.labels(manager)), 1_000).accuracy();
            // Epoch 1 pays for the engine's first runs of each shape; later epochs are the steady rate.
            List<FitLoop.EpochStats> history = outcome.history();
            double trainSeconds = history.stream().skip(history.size() > 1 ? 1 : 0)
                    .mapToDouble(FitLoop.EpochStats::seconds).average().orElse(Double.NaN);
            NDIndex timingRows = new NDIndex().addSliceDim(0, settings.timingBatch());
            double inference = Timing.medianSeconds(manager, settings.timingRepeats(), scope -> block.forward(
                    new ParameterStore(scope, false), new NDList(testImages.get(scope, timingRows)), false).singletonOrThrow());
            // The feature extractor: every child before global pooling, flatten and the dense head.
            SequentialBlock features = new SequentialBlock();
            List<Block> children = block.getChildren().values();
            children.subList(0, children.size() - 3).forEach(features::add);
            float[] map;
            try (NDManager scope = manager.newSubManager()) {
                map = ReceptiveFields.gradientMap(features, testImages.get(scope, new NDIndex().addSliceDim(0, settings.fieldImages())), centre);
            }
            context.info(String.format("%s: %,d parameters, %,d multiply-adds, test accuracy %.4f, %.1f s per epoch, "
                    + "%.2f ms per %d-image forward pass", name, parameters, multiplyAdds, accuracy, trainSeconds,
                    1e3 * inference, settings.timingBatch()));
            return new Network(name, parameters, EfficientCnn.parametersByFormula(layers, 1, 10), multiplyAdds,
                    EfficientCnn.multiplyAddsByFormula(layers, 1, 28, 10), accuracy, trainSeconds, inference,
                    ReceptiveFields.support(map, true), ReceptiveFields.support(map, false), map);
        }
    }

    /**
     * The effective receptive field against depth (Luo et al., 2016): plain stacks of 3x3 convolutions
     * (16 channels, ReLU) at their random initial weights, the centre unit's input gradient summed over
     * noise images. Returns per depth {theoretical side, measured support's side, side of the central
     * square holding half the gradient, 90%}.
     */
    private static int[][] effectiveFieldByDepth(RunContext context, Settings settings, Result.Builder result) {
        int side = 64;
        int centre = side / 2;
        int[][] rows = new int[DEPTHS.length][];
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            ai.djl.engine.Engine.getInstance().setRandomSeed((int) context.config().seed());
            NDArray noise = manager.randomUniform(0, 1, new Shape(settings.fieldImages() / 10, 1, side, side));
            for (int d = 0; d < DEPTHS.length; d++) {
                List<EfficientCnn.Layer> layers = EfficientCnn.plainStack(DEPTHS[d], 16);
                SequentialBlock stack = EfficientCnn.features(layers);
                stack.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, side, side));
                float[] map = ReceptiveFields.gradientMap(stack, noise, centre);
                int[] span = EfficientCnn.receptiveField(layers).span(centre);
                int[] rowsSeen = ReceptiveFields.support(map, true);
                rows[d] = new int[] {span[1] - span[0] + 1, rowsSeen[1] - rowsSeen[0] + 1,
                        ReceptiveFields.sideHolding(map, span, 0.5), ReceptiveFields.sideHolding(map, span, 0.9)};
                result.metric("plain" + DEPTHS[d] + "_field_formula", rows[d][0]).metric("plain" + DEPTHS[d] + "_field_measured", rows[d][1])
                        .metric("plain" + DEPTHS[d] + "_effective_side_50", rows[d][2])
                        .metric("plain" + DEPTHS[d] + "_effective_side_90", rows[d][3]);
                context.info(String.format("%2d plain 3x3 layers: receptive field %d by formula, %d measured; half the "
                        + "gradient within the central %d, 90%% within %d", DEPTHS[d], rows[d][0], rows[d][1], rows[d][2], rows[d][3]));
            }
        }
        return rows;
    }

    /** Multiply-adds per second of each kind of convolution alone, in {@link #KERNELS}' order. */
    private static double[] timeKernels(RunContext context, Settings settings, Result.Builder result) {
        int channels = 64;
        int side = 14;
        int batch = settings.timingBatch();
        double[] rates = new double[KERNELS.length];
        int[] groups = {1, 8, channels, 1};
        int[] kernels = {3, 3, 3, 1};
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            NDArray x = manager.randomNormal(new Shape(batch, channels, side, side));
            for (int i = 0; i < KERNELS.length; i++) {
                int k = kernels[i];
                NDArray weight = manager.randomNormal(0, 0.05f, new Shape(channels, channels / groups[i], k, k),
                        ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray bias = manager.zeros(new Shape(channels));
                Shape padding = new Shape(k / 2, k / 2);
                int g = groups[i];
                double seconds = Timing.medianSeconds(manager, settings.timingRepeats(), scope -> Conv2d.conv2d(
                        x.get(scope, new NDIndex(":")), weight, bias, new Shape(1, 1), padding, new Shape(1, 1), g).singletonOrThrow());
                long multiplyAdds = (long) batch * side * side * channels * (channels / g) * k * k;
                rates[i] = multiplyAdds / seconds;
                String key = KERNELS[i].replaceAll("[^a-z0-9]+", "_").replaceAll("_+$", "");
                result.metric("gmac_per_second_" + key, rates[i] / 1e9).metric("ms_" + key, 1e3 * seconds);
                context.info(String.format("%-24s %,13d multiply-adds  %8.3f ms  %6.2f GMAC/s", KERNELS[i], multiplyAdds,
                        1e3 * seconds, rates[i] / 1e9));
            }
        }
        return rates;
    }

    private static void plot(RunContext context, Result.Builder result, Network standard, Network separable, int[] span,
                             double[] kernelRates, int[][] byDepth) {
        Map<String, double[]> sides = new LinkedHashMap<>();
        sides.put("theoretical receptive field (formula)", Arrays.stream(byDepth).mapToDouble(row -> row[0]).toArray());
        sides.put("central square with 90% of the gradient", Arrays.stream(byDepth).mapToDouble(row -> row[3]).toArray());
        sides.put("central square with 50% of the gradient", Arrays.stream(byDepth).mapToDouble(row -> row[2]).toArray());
        Charts.lines(context.file("effective_field_by_depth.png"), "Plain 3x3 stacks at initialisation: receptive field side (pixels)",
                "3x3 layers", "side in input pixels", Arrays.stream(DEPTHS).asDoubleStream().toArray(), sides, false);
        result.artifact("effective_field_by_depth.png");
        Map<String, double[]> bars = new LinkedHashMap<>();
        bars.put("separable / standard", new double[] {
                (double) separable.parameters() / standard.parameters(),
                (double) separable.multiplyAdds() / standard.multiplyAdds(),
                separable.inferenceSeconds() / standard.inferenceSeconds(),
                separable.trainSecondsPerEpoch() / standard.trainSecondsPerEpoch()});
        Charts.bars(context.file("cost_ratios.png"), "Depthwise-separable CNN relative to the standard CNN (1 = same)", "",
                "separable / standard", List.of("parameters", "multiply-adds", "inference time", "training time"), bars, 0.0);
        Map<String, double[]> rates = new LinkedHashMap<>();
        rates.put("GMAC/s", Arrays.stream(kernelRates).map(r -> r / 1e9).toArray());
        Charts.bars(context.file("kernel_speed.png"), "Multiply-adds per second of each convolution alone (64 channels, 14x14)",
                "", "GMAC/s", List.of(KERNELS), rates, 0.0);
        List<dlbank.report.Pictures.Tile> tiles = List.of(
                new dlbank.report.Pictures.Tile(normalised(standard.gradientMap()), 28, 28, "standard"),
                new dlbank.report.Pictures.Tile(normalised(separable.gradientMap()), 28, 28, "separable"));
        dlbank.report.Pictures.grid(context.file("receptive_field.png"), String.format(
                "|input gradient| of one unit; formula: rows and columns %d-%d", span[0], span[1]), tiles, 2, 6);
        result.artifact("cost_ratios.png").artifact("kernel_speed.png").artifact("receptive_field.png");
    }

    /** The map scaled so that its largest value is 1 (zero stays black). */
    private static float[] normalised(float[] map) {
        float max = 1e-20f;
        for (float value : map) {
            max = Math.max(max, value);
        }
        float[] scaled = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            scaled[i] = (float) Math.sqrt(map[i] / max); // square root: the faint edge of the field stays visible
        }
        return scaled;
    }

    private static void addClaims(Result.Builder result, boolean quick, Network standard, Network separable,
                                  EfficientCnn.ReceptiveField field, int centre, double macRatio, double inferenceSpeedup,
                                  double trainingSpeedup, double[] kernelRates, int[][] byDepth) {
        result.claim(Claim.check("The hand formulas give exactly the counted parameters (k²·C_in·C_out + C_out per "
                        + "convolution, k²·C + C depthwise) and multiply-adds (H·W·k²·C_in·C_out per convolution) of both networks",
                "手算公式与逐层统计完全一致：两个网络的参数量（普通卷积 k²×输入通道数×输出通道数 + 输出通道数，深度卷积 k²·C + C）"
                        + "和乘加次数（每层 H·W·k²×输入通道数×输出通道数）都对得上",
                standard.parameters() == standard.parametersByFormula() && separable.parameters() == separable.parametersByFormula()
                        && standard.multiplyAdds() == standard.multiplyAddsByFormula()
                        && separable.multiplyAdds() == separable.multiplyAddsByFormula(),
                Claim.values("parameters_standard", standard.parameters(), "parameters_formula_standard", standard.parametersByFormula(),
                        "parameters_separable", separable.parameters(), "parameters_formula_separable", separable.parametersByFormula(),
                        "multiply_adds_standard", standard.multiplyAdds(), "multiply_adds_formula_standard", standard.multiplyAddsByFormula(),
                        "multiply_adds_separable", separable.multiplyAdds(), "multiply_adds_formula_separable", separable.multiplyAddsByFormula())));
        double loss = standard.testAccuracy() - separable.testAccuracy();
        result.claim(Claim.checkUnlessQuick(quick, "Depthwise-separable convolutions cut parameters and multiply-adds at "
                        + "least five-fold for at most 2 points of Fashion-MNIST test accuracy",
                "深度可分离卷积把参数量和乘加次数都降到五分之一以下，Fashion-MNIST 测试准确率最多损失 2 个百分点",
                macRatio >= 5 && (double) standard.parameters() / separable.parameters() >= 5 && loss <= 0.02,
                Claim.values("multiply_add_ratio", macRatio, "parameter_ratio", (double) standard.parameters() / separable.parameters(),
                        "test_accuracy_standard", standard.testAccuracy(), "test_accuracy_separable", separable.testAccuracy())));
        result.claim(Claim.checkUnlessQuick(quick, "Fewer multiply-adds do not mean proportionally less time: on this CPU the "
                        + "separable network's inference and training speed-ups are each less than half its multiply-add saving",
                "乘加次数少不等于耗时按比例减少：在这台 CPU 上，可分离网络推理和训练的加速比都不到乘加次数节省倍数的一半",
                inferenceSpeedup < macRatio / 2 && trainingSpeedup < macRatio / 2,
                Claim.values("multiply_add_ratio", macRatio, "inference_speedup", inferenceSpeedup, "training_speedup", trainingSpeedup)));
        double depthwiseShortfall = kernelRates[0] / kernelRates[2];
        result.claim(Claim.check("A depthwise 3x3 convolution is memory-bound: alone it runs at least 5x fewer multiply-adds "
                        + "per second than a standard 3x3 convolution of the same shape",
                "深度卷积受限于访存：单独计时，3x3 深度卷积每秒完成的乘加次数比同形状的普通 3x3 卷积少至少 5 倍",
                depthwiseShortfall >= 5, Claim.values("gmac_per_second_standard", kernelRates[0] / 1e9,
                        "gmac_per_second_depthwise", kernelRates[2] / 1e9, "gmac_per_second_pointwise", kernelRates[3] / 1e9,
                        "standard_over_depthwise", depthwiseShortfall)));
        int[] span = field.span(centre);
        boolean exact = true;
        for (Network network : List.of(standard, separable)) {
            exact &= Arrays.equals(network.fieldRows(), span) && Arrays.equals(network.fieldColumns(), span);
        }
        result.claim(Claim.check("The receptive field measured from input gradients is exactly the formula's: the unit's "
                        + "gradient is non-zero on input rows and columns " + span[0] + "-" + span[1] + " (" + field.size()
                        + " pixels) in both networks, and zero outside",
                "用输入梯度测得的感受野与公式完全一致：两个网络中该单元的梯度恰好在输入的第 " + span[0] + "-" + span[1]
                        + " 行和列（" + field.size() + " 个像素）上非零，其外全为零",
                exact, Claim.values("field_formula", field.size(), "first_row_standard", standard.fieldRows()[0],
                        "last_row_standard", standard.fieldRows()[1], "first_row_separable", separable.fieldRows()[0],
                        "last_row_separable", separable.fieldRows()[1])));
        int[] shallow = byDepth[0];
        int[] deep = byDepth[byDepth.length - 1];
        boolean supportsExact = Arrays.stream(byDepth).allMatch(row -> row[0] == row[1]);
        double shallowShare = (double) shallow[2] / shallow[0];
        double deepShare = (double) deep[2] / deep[0];
        result.claim(Claim.check("The effective receptive field shrinks relative to the theoretical one as layers are "
                        + "stacked: in plain 3x3 stacks the central square holding half the gradient spans a smaller share of "
                        + "the field at " + DEPTHS[DEPTHS.length - 1] + " layers than at " + DEPTHS[0] + ", at most a third of its "
                        + "side, while the gradient still reaches exactly the formula's field",
                "层数越多，有效感受野相对理论感受野越小：在只有 3x3 卷积的网络里，容纳一半梯度的中心方块在 "
                        + DEPTHS[DEPTHS.length - 1] + " 层时占理论感受野边长的比例比 " + DEPTHS[0]
                        + " 层时小，最多三分之一；而梯度非零的范围仍与公式完全一致",
                supportsExact && deepShare < shallowShare && deepShare <= 1.0 / 3,
                Claim.values("field_formula_deep", deep[0], "effective_side_50_deep", deep[2], "field_formula_shallow", shallow[0],
                        "effective_side_50_shallow", shallow[2], "deep_share", deepShare, "shallow_share", shallowShare)));
    }
}
