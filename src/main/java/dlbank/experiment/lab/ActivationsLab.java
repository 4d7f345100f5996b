package dlbank.experiment.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.report.Charts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Why activations, measured: the gradient reaching each layer of 10-layer MLPs with sigmoid, tanh,
 * ReLU and GELU, all from the same Glorot initialisation (Glorot &amp; Bengio, 2010, showed the
 * sigmoid's vanishing gradient this way), and a 10-layer net with no activation at all against one
 * linear layer: the same function class (Saxe, McClelland &amp; Ganguli, 2014).
 */
public final class ActivationsLab implements Experiment {

    public static final String ID = "lab/activations";
    static final int DEPTH = 10;
    /** "Orders of magnitude": at least two. */
    static final double ORDERS = 100;
    static final int SINGLE_EPOCHS_FACTOR = 5;

    record Settings(int width, int gradientImages, int trainImages, int validationImages, int testImages, int epochs,
                    int batchSize, float learningRate) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(64, 128, 1_000, 300, 1_000, context.config().epochsOr(1),
                            context.config().batchSizeOr(64), 1e-3f)
                    : new Settings(128, 512, 10_000, 2_000, 10_000, context.config().epochsOr(10),
                            context.config().batchSizeOr(64), 1e-3f);
        }
    }

    /** The hidden layers' activation; null = none (a purely linear net). */
    private static final Map<String, UnaryOperator<NDArray>> ACTIVATIONS = activations();

    private static Map<String, UnaryOperator<NDArray>> activations() {
        Map<String, UnaryOperator<NDArray>> map = new LinkedHashMap<>();
        map.put("sigmoid", Activation::sigmoid);
        map.put("tanh", Activation::tanh);
        map.put("relu", Activation::relu);
        map.put("gelu", Activation::gelu);
        return map;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "gradient per layer of 10-layer MLPs (sigmoid, tanh, ReLU, GELU); a deep linear net vs one layer";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/activations");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        MnistLab.Splits splits = MnistLab.load(context, settings.trainImages(), settings.validationImages(),
                settings.testImages());
        ImageDataset gradientBatch = splits.train().head(settings.gradientImages());
        Result.Builder result = Result.builder().config("depth", DEPTH).config("width", settings.width())
                .config("initialisation", "Glorot normal weights (variance 2 / (fan_in + fan_out)), zero biases")
                .config("gradient_images", gradientBatch.size()).config("train_images", splits.train().size())
                .config("epochs", settings.epochs()).config("batch_size", settings.batchSize())
                .config("learning_rate", settings.learningRate()).config("optimizer", "adam");
        Map<String, double[]> atStart = new LinkedHashMap<>();
        Map<String, double[]> afterTraining = new LinkedHashMap<>();
        Map<String, MnistLab.Trained> trained = new LinkedHashMap<>();
        for (var activation : ACTIVATIONS.entrySet()) {
            String name = activation.getKey();
            atStart.put(name, initialGradientNorms(context, mlp(activation.getValue(), DEPTH, settings.width()), gradientBatch));
            trained.put(name, MnistLab.train(context, splits, recipe(name, activation.getValue(), DEPTH, settings),
                    MnistLab.Setup.NONE, block -> afterTraining.put(name, gradientNorms(block, gradientBatch))));
        }
        double[] collapse = new double[1];
        trained.put("linear_deep", MnistLab.train(context, splits, recipe("linear_deep", null, DEPTH, settings),
                MnistLab.Setup.NONE, block -> collapse[0] = collapseError(block, splits.test().head(1_000))));
        // One linear layer is a convex problem that Adam solves slowly: five times the epochs bring it
        // close to the best fit its function class allows, which no deep linear net can beat.
        MnistLab.Recipe single = recipe("linear_single", null, 1, settings);
        trained.put("linear_single", MnistLab.train(context, splits, new MnistLab.Recipe(single.name(), single.block(),
                SINGLE_EPOCHS_FACTOR * settings.epochs(), single.batchSize(), single.learningRate(), 0, false),
                MnistLab.Setup.NONE, block -> { }));

        trained.forEach((name, outcome) -> result.metric("train_loss_" + name, outcome.trainLoss())
                .metric("test_accuracy_" + name, outcome.testAccuracy()));
        atStart.forEach((name, norms) -> result.metric("gradient_first_layer_" + name, norms[0])
                .metric("gradient_last_layer_" + name, norms[DEPTH - 1])
                .metric("gradient_first_over_last_" + name, norms[0] / norms[DEPTH - 1]));
        result.metric("linear_collapse_max_relative_difference", collapse[0]);
        double[] layers = new double[DEPTH];
        for (int l = 0; l < DEPTH; l++) {
            layers[l] = l + 1;
        }
        Charts.lines(context.file("gradient_per_layer.png"), String.format("%d-layer MLPs at initialisation: "
                        + "gradient norm per layer (%d images)", DEPTH, gradientBatch.size()), "layer (1 = first)",
                "‖dLoss/dW‖ (log)", layers, atStart, true);
        Charts.lines(context.file("gradient_per_layer_trained.png"), String.format("the same MLPs after %d epochs: "
                + "gradient norm per layer", settings.epochs()), "layer (1 = first)", "‖dLoss/dW‖ (log)", layers,
                afterTraining, true);
        result.artifact("gradient_per_layer.png").artifact("gradient_per_layer_trained.png");
        addClaims(result, context.quick(), atStart, trained, collapse[0]);
        return result.build();
    }

    /** Flatten, then {@code depth} dense layers (the last with 10 outputs), the activation between them. */
    static SequentialBlock mlp(UnaryOperator<NDArray> activation, int depth, int width) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());                  // (B, 784)
        for (int layer = 1; layer < depth; layer++) {
            block.add(Linear.builder().setUnits(width).build());                                        // (B, width)
            if (activation != null) {
                block.addSingleton(activation::apply);
            }
        }
        block.add(Linear.builder().setUnits(10).build());                                               // (B, 10)
        // Glorot normal: DJL's Xavier with factor (fan_in + fan_out) / 2 and magnitude 1.
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.AVG, 1), Parameter.Type.WEIGHT);
        return block;
    }

    private static MnistLab.Recipe recipe(String name, UnaryOperator<NDArray> activation, int depth, Settings settings) {
        return new MnistLab.Recipe(name, () -> mlp(activation, depth, settings.width()), settings.epochs(),
                settings.batchSize(), settings.learningRate(), 0, false);
    }

    /** ‖∂L/∂W_l‖ for each layer of a freshly initialised block (seeded by the run's seed). */
    private static double[] initialGradientNorms(RunContext context, Block block, ImageDataset batch) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            block.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(batch.size()));
            return gradientNorms(block, batch);
        }
    }

    /** ‖∂L/∂W_l‖ of the softmax cross-entropy on the batch, for each weight tensor in order (layer 1 first). */
    private static double[] gradientNorms(Block block, ImageDataset batch) {
        List<Parameter> weights = block.getParameters().values().stream()
                .filter(parameter -> parameter.getType() == Parameter.Type.WEIGHT).toList();
        NDManager owner = weights.get(0).getArray().getManager();
        try (NDManager manager = owner.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = block.forward(new ParameterStore(manager, false),
                        new NDList(batch.images(manager)), true).singletonOrThrow();
                collector.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(batch.labels(manager)),
                        new NDList(logits)));
            }
            double[] norms = new double[weights.size()];
            for (int l = 0; l < norms.length; l++) {
                NDArray gradient = weights.get(l).getArray().getGradient();
                norms[l] = gradient.norm().getFloat();
                gradient.subi(gradient); // gradients accumulate: leave none behind
            }
            return norms;
        }
    }

    /**
     * Multiplies the linear net out into one affine map (W = W_L···W_1, b by the same recursion) in
     * double precision, and returns the largest difference between its logits and the net's on the
     * images, relative to the largest logit: a deep linear net is one linear layer.
     */
    private static double collapseError(Block block, ImageDataset images) {
        List<Parameter> parameters = block.getParameters().values().stream().toList();
        double[][] product = null;                                                      // (out, 784)
        double[] offset = null;                                                         // (out)
        for (int i = 0; i < parameters.size(); i += 2) {                                // weight, then bias
            NDArray weight = parameters.get(i).getArray();
            int rows = (int) weight.getShape().get(0);
            int columns = (int) weight.getShape().get(1);
            float[] w = weight.toFloatArray();
            float[] b = parameters.get(i + 1).getArray().toFloatArray();
            double[][] nextProduct = new double[rows][];
            double[] nextOffset = new double[rows];
            for (int r = 0; r < rows; r++) {
                nextProduct[r] = new double[product == null ? columns : product[0].length];
                nextOffset[r] = b[r];
                for (int k = 0; k < columns; k++) {
                    double factor = w[r * columns + k];
                    if (product == null) {
                        nextProduct[r][k] = factor;
                    } else {
                        for (int c = 0; c < product[k].length; c++) {
                            nextProduct[r][c] += factor * product[k][c];
                        }
                        nextOffset[r] += factor * offset[k];
                    }
                }
            }
            product = nextProduct;
            offset = nextOffset;
        }
        float[] logits;
        try (NDManager manager = parameters.get(0).getArray().getManager().newSubManager()) {
            logits = block.forward(new ParameterStore(manager, false), new NDList(images.images(manager)), false)
                    .singletonOrThrow().toFloatArray();
        }
        double largest = 0;
        double difference = 0;
        int classes = product.length;
        for (int n = 0; n < images.size(); n++) {
            for (int k = 0; k < classes; k++) {
                double collapsed = offset[k];
                for (int p = 0; p < 784; p++) {
                    collapsed += product[k][p] * ((images.pixels()[n * 784 + p] & 0xff) / 255.0);
                }
                largest = Math.max(largest, Math.abs(logits[n * classes + k]));
                difference = Math.max(difference, Math.abs(collapsed - logits[n * classes + k]));
            }
        }
        return difference / largest;
    }

    private static void addClaims(Result.Builder result, boolean quick, Map<String, double[]> atStart,
                                  Map<String, MnistLab.Trained> trained, double collapse) {
        double sigmoid = atStart.get("sigmoid")[0];
        double relu = atStart.get("relu")[0];
        result.claim(Claim.check("With sigmoid, the first layer's gradient is orders of magnitude (at least 100 times) "
                        + "smaller than with ReLU, in the same 10-layer network from the same initialisation",
                "用 sigmoid 时，第一层的梯度比用 ReLU 时小几个数量级（至少 100 倍）：同一个 10 层网络，同样的初始化",
                relu >= ORDERS * sigmoid, Claim.values("gradient_first_layer_sigmoid", sigmoid,
                        "gradient_first_layer_relu", relu, "relu_over_sigmoid", relu / sigmoid)));
        double deep = trained.get("linear_deep").trainLoss();
        double single = trained.get("linear_single").trainLoss();
        double reluLoss = trained.get("relu").trainLoss();
        result.claim(Claim.checkUnlessQuick(quick, String.format("A purely linear deep network fits no better than one "
                        + "linear layer: its training loss is not below that of a single linear layer trained %d times as "
                        + "long (close to the best a linear map can do), while the same depth with ReLU fits far better "
                        + "(less than half that loss)", SINGLE_EPOCHS_FACTOR),
                String.format("纯线性的深层网络拟合得并不比一个线性层好：它的训练损失不低于训练了 %d 倍时长的单个线性层"
                        + "（接近线性映射所能达到的最好结果），而同样深度加上 ReLU 的网络拟合得好得多（损失不到其一半）",
                        SINGLE_EPOCHS_FACTOR),
                deep >= single && reluLoss < single / 2,
                Claim.values("train_loss_linear_deep", deep, "train_loss_linear_single", single, "train_loss_relu",
                        reluLoss, "train_accuracy_linear_deep", trained.get("linear_deep").trainAccuracy(),
                        "train_accuracy_linear_single", trained.get("linear_single").trainAccuracy())));
        result.claim(Claim.check("The trained 10-layer linear network is one linear map: its weights multiplied out "
                        + "into a single layer give the same outputs (largest difference below 1e-4 of the largest output)",
                "训练好的 10 层线性网络就是一个线性映射：把它的权重乘成一个单层，输出相同（最大差值小于最大输出的 1e-4）",
                collapse < 1e-4, Claim.values("max_relative_difference", collapse)));
    }
}
