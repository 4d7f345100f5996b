package dlbank.experiment.lab;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dlbank.eval.WeightMaps;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.report.Charts;
import dlbank.report.Pictures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Learned features, measured: logistic regression (no hidden features), an MLP (features learned
 * by one hidden layer) and a CNN (learned, spatially shared features; LeCun et al., 1998) trained
 * on the same MNIST subset and tested on the same images, and what their first layers learned,
 * drawn and measured for structure (Zeiler &amp; Fergus, 2014, drew such filters).
 */
public final class DeepLearningLab implements Experiment {

    public static final String ID = "lab/deep-learning";
    /** The smallest neighbour correlation counted as structure; independent noise gives about 0. */
    static final double STRUCTURED = 0.3;

    /** @param trainImages a subset, so the models differ by what they learn, not by how much data they see */
    record Settings(int trainImages, int validationImages, int testImages, int epochs, int batchSize, float learningRate) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(1_000, 300, 1_000, context.config().epochsOr(2), context.config().batchSizeOr(64), 1e-3f)
                    : new Settings(10_000, 2_000, 10_000, context.config().epochsOr(10),
                            context.config().batchSizeOr(64), 1e-3f);
        }
    }

    /** One model of the comparison and how its first layer's weights read as images. */
    private record Variant(String name, Supplier<Block> block, int mapHeight, int mapWidth) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("logistic", () -> new SequentialBlock().add(Blocks.batchFlattenBlock())    // (B, 784)
                    .add(Linear.builder().setUnits(10).build()), 28, 28),                          // (B, 10)
            new Variant("mlp", () -> new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(256).build()).add(Activation::relu)            // (B, 256)
                    .add(Linear.builder().setUnits(10).build()), 28, 28),
            new Variant("cnn", MnistCnn::build, 3, 3));                                           // 32 filters 3x3

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "logistic regression vs MLP vs CNN on one MNIST subset; what the first layers learn";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/deep-learning");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        MnistLab.Splits splits = MnistLab.load(context, settings.trainImages(), settings.validationImages(),
                settings.testImages());
        Result.Builder result = Result.builder().config("train_images", splits.train().size())
                .config("validation_images", splits.validation().size()).config("test_images", splits.test().size())
                .config("epochs", settings.epochs()).config("batch_size", settings.batchSize())
                .config("learning_rate", settings.learningRate())
                .config("optimizer", "adam, the epoch with the lowest validation loss kept");
        Map<String, Double> accuracy = new LinkedHashMap<>();
        Map<String, double[]> structure = new LinkedHashMap<>();
        for (Variant variant : VARIANTS) {
            MnistLab.Weights[] initial = new MnistLab.Weights[1];
            MnistLab.Weights[] trained = new MnistLab.Weights[1];
            MnistLab.Trained outcome = MnistLab.train(context, splits, new MnistLab.Recipe(variant.name(),
                            variant.block(), settings.epochs(), settings.batchSize(), settings.learningRate(), 0, true),
                    (loop, block) -> initial[0] = MnistLab.firstWeights(block),
                    block -> trained[0] = MnistLab.firstWeights(block));
            accuracy.put(variant.name(), outcome.testAccuracy());
            int maps = (int) trained[0].shape()[0];
            float[] learned = WeightMaps.difference(trained[0].values(), initial[0].values());
            double[] correlations = {
                    WeightMaps.neighbourCorrelation(initial[0].values(), maps, variant.mapHeight(), variant.mapWidth()),
                    WeightMaps.neighbourCorrelation(trained[0].values(), maps, variant.mapHeight(), variant.mapWidth()),
                    WeightMaps.neighbourCorrelation(learned, maps, variant.mapHeight(), variant.mapWidth())};
            structure.put(variant.name(), correlations);
            result.metric("test_accuracy_" + variant.name(), outcome.testAccuracy())
                    .metric("train_accuracy_" + variant.name(), outcome.trainAccuracy())
                    .metric("parameters_" + variant.name(), outcome.parameters())
                    .metric("train_seconds_" + variant.name(), outcome.seconds())
                    .metric("neighbour_correlation_initial_" + variant.name(), correlations[0])
                    .metric("neighbour_correlation_trained_" + variant.name(), correlations[1])
                    .metric("neighbour_correlation_learned_" + variant.name(), correlations[2]);
            // The CNN's filters as trained; for the 28x28 maps what training added, which the initial noise hides.
            draw(context, result, variant, variant.name().equals("cnn") ? trained[0].values() : learned, maps);
        }
        Charts.bars(context.file("test_accuracy.png"), String.format("MNIST, %,d training images: test accuracy on %,d",
                        splits.train().size(), splits.test().size()), "model", "test accuracy",
                List.copyOf(accuracy.keySet()),
                Map.of("test accuracy", accuracy.values().stream().mapToDouble(Double::doubleValue).toArray()),
                Math.floor(10 * accuracy.values().stream().mapToDouble(Double::doubleValue).min().orElse(0) - 0.5) / 10);
        result.artifact("test_accuracy.png");
        addClaims(result, context.quick(), accuracy, structure);
        return result.build();
    }

    /** The first layer's maps as images: the CNN's 3x3 filters, the MLP's first 64 units, the 10 class templates. */
    private static void draw(RunContext context, Result.Builder result, Variant variant, float[] weights, int maps) {
        int size = variant.mapHeight() * variant.mapWidth();
        int shown = Math.min(maps, variant.name().equals("mlp") ? 64 : maps);
        String file = "first_layer_" + variant.name() + ".png";
        String title = switch (variant.name()) {
            case "cnn" -> "CNN: the 32 learned 3x3 filters of the first convolution (grey = 0)";
            case "mlp" -> "MLP: what training added to the weights of the first 64 hidden units (28x28; grey = 0)";
            default -> "logistic regression: what training added to the weights of each class 0-9 (grey = 0)";
        };
        Pictures.imageGrid(context.file(file), title, WeightMaps.asImages(weights, shown, size),
                variant.mapHeight(), variant.mapWidth(), variant.name().equals("logistic") ? 10 : 8,
                variant.name().equals("cnn") ? 24 : 3);
        result.artifact(file);
    }

    private static void addClaims(Result.Builder result, boolean quick, Map<String, Double> accuracy,
                                  Map<String, double[]> structure) {
        double logistic = accuracy.get("logistic");
        double mlp = accuracy.get("mlp");
        double cnn = accuracy.get("cnn");
        result.claim(Claim.checkUnlessQuick(quick, "Test accuracy rises as the model learns richer features: "
                        + "logistic regression < MLP < CNN on the same data",
                "模型学到的特征越丰富，测试准确率越高：在同样的数据上，逻辑回归 < MLP < CNN",
                logistic < mlp && mlp < cnn,
                Claim.values("test_accuracy_logistic", logistic, "test_accuracy_mlp", mlp, "test_accuracy_cnn", cnn)));
        double[] mlpMaps = structure.get("mlp");
        double[] cnnMaps = structure.get("cnn");
        result.claim(Claim.checkUnlessQuick(quick, String.format("The learned first-layer filters are structured, not "
                        + "noise: what training added to the MLP's and the CNN's first-layer weights has a neighbour "
                        + "correlation of at least %.1f, while their random initial weights have about 0 (below 0.1)",
                        STRUCTURED),
                String.format("学到的第一层滤波器是有结构的，而不是噪声：训练给 MLP 和 CNN 第一层权重带来的变化，相邻权重的相关系数至少 %.1f，"
                        + "而随机初始权重的约为 0（小于 0.1）", STRUCTURED),
                mlpMaps[2] >= STRUCTURED && cnnMaps[2] >= STRUCTURED && Math.abs(mlpMaps[0]) < 0.1
                        && Math.abs(cnnMaps[0]) < 0.1,
                Claim.values("neighbour_correlation_learned_mlp", mlpMaps[2], "neighbour_correlation_learned_cnn",
                        cnnMaps[2], "neighbour_correlation_initial_mlp", mlpMaps[0], "neighbour_correlation_initial_cnn",
                        cnnMaps[0])));
    }
}
