package dlbank.experiment.lab;

import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.AutogradReference;
import dlbank.eval.GradientCheck;
import dlbank.eval.GradientCheck.Difference;
import dlbank.eval.GradientCheck.Stencil;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.HandWrittenMlp;
import dlbank.report.Charts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Backpropagation by hand (Rumelhart, Hinton &amp; Williams, 1986): a two-layer perceptron on MNIST
 * whose gradients are derived and coded in plain Java arrays ({@link HandWrittenMlp}), checked in
 * float64 against finite differences and against DJL's autograd, at its initial weights and after
 * it has trained on its own gradients; and the cost of a backward pass next to a forward pass.
 */
public final class BackpropagationLab implements Experiment {

    public static final String ID = "lab/backpropagation";
    /** The claims' tolerance on the relative error, in float64. */
    static final double TOLERANCE = 1e-6;

    /**
     * @param checkImages the batch whose loss is differentiated
     * @param samplePerTensor finite differences on at most this many entries per tensor; 0 = all
     * @param centralStep ε of the central difference: about the cube root of float64's 2.2e-16, the
     *                    step that balances truncation and rounding error
     * @param fivePointStep h of the five-point stencil: its O(h⁴) truncation allows a larger step
     */
    record Settings(int hidden, int checkImages, int samplePerTensor, int trainImages, int epochs, int batchSize,
                    double learningRate, double centralStep, double fivePointStep) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(8, 8, 200, 1_000, context.config().epochsOr(2), context.config().batchSizeOr(32),
                            0.1, 1e-6, 1e-3)
                    : new Settings(16, 16, 0, 10_000, context.config().epochsOr(5), context.config().batchSizeOr(32),
                            0.1, 1e-6, 1e-3);
        }
    }

    /** A gradient check at one set of weights: each reference's difference per tensor. */
    record Check(String when, double loss, double autogradLossDifference, double[][] hand,
                 Map<String, double[][]> references, Map<String, Difference[]> byReference) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "hand-written backpropagation vs finite differences vs DJL autograd, in float64";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/backpropagation");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset testSet = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(context.quick() ? 1_000 : 10_000);
        ImageDataset checkSet = all.head(settings.checkImages());
        ImageDataset trainSet = all.range(settings.checkImages(), settings.checkImages() + settings.trainImages());
        double[] checkX = pixels(checkSet);
        int[] checkY = labels(checkSet);
        HandWrittenMlp mlp = new HandWrittenMlp(784, settings.hidden(), 10, context.config().seed());
        Result.Builder result = Result.builder().config("network", "784-" + settings.hidden() + "-10, tanh, softmax")
                .config("parameters", mlp.parameterCount()).config("check_images", settings.checkImages())
                .config("checked_entries_per_tensor", settings.samplePerTensor() == 0 ? "all" : settings.samplePerTensor())
                .config("central_step", settings.centralStep()).config("five_point_step", settings.fivePointStep())
                .config("train_images", trainSet.size()).config("epochs", settings.epochs())
                .config("batch_size", settings.batchSize()).config("learning_rate", settings.learningRate())
                .config("optimizer", "plain gradient descent on the hand-written gradients");
        Random random = new Random(context.config().seed());

        List<Check> checks = new ArrayList<>();
        checks.add(check(context, settings, mlp, checkX, checkY, "initial", random));
        train(context, settings, mlp, trainSet);
        double testAccuracy = accuracy(mlp, testSet);
        context.info(String.format("after %d epochs of plain gradient descent: test accuracy %.4f on %,d images",
                settings.epochs(), testAccuracy, testSet.size()));
        checks.add(check(context, settings, mlp, checkX, checkY, "trained", random));
        double[] cost = cost(mlp, pixels(testSet.head(1_000)), labels(testSet.head(1_000)));

        context.info(table(checks));
        plotErrors(context, checks.get(checks.size() - 1));
        result.artifact("gradient_errors.png");
        double worstFiniteDifference = 0;
        double worstAutograd = 0;
        for (Check check : checks) {
            for (var entry : check.byReference().entrySet()) {
                for (Difference difference : entry.getValue()) {
                    if (entry.getKey().equals("autograd")) {
                        worstAutograd = Math.max(worstAutograd, difference.maxRelative());
                    } else {
                        worstFiniteDifference = Math.max(worstFiniteDifference, difference.normRelative());
                    }
                }
            }
        }
        result.metric("max_norm_relative_error_finite_differences", worstFiniteDifference)
                .metric("max_relative_error_autograd", worstAutograd)
                .metric("test_accuracy", testAccuracy)
                .metric("backward_over_forward", cost[1] / cost[0])
                .metric("forward_ms_per_1000_images", cost[0]).metric("backward_ms_per_1000_images", cost[1]);
        for (Check check : checks) {
            result.metric("loss_" + check.when(), check.loss())
                    .metric("autograd_loss_difference_" + check.when(), check.autogradLossDifference());
            check.byReference().forEach((reference, differences) -> {
                for (int p = 0; p < differences.length; p++) {
                    String suffix = reference + "_" + HandWrittenMlp.NAMES.get(p) + "_" + check.when();
                    result.metric("norm_relative_error_" + suffix, differences[p].normRelative())
                            .metric("max_relative_error_" + suffix, differences[p].maxRelative());
                }
            });
        }
        addClaims(result, context.quick(), worstFiniteDifference, worstAutograd, testAccuracy, cost[1] / cost[0]);
        return result.build();
    }

    private static Check check(RunContext context, Settings settings, HandWrittenMlp mlp, double[] x, int[] y,
                               String when, Random random) {
        long begin = System.nanoTime();
        double[][] hand = mlp.gradients(x, y);
        Map<String, double[][]> references = new LinkedHashMap<>();
        references.put("central", GradientCheck.numerical(() -> mlp.loss(x, y), mlp.parameters(), Stencil.CENTRAL,
                settings.centralStep(), settings.samplePerTensor(), new Random(random.nextLong())));
        references.put("five_point", GradientCheck.numerical(() -> mlp.loss(x, y), mlp.parameters(),
                Stencil.FIVE_POINT, settings.fivePointStep(), settings.samplePerTensor(), new Random(random.nextLong())));
        AutogradReference.Gradients autograd = AutogradReference.of(mlp, x, y, context.device());
        references.put("autograd", autograd.gradients());
        Map<String, Difference[]> byReference = new LinkedHashMap<>();
        references.forEach((name, reference) -> {
            Difference[] differences = new Difference[hand.length];
            for (int p = 0; p < hand.length; p++) {
                differences[p] = GradientCheck.compare(hand[p], reference[p]);
            }
            byReference.put(name, differences);
        });
        double loss = mlp.loss(x, y);
        context.info(String.format("gradient check at the %s weights (loss %.4f): %.1f s", when, loss,
                (System.nanoTime() - begin) / 1e9));
        return new Check(when, loss, Math.abs(loss - autograd.loss()), hand, references, byReference);
    }

    /** Plain gradient descent on the hand-written gradients, mini-batches in a seeded shuffled order. */
    private static void train(RunContext context, Settings settings, HandWrittenMlp mlp, ImageDataset trainSet) {
        double[] x = pixels(trainSet);
        int[] y = labels(trainSet);
        Random random = new Random(context.config().seed() + 1);
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long begin = System.nanoTime();
            double loss = mlp.trainEpoch(x, y, settings.batchSize(), settings.learningRate(), random);
            context.info(String.format("epoch %d/%d  loss %.4f  %.1f s", epoch, settings.epochs(), loss,
                    (System.nanoTime() - begin) / 1e9));
        }
    }

    /**
     * {forward, backward} milliseconds for the batch, each the median of 7 timed repetitions after 3
     * warm-up ones; backward = (forward + backward) − forward.
     */
    private static double[] cost(HandWrittenMlp mlp, double[] x, int[] y) {
        double[] forward = new double[7];
        double[] both = new double[7];
        for (int repetition = -3; repetition < 7; repetition++) {
            long begin = System.nanoTime();
            mlp.loss(x, y);
            long middle = System.nanoTime();
            mlp.gradients(x, y);
            long end = System.nanoTime();
            if (repetition >= 0) {
                forward[repetition] = (middle - begin) / 1e6;
                both[repetition] = (end - middle) / 1e6;
            }
        }
        Arrays.sort(forward);
        Arrays.sort(both);
        return new double[] {forward[3], both[3] - forward[3]};
    }

    /**
     * Each entry's absolute error against its size: the finite differences' error sits at a floor
     * set by the loss's rounding, so the per-entry relative error grows where gradients are tiny.
     */
    private static void plotErrors(RunContext context, Check check) {
        Map<String, Charts.Series> series = new LinkedHashMap<>();
        double smallest = Double.POSITIVE_INFINITY;
        double largest = 0;
        for (var entry : check.references().entrySet()) {
            List<double[]> points = new ArrayList<>();
            for (int p = 0; p < check.hand().length; p++) {
                for (int i = 0; i < check.hand()[p].length; i++) {
                    double reference = entry.getValue()[p][i];
                    double error = Math.abs(check.hand()[p][i] - reference);
                    if (Math.abs(reference) > 0 && error > 0) {
                        points.add(new double[] {Math.abs(reference), error});
                        smallest = Math.min(smallest, Math.abs(reference));
                        largest = Math.max(largest, Math.abs(reference));
                    }
                }
            }
            int every = Math.max(1, points.size() / 3_000); // a readable cloud, not every point
            double[] x = new double[(points.size() + every - 1) / every];
            double[] y = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = points.get(k * every)[0];
                y[k] = points.get(k * every)[1];
            }
            series.put(entry.getKey() + " (" + points.size() + " entries)", new Charts.Series(x, y));
        }
        Map<String, Charts.Series> guides = new LinkedHashMap<>();
        if (largest > 0) {
            guides.put("relative error 1e-6", new Charts.Series(new double[] {smallest, largest},
                    new double[] {TOLERANCE * smallest, TOLERANCE * largest}));
        }
        Charts.scatter(context.file("gradient_errors.png"), "trained weights: |hand-written − reference| per gradient entry",
                "|reference gradient|", "absolute error", series, guides, true, true);
    }

    private static String table(List<Check> checks) {
        StringBuilder table = new StringBuilder("relative error of the hand-written gradient: norm-wise ‖a−b‖/max(‖a‖,‖b‖)"
                + " | largest per entry |a−b|/max(|a|,|b|)\n");
        table.append(String.format("%-8s %-11s", "weights", "reference"));
        HandWrittenMlp.NAMES.forEach(name -> table.append(String.format(" %21s", name)));
        for (Check check : checks) {
            check.byReference().forEach((reference, differences) -> {
                table.append(String.format("%n%-8s %-11s", check.when(), reference));
                for (Difference difference : differences) {
                    table.append(String.format("  %8.1e | %8.1e  ", difference.normRelative(), difference.maxRelative()));
                }
            });
        }
        return table.toString();
    }

    private static void addClaims(Result.Builder result, boolean quick, double finiteDifference, double autograd,
                                  double testAccuracy, double backwardOverForward) {
        result.claim(Claim.check("The hand-derived gradients agree with finite differences: max relative error < 1e-6 "
                        + "(norm-wise per tensor, central and five-point differences, initial and trained weights)",
                "手推梯度与有限差分一致：最大相对误差 < 1e-6（按每个参数张量的范数计，中心差分和五点差分，初始权重和训练后权重）",
                finiteDifference < TOLERANCE, Claim.values("max_norm_relative_error", finiteDifference)));
        result.claim(Claim.check("The hand-derived gradients agree with the engine's autograd: max relative error < 1e-6 "
                        + "(largest over every entry)",
                "手推梯度与引擎的自动微分一致：最大相对误差 < 1e-6（取所有元素中的最大值）",
                autograd < TOLERANCE, Claim.values("max_relative_error", autograd)));
        result.claim(Claim.checkUnlessQuick(quick, "Trained by plain gradient descent on its hand-written gradients, "
                        + "the network learns MNIST: test accuracy at least 90%",
                "只用手推梯度做普通梯度下降，这个网络就能学会 MNIST：测试准确率至少 90%",
                testAccuracy >= 0.90, Claim.values("test_accuracy", testAccuracy)));
        result.claim(Claim.checkUnlessQuick(quick, "One backward pass, which yields every gradient, costs at most "
                        + "about twice a forward pass; finite differences need two forward passes per parameter",
                "一次反向传播就得到全部梯度，代价最多约为前向传播的两倍；有限差分每个参数要两次前向传播",
                backwardOverForward <= 2.5, Claim.values("backward_over_forward", backwardOverForward)));
    }

    private static double accuracy(HandWrittenMlp mlp, ImageDataset set) {
        int[] predicted = mlp.predict(pixels(set));
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == set.label(i) ? 1 : 0;
        }
        return (double) correct / predicted.length;
    }

    /** Pixels scaled to [0, 1], row-major (N, 784). */
    private static double[] pixels(ImageDataset set) {
        double[] values = new double[set.pixels().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (set.pixels()[i] & 0xff) / 255.0;
        }
        return values;
    }

    private static int[] labels(ImageDataset set) {
        int[] values = new int[set.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = set.label(i);
        }
        return values;
    }
}
