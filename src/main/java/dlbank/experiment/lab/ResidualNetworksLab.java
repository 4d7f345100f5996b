package dlbank.experiment.lab;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.DeepCnn;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Degradation and the residual cure, measured (He, Zhang, Ren &amp; Sun, 2016, Deep Residual Learning
 * for Image Recognition): plain and residual CNNs of 8, 20 and 44 layers, all with batch norm and
 * the same weights per depth, trained alike on Fashion-MNIST. The plain nets' training loss rises
 * with depth, so the deeper net is not overfitting but failing to fit; the residual nets' does not.
 * The gradient reaching each layer at the start shows where the training signal goes.
 */
public final class ResidualNetworksLab implements Experiment {

    public static final String ID = "lab/residual-networks";

    /** @param gradientImages the batch the per-layer gradients are measured on */
    record Settings(int[] depths, int epochs, int batchSize, float learningRate, int trainImages, int validationImages,
                    int testImages, int gradientImages) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(new int[] {8, 14}, 1, 32, 0.05f, 320, 200, 300, 64)
                    : new Settings(new int[] {8, 20, 44}, context.config().epochsOr(4), context.config().batchSizeOr(128),
                            0.1f, 10_000, 1_000, 10_000, 256);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "plain vs residual CNNs of 8, 20 and 44 layers on Fashion-MNIST: training loss by depth; gradient per layer";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/residual-networks");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("train_loss_plain_44", "train_loss_residual_44", "test_accuracy_plain_44", "test_accuracy_residual_44");
    }

    /**
     * One trained network's figures.
     *
     * @param trainLoss the mean training loss of the last epoch, as the optimizer saw it (batch norm on
     *                  each batch's statistics): how well the net fits, without the lag of the running
     *                  averages that inference mode would add while the weights still move fast
     */
    record Trained(SgdTraining.Outcome outcome, double trainLoss, double testAccuracy, double[] gradientAtStart,
                   double[] gradientAfter) {}

    @Override
    public Result run(RunContext context) {
        return run(context, Settings.of(context));
    }

    /** The run with the given settings instead of the defaults of its mode. */
    Result run(RunContext context, Settings s) {
        int warmUp = s.trainImages() / s.batchSize();
        Result.Builder result = Result.builder()
                .config("network", "3x3 conv (stride 2) + 3 stages of n two-conv blocks (16/32/64 channels) + global "
                        + "average pooling + dense 10: 6n + 2 weighted layers, batch norm after every convolution")
                .config("shortcut", "identity; where a stage halves the size: every second pixel, new channels zero")
                .config("depths", s.depths()).config("epochs", s.epochs()).config("batch_size", s.batchSize())
                .config("optimizer", String.format("SGD, momentum 0.9, rate %s after a linear warm-up over the first "
                        + "epoch (%d steps)", s.learningRate(), warmUp)).config("train_images", s.trainImages())
                .config("train_loss", "mean training loss of the last epoch (batch norm on batch statistics)")
                .config("test_accuracy", "inference mode (running statistics)");
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset testSet = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TEST, context::info)
                .head(s.testImages());
        Map<String, Trained> trained = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            FitLoop.Data train = new FitLoop.Data(all.head(s.trainImages()).images(manager), all.head(s.trainImages()).labels(manager));
            ImageDataset held = all.range(s.trainImages(), s.trainImages() + s.validationImages());
            FitLoop.Data validation = new FitLoop.Data(held.images(manager), held.labels(manager));
            FitLoop.Data test = new FitLoop.Data(testSet.images(manager), testSet.labels(manager));
            NDIndex probe = new NDIndex("0:{}", s.gradientImages());
            FitLoop.Data gradientBatch = new FitLoop.Data(train.inputs().get(probe), train.labels().get(probe));
            for (int depth : s.depths()) {
                for (boolean residual : new boolean[] {false, true}) {
                    String name = (residual ? "residual_" : "plain_") + depth;
                    double[] atStart = LayerGradients.norms(LayerGradients.atInitialisation(context,
                            DeepCnn.build(depth, residual, DeepCnn.Norm.BATCH), gradientBatch.inputs(), gradientBatch.labels()));
                    double[] testAccuracy = new double[1];
                    double[][] after = new double[1][];
                    SgdTraining.Outcome outcome = SgdTraining.train(context, new SgdTraining.Recipe(name,
                            DeepCnn.build(depth, residual, DeepCnn.Norm.BATCH), null, s.learningRate(), warmUp,
                            s.batchSize(), s.epochs(), 500), train, validation, trainer -> {
                                testAccuracy[0] = FitLoop.evaluate(trainer, FitLoop.argmaxScorer(), test, 500).accuracy();
                                after[0] = LayerGradients.norms(LayerGradients.of(trainer.getModel().getBlock(),
                                        gradientBatch.inputs(), gradientBatch.labels()));
                            });
                    Trained t = new Trained(outcome, outcome.finalTrainLoss(), testAccuracy[0], atStart, after[0]);
                    trained.put(name, t);
                    context.info(String.format("%s: training loss %.4f, test accuracy %.4f, first-layer gradient %.3g "
                            + "at start, %.3g after (%.0f s)", name, t.trainLoss(), t.testAccuracy(), atStart[0],
                            t.gradientAfter()[0], outcome.seconds()));
                    result.metric("train_loss_" + name, t.trainLoss()).metric("test_accuracy_" + name, t.testAccuracy())
                            .metric("first_layer_gradient_at_start_" + name, atStart[0])
                            .metric("last_layer_gradient_at_start_" + name, atStart[atStart.length - 1])
                            .metric("first_layer_gradient_after_" + name, t.gradientAfter()[0])
                            .metric("seconds_" + name, outcome.seconds());
                }
            }
        }
        plot(context, result, s, trained);
        addClaims(result, context.quick(), s, trained);
        return result.build();
    }

    private static void plot(RunContext context, Result.Builder result, Settings s, Map<String, Trained> trained) {
        double[] epochs = new double[s.epochs()];
        for (int e = 0; e < epochs.length; e++) {
            epochs[e] = e + 1;
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        trained.forEach((name, t) -> curves.put(name, t.outcome().trainLoss()));
        Charts.lines(context.file("training_loss_per_epoch.png"), "mean training loss per epoch (SGD, momentum 0.9, "
                + "rate " + s.learningRate() + ")", "epoch", "training loss", epochs, curves, false);
        double[] depths = java.util.Arrays.stream(s.depths()).asDoubleStream().toArray();
        Map<String, double[]> byDepth = new LinkedHashMap<>();
        for (String kind : List.of("plain", "residual")) {
            byDepth.put(kind, java.util.Arrays.stream(s.depths()).mapToDouble(d -> trained.get(kind + "_" + d).trainLoss()).toArray());
        }
        Charts.lines(context.file("training_loss_by_depth.png"), String.format("training loss after %d epochs, by depth",
                s.epochs()), "weighted layers", "mean training loss, last epoch", depths, byDepth, false);
        int deepest = s.depths()[s.depths().length - 1];
        Map<String, double[]> perLayer = new LinkedHashMap<>();
        perLayer.put("plain, at start", trained.get("plain_" + deepest).gradientAtStart());
        perLayer.put("residual, at start", trained.get("residual_" + deepest).gradientAtStart());
        perLayer.put("plain, trained", trained.get("plain_" + deepest).gradientAfter());
        perLayer.put("residual, trained", trained.get("residual_" + deepest).gradientAfter());
        double[] layers = new double[perLayer.get("plain, at start").length];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = l + 1;
        }
        Charts.lines(context.file("gradient_norm_per_layer.png"), String.format("%d-layer nets: gradient norm per layer "
                + "(%d images)", deepest, s.gradientImages()), "layer (1 = first)", "‖dLoss/dW‖ (log)", layers, perLayer, true);
        result.artifact("training_loss_per_epoch.png").artifact("training_loss_by_depth.png").artifact("gradient_norm_per_layer.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings s, Map<String, Trained> trained) {
        int[] d = s.depths();
        int shallow = d[0];
        int deepest = d[d.length - 1];
        double[] plain = java.util.Arrays.stream(d).mapToDouble(depth -> trained.get("plain_" + depth).trainLoss()).toArray();
        double[] residual = java.util.Arrays.stream(d).mapToDouble(depth -> trained.get("residual_" + depth).trainLoss()).toArray();
        boolean plainRises = true;
        for (int i = 1; i < plain.length; i++) {
            plainRises &= plain[i] > plain[i - 1];
        }
        result.claim(Claim.checkUnlessQuick(quick, String.format("Plain nets degrade: their training loss rises with depth "
                        + "(%s layers), so the deeper plain net fits its own training data worse", join(d)),
                String.format("普通网络出现退化：训练损失随深度（%s 层）上升，更深的普通网络连自己的训练数据都拟合得更差", join(d)),
                plainRises, values("train_loss_plain_", d, plain)));
        result.claim(Claim.checkUnlessQuick(quick, String.format("Residual nets do not degrade: the %d-layer residual net's "
                        + "training loss is no higher than the %d-layer one's", deepest, shallow),
                String.format("残差网络没有退化：%d 层残差网络的训练损失不高于 %d 层的", deepest, shallow),
                residual[residual.length - 1] <= residual[0], values("train_loss_residual_", d, residual)));
        Trained plainDeep = trained.get("plain_" + deepest);
        Trained residualDeep = trained.get("residual_" + deepest);
        result.claim(Claim.checkUnlessQuick(quick, String.format("At %d layers the residual net's advantage is in fitting, "
                        + "not in overfitting less: its training loss is under half the plain net's, and its test accuracy "
                        + "is higher", deepest),
                String.format("%d 层时，残差网络的优势在于拟合得更好，而不是过拟合更少：它的训练损失不到普通网络的一半，"
                        + "测试准确率也更高", deepest),
                residualDeep.trainLoss() < plainDeep.trainLoss() / 2 && residualDeep.testAccuracy() > plainDeep.testAccuracy(),
                Claim.values("train_loss_plain", plainDeep.trainLoss(), "train_loss_residual", residualDeep.trainLoss(),
                        "test_accuracy_deepest_plain", plainDeep.testAccuracy(), "test_accuracy_residual", residualDeep.testAccuracy())));
        double[] firstPlain = java.util.Arrays.stream(d).mapToDouble(depth -> trained.get("plain_" + depth).gradientAtStart()[0])
                .toArray();
        double firstResidual = residualDeep.gradientAtStart()[0];
        Map<String, Double> gradients = values("first_layer_gradient_plain_", d, firstPlain);
        gradients.put("first_layer_gradient_residual_" + deepest, firstResidual);
        result.claim(Claim.check(String.format("The deep plain nets (with batch norm) do not fail by a vanishing gradient: "
                        + "at the start, the first layer of the %d-layer plain net receives a larger gradient than that of "
                        + "the %d-layer plain net and than that of the %d-layer residual net", deepest, shallow, deepest),
                String.format("带批归一化的深层普通网络训练失败，并不是因为梯度消失：训练开始时，%d 层普通网络第一层收到的梯度"
                        + "比 %d 层普通网络的大，也比 %d 层残差网络的大", deepest, shallow, deepest),
                firstPlain[firstPlain.length - 1] > firstPlain[0] && firstPlain[firstPlain.length - 1] > firstResidual,
                gradients));
    }

    private static String join(int[] depths) {
        return String.join("/", java.util.Arrays.stream(depths).mapToObj(Integer::toString).toList());
    }

    private static Map<String, Double> values(String prefix, int[] depths, double[] numbers) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < depths.length; i++) {
            values.put(prefix + depths[i], numbers[i]);
        }
        return values;
    }
}
