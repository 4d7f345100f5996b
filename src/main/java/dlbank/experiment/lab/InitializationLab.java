package dlbank.experiment.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Weight initialization in a 20-layer ReLU MLP on Fashion-MNIST: the spread of the activations and
 * of the weight gradients layer by layer for all-zero, a small Gaussian N(0, 0.01²), a large one
 * N(0, 1), Xavier/Glorot (variance 2 / (fan_in + fan_out); Glorot &amp; Bengio, 2010) and He
 * (variance 2 / fan_in; He, Zhang, Ren &amp; Sun, 2015, Delving Deep into Rectifiers); then each
 * trained alike. All-zero and constant weights leave every unit of a layer equal to its neighbours
 * (symmetry is never broken); He keeps the signal's scale through the depth that ReLU halves at
 * every layer. Biases start at zero throughout.
 */
public final class InitializationLab implements Experiment {

    public static final String ID = "lab/initialization";
    static final int DEPTH = 20;
    /** Initializations trained and compared; "constant" is 1 / fan_in everywhere: symmetric but not zero. */
    static final List<String> INITS = List.of("zero", "constant", "small", "large", "xavier", "he");

    record Settings(int width, int statisticsImages, int trainImages, int validationImages, int testImages, int epochs,
                    int batchSize, float learningRate) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(64, 128, 500, 200, 300, 1, 32, 0.01f)
                    : new Settings(256, 512, 20_000, 2_000, 10_000, context.config().epochsOr(5),
                            context.config().batchSizeOr(64), 0.01f);
        }
    }

    static Initializer initializer(String name) {
        return switch (name) {
            case "zero" -> Initializer.ZEROS;
            case "constant" -> (manager, shape, type) -> manager.full(shape, 1f / shape.get(1), type);
            case "small" -> new NormalInitializer(0.01f);
            case "large" -> new NormalInitializer(1f);
            case "xavier" -> new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.AVG, 1);
            case "he" -> new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "20-layer ReLU MLP: activation and gradient spread per layer for zero, small, large, Xavier and He "
                + "initialization; symmetry; which ones train";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/initialization");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("test_accuracy_he", "test_accuracy_small", "activation_std_ratio_he", "activation_std_ratio_xavier");
    }

    @Override
    public Result run(RunContext context) {
        return run(context, Settings.of(context));
    }

    /** The run with the given settings instead of the defaults of its mode. */
    Result run(RunContext context, Settings s) {
        Result.Builder result = Result.builder().config("depth", DEPTH).config("width", s.width())
                .config("activation", "ReLU").config("initializations", INITS).config("biases", "zero")
                .config("optimizer", "SGD, momentum 0.9, rate " + s.learningRate()).config("epochs", s.epochs())
                .config("batch_size", s.batchSize()).config("train_images", s.trainImages())
                .config("statistics_images", s.statisticsImages());
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset testSet = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TEST, context::info)
                .head(s.testImages());
        Map<String, double[]> activationStd = new LinkedHashMap<>();
        Map<String, double[]> gradientStd = new LinkedHashMap<>();
        Map<String, SgdTraining.Outcome> outcomes = new LinkedHashMap<>();
        Map<String, Double> testAccuracy = new LinkedHashMap<>();
        Map<String, Double> unitSpread = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            FitLoop.Data train = new FitLoop.Data(all.head(s.trainImages()).images(manager), all.head(s.trainImages()).labels(manager));
            ImageDataset held = all.range(s.trainImages(), s.trainImages() + s.validationImages());
            FitLoop.Data validation = new FitLoop.Data(held.images(manager), held.labels(manager));
            FitLoop.Data test = new FitLoop.Data(testSet.images(manager), testSet.labels(manager));
            NDIndex probe = new NDIndex("0:{}", s.statisticsImages());
            NDArray probeImages = train.inputs().get(probe);
            NDArray probeLabels = train.labels().get(probe);
            for (String init : INITS) {
                SequentialBlock fresh = mlp(s.width(), initializer(init));
                gradientStd.put(init, LayerGradients.deviations(
                        LayerGradients.atInitialisation(context, fresh, probeImages, probeLabels)));
                SequentialBlock again = mlp(s.width(), initializer(init));
                Engine.getInstance().setRandomSeed((int) context.config().seed());
                try (NDManager statistics = manager.newSubManager()) {
                    again.initialize(statistics, DataType.FLOAT32, probeImages.getShape());
                    activationStd.put(init, activationDeviations(again, probeImages, statistics));
                }
                double[] accuracy = new double[1];
                outcomes.put(init, SgdTraining.train(context, new SgdTraining.Recipe(init, mlp(s.width(), null),
                        initializer(init), s.learningRate(), 0, s.batchSize(), s.epochs(), 1_000), train, validation, trainer -> {
                            accuracy[0] = FitLoop.evaluate(trainer, FitLoop.argmaxScorer(), test, 1_000).accuracy();
                            unitSpread.put(init, unitSpread(trainer.getModel().getBlock(), test.inputs().get("0:500")));
                        }));
                testAccuracy.put(init, accuracy[0]);
                double[] a = activationStd.get(init);
                if (Double.isFinite(unitSpread.get(init))) { // NaN where training diverged
                    result.metric("unit_spread_" + init, unitSpread.get(init));
                }
                result.metric("test_accuracy_" + init, accuracy[0]).metric("activation_std_first_" + init, a[0]).metric("activation_std_last_hidden_" + init, a[DEPTH - 2])
                        .metric("activation_std_ratio_" + init, a[0] == 0 ? 0 : a[DEPTH - 2] / a[0])
                        .metric("gradient_std_first_" + init, gradientStd.get(init)[0])
                        .metric("gradient_std_last_" + init, gradientStd.get(init)[DEPTH - 1]);
                SgdTraining.Outcome outcome = outcomes.get(init);
                if (!outcome.diverged()) {
                    result.metric("train_loss_" + init, outcome.finalTrainLoss());
                }
                result.metric("diverged_" + init, outcome.diverged() ? 1 : 0);
            }
        }
        plot(context, result, s, activationStd, gradientStd, outcomes);
        addClaims(result, context.quick(), s, activationStd, outcomes, testAccuracy, unitSpread);
        return result.build();
    }

    /** Flatten, then 19 dense layers of {@code width} with ReLU and a dense layer of 10: 20 weighted layers. */
    static SequentialBlock mlp(int width, Initializer weights) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());                  // (B, 784)
        for (int layer = 1; layer < DEPTH; layer++) {
            block.add(Linear.builder().setUnits(width).build()).add(Activation::relu);                   // (B, width)
        }
        block.add(Linear.builder().setUnits(10).build());                                               // (B, 10)
        if (weights != null) {
            block.setInitializer(weights, Parameter.Type.WEIGHT);
        }
        return block;
    }

    /** The standard deviation of each hidden layer's output (after ReLU), then of the logits: 20 values. */
    private static double[] activationDeviations(SequentialBlock block, NDArray images, NDManager manager) {
        double[] deviations = new double[DEPTH];
        NDList x = new NDList(images);
        ParameterStore store = new ParameterStore(manager, false);
        int layer = 0;
        List<Block> children = block.getChildren().values();
        for (int i = 0; i < children.size(); i++) {
            x = children.get(i).forward(store, x, false);
            boolean afterActivation = i > 0 && !(children.get(i) instanceof Linear);
            if (afterActivation || i == children.size() - 1) {
                deviations[layer++] = LayerGradients.deviation(x.singletonOrThrow().toFloatArray());
            }
        }
        return deviations;
    }

    /**
     * The largest difference between two units of one hidden layer, over all hidden layers, on the
     * given images, relative to the largest activation (0 when every activation is 0): 0 means every
     * unit of each layer computes the same function.
     */
    private static double unitSpread(Block block, NDArray images) {
        List<Block> children = block.getChildren().values();
        try (NDManager manager = images.getManager().newSubManager()) {
            NDList x = new NDList(images);
            ParameterStore store = new ParameterStore(manager, false);
            double spread = 0;
            double largest = 0;
            for (int i = 0; i < children.size() - 1; i++) {
                x = children.get(i).forward(store, x, false);
                if (i > 0 && !(children.get(i) instanceof Linear)) {
                    NDArray h = x.singletonOrThrow();                                   // (N, width)
                    spread = Math.max(spread, h.max(new int[] {1}).sub(h.min(new int[] {1})).max().getFloat());
                    largest = Math.max(largest, h.abs().max().getFloat());
                }
            }
            return largest == 0 ? 0 : spread / largest;
        }
    }

    private static void plot(RunContext context, Result.Builder result, Settings s, Map<String, double[]> activationStd,
                             Map<String, double[]> gradientStd, Map<String, SgdTraining.Outcome> outcomes) {
        double[] layers = new double[DEPTH];
        for (int l = 0; l < DEPTH; l++) {
            layers[l] = l + 1;
        }
        // Zero init has std 0 everywhere and constant init std 0 across units: neither fits a log axis.
        UnaryOperator<Map<String, double[]>> drawable = series -> {
            Map<String, double[]> kept = new LinkedHashMap<>(series);
            kept.remove("zero");
            kept.remove("constant");
            return kept;
        };
        Charts.lines(context.file("activation_std_per_layer.png"), String.format("%d-layer ReLU MLP at initialization: "
                        + "std of each layer's output (%d images; zero init: 0 everywhere)", DEPTH, s.statisticsImages()),
                "layer (1 = first)", "std of activations (log)", layers, drawable.apply(activationStd), true);
        Charts.lines(context.file("gradient_std_per_layer.png"), String.format("the same nets: std of the weight "
                        + "gradient per layer (%d images; zero init: 0 below the last layer)", s.statisticsImages()),
                "layer (1 = first)", "std of dLoss/dW (log)", layers, drawable.apply(gradientStd), true);
        double[] epochs = new double[s.epochs()];
        for (int e = 0; e < epochs.length; e++) {
            epochs[e] = e + 1;
        }
        Map<String, double[]> losses = new LinkedHashMap<>();
        outcomes.forEach((name, outcome) -> {
            if (!outcome.diverged()) {
                losses.put(name, outcome.trainLoss());
            }
        });
        Charts.lines(context.file("training_loss_per_epoch.png"), "mean training loss per epoch (runs that diverged "
                + "are left out)", "epoch", "training loss", epochs, losses, false);
        result.artifact("activation_std_per_layer.png").artifact("gradient_std_per_layer.png")
                .artifact("training_loss_per_epoch.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings s, Map<String, double[]> activationStd,
                                  Map<String, SgdTraining.Outcome> outcomes, Map<String, Double> testAccuracy,
                                  Map<String, Double> unitSpread) {
        double he = ratio(activationStd.get("he"));
        double xavier = ratio(activationStd.get("xavier"));
        double small = ratio(activationStd.get("small"));
        double large = ratio(activationStd.get("large"));
        result.claim(Claim.check(String.format("At initialization, He keeps the spread of a ReLU net's activations "
                        + "through all %d layers (last hidden layer within 2x of the first), while Xavier lets it shrink "
                        + "(below a tenth), N(0, 0.01²) lets it vanish (below 1e-6) and N(0, 1) lets it explode (above 1e6)",
                        DEPTH),
                String.format("初始化时，He 初始化让 ReLU 网络的激活值尺度在全部 %d 层中保持住（最后一个隐藏层与第一层相差不到 2 倍），"
                        + "Xavier 让它逐层缩小（不到十分之一），N(0, 0.01²) 让它消失（小于 1e-6），N(0, 1) 让它爆炸（大于 1e6）", DEPTH),
                he > 0.5 && he < 2 && xavier < 0.1 && small < 1e-6 && large > 1e6,
                Claim.values("last_over_first_he", he, "last_over_first_xavier", xavier, "last_over_first_small", small,
                        "last_over_first_large", large)));
        result.claim(Claim.check("All-zero and constant initializations never break the symmetry: after training, every "
                        + "unit of each hidden layer still computes the same output as its neighbours, and all-zero "
                        + "weights leave the network at chance",
                "全零和常数初始化永远打不破对称性：训练之后，每个隐藏层里的所有单元仍然输出同样的值；全零权重的网络停在随机猜测的水平",
                unitSpread.get("zero") == 0 && unitSpread.get("constant") < 1e-5 && testAccuracy.get("zero") <= 0.11,
                Claim.values("unit_spread_zero", unitSpread.get("zero"), "unit_spread_constant", unitSpread.get("constant"),
                        "unit_spread_he", unitSpread.get("he"), "test_accuracy_zero", testAccuracy.get("zero"),
                        "test_accuracy_constant", testAccuracy.get("constant"))));
        SgdTraining.Outcome smallRun = outcomes.get("small");
        double smallLoss = smallRun.diverged() ? Double.NaN : smallRun.finalTrainLoss();
        result.claim(Claim.checkUnlessQuick(quick, String.format("He trains the %d-layer ReLU net (test accuracy at least "
                        + "80%%) where N(0, 0.01²) stalls: its training loss stays within 1%% of chance, ln 10 = 2.303, "
                        + "after the same %d epochs", DEPTH, s.epochs()),
                String.format("He 初始化能把这个 %d 层 ReLU 网络训练起来（测试准确率至少 80%%），而 N(0, 0.01²) 停滞不前："
                        + "同样训练 %d 轮后，训练损失仍在随机猜测水平 ln 10 = 2.303 的 1%% 以内", DEPTH, s.epochs()),
                testAccuracy.get("he") >= 0.80 && smallLoss >= 0.99 * Math.log(10),
                Claim.values("test_accuracy_he", testAccuracy.get("he"), "test_accuracy_small", testAccuracy.get("small"),
                        "train_loss_small", smallLoss, "test_accuracy_xavier", testAccuracy.get("xavier"))));
    }

    /** The last hidden layer's activation spread over the first's. */
    private static double ratio(double[] deviations) {
        return deviations[0] == 0 ? 0 : deviations[DEPTH - 2] / deviations[0];
    }
}
