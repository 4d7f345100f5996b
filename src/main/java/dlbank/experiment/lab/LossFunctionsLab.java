package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.report.Charts;
import dlbank.train.FitLoop;
import dlbank.train.StepLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-entropy vs mean squared error for the same classifier: the same MLP, data, order of
 * batches and plain SGD, each loss at its best learning rate from one sweep, and the steps each
 * needs to reach a target validation accuracy (Golik, Doetsch &amp; Ney, 2013, compared the two).
 * Twice: from the usual initialisation, and from a saturated start whose output bias for one
 * class is {@link #SATURATION}, so that the softmax begins confident and mostly wrong: the case
 * where MSE's gradient through the softmax vanishes (its Jacobian is nearly zero at a one-hot
 * output) while cross-entropy's, p − y, is at its largest.
 */
public final class LossFunctionsLab implements Experiment {

    public static final String ID = "lab/loss-functions";
    /**
     * The saturated start's output bias for class 0 (every other class keeps 0): the softmax gives
     * class 0 above 0.99 for nearly every image, confident and wrong for the nine tenths that are not 0.
     */
    static final float SATURATION = 10;
    static final List<String> STARTS = List.of("usual", "saturated");

    /**
     * @param target the validation accuracy whose first crossing is counted
     * @param every steps between two validation measurements: the resolution of the count
     */
    record Settings(int trainImages, int validationImages, int testImages, int hidden, int batchSize, int steps,
                    int every, double target, float[] learningRates) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(1_000, 300, 1_000, 64, context.config().batchSizeOr(64), 100, 25, 0.80,
                            new float[] {0.1f, 1f})
                    : new Settings(10_000, 2_000, 10_000, 128, context.config().batchSizeOr(64), 2_000, 25, 0.95,
                            new float[] {0.01f, 0.03f, 0.1f, 0.3f, 1f, 3f});
        }
    }

    /**
     * Mean over the batch of Σ_k (softmax(z)_k − y_k)²: the squared error of the predicted class
     * probabilities against one-hot targets.
     */
    static final class SoftmaxSquaredError extends Loss {
        SoftmaxSquaredError() {
            super("softmax_squared_error");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.singletonOrThrow();                                        // (B, 10)
            NDArray target = labels.singletonOrThrow().toType(DataType.INT64, false)
                    .oneHot((int) logits.getShape().get(1)).toType(DataType.FLOAT32, false);         // (B, 10)
            return logits.softmax(1).sub(target).square().sum(new int[] {1}).mean();
        }
    }

    /** One training run: validation accuracy every few steps, the first step at the target, the test accuracy. */
    record Run(String start, String loss, float learningRate, List<double[]> curve, int stepsToTarget,
               double testAccuracy) {
        double finalValidation() {
            return curve.isEmpty() ? 0 : curve.get(curve.size() - 1)[1];
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "cross-entropy vs MSE on one MNIST classifier: steps to a target accuracy";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/loss-functions");
    }

    @Override
    public Result run(RunContext context) {
        Settings s = Settings.of(context);
        MnistLab.Splits splits = MnistLab.load(context, s.trainImages(), s.validationImages(), s.testImages());
        Result.Builder result = Result.builder().config("network", "784-" + s.hidden() + "-10, ReLU")
                .config("optimizer", "plain SGD").config("train_images", splits.train().size())
                .config("batch_size", s.batchSize()).config("steps", s.steps()).config("validate_every", s.every())
                .config("target_validation_accuracy", s.target()).config("learning_rates", s.learningRates())
                .config("mse", "mean over the batch of the squared error of softmax probabilities against one-hot targets");
        Map<String, Run> best = new LinkedHashMap<>();                  // "usual cross_entropy" -> its best run
        Map<String, double[]> finalByRate = new LinkedHashMap<>();
        Map<String, int[]> stepsByRate = new LinkedHashMap<>();
        for (String start : STARTS) {
            for (String loss : List.of("cross_entropy", "mse")) {
                String key = start + " " + loss;
                double[] finals = new double[s.learningRates().length];
                int[] steps = new int[finals.length];
                for (int i = 0; i < finals.length; i++) {
                    Run run = train(context, s, splits, start, loss, s.learningRates()[i]);
                    finals[i] = run.finalValidation();
                    steps[i] = run.stepsToTarget();
                    String suffix = start + "_" + loss + "_lr" + run.learningRate();
                    result.metric("steps_to_target_" + suffix, run.stepsToTarget())
                            .metric("final_validation_accuracy_" + suffix, finals[i]);
                    if (!best.containsKey(key) || better(run, best.get(key))) {
                        best.put(key, run);
                    }
                }
                finalByRate.put(key, finals);
                stepsByRate.put(key, steps);
            }
        }
        best.forEach((key, run) -> {
            String suffix = key.replace(' ', '_');
            result.metric("best_learning_rate_" + suffix, run.learningRate())
                    .metric("steps_to_target_" + suffix, run.stepsToTarget())
                    .metric("initial_validation_accuracy_" + suffix, run.curve().get(0)[1])
                    .metric("test_accuracy_" + suffix, run.testAccuracy());
        });
        plot(context, result, s, best, finalByRate);
        addClaims(result, context.quick(), s, best, stepsByRate, finalByRate);
        return result.build();
    }

    /** Fewer steps to the target wins; among runs that never reach it, the higher final validation accuracy. */
    private static boolean better(Run run, Run than) {
        if (run.stepsToTarget() > 0 || than.stepsToTarget() > 0) {
            return run.stepsToTarget() > 0 && (than.stepsToTarget() < 0 || run.stepsToTarget() < than.stepsToTarget());
        }
        return run.finalValidation() > than.finalValidation();
    }

    private static Run train(RunContext context, Settings s, MnistLab.Splits splits, String start, String loss,
                             float rate) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        Loss objective = loss.equals("mse") ? new SoftmaxSquaredError() : Loss.softmaxCrossEntropyLoss();
        try (Model model = Model.newInstance(loss, context.device())) {
            model.setBlock(new SequentialBlock().add(Blocks.batchFlattenBlock())                       // (B, 784)
                    .add(Linear.builder().setUnits(s.hidden()).build()).add(Activation::relu)         // (B, hidden)
                    .add(Linear.builder().setUnits(10).build()));                                     // (B, 10)
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(objective)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(rate)).build())
                    .optDevices(new ai.djl.Device[] {context.device()}))) {
                trainer.initialize(MnistCnn.inputShape(1));
                if (start.equals("saturated")) {
                    // The output layer's bias (the last bias tensor): class 0's set high, every other left at 0.
                    model.getBlock().getParameters().values().stream()
                            .filter(parameter -> parameter.getType() == ai.djl.nn.Parameter.Type.BIAS)
                            .reduce((first, second) -> second).orElseThrow().getArray()
                            .set(new ai.djl.ndarray.index.NDIndex(0), SATURATION);
                }
                NDManager manager = trainer.getManager();
                FitLoop.Data validation = new FitLoop.Data(splits.validation().images(manager),
                        splits.validation().labels(manager));
                List<double[]> curve = new ArrayList<>();
                curve.add(new double[] {0, StepLoop.evaluate(trainer, validation, 1_000).accuracy()});
                int[] reached = {-1};
                StepLoop.train(trainer, new FitLoop.Data(splits.train().images(manager), splits.train().labels(manager)),
                        s.batchSize(), s.steps(), context.config().seed(), (step, batchLoss) -> {
                            if (step % s.every() == 0) {
                                double accuracy = StepLoop.evaluate(trainer, validation, 1_000).accuracy();
                                curve.add(new double[] {step, accuracy});
                                if (reached[0] < 0 && accuracy >= s.target()) {
                                    reached[0] = step;
                                }
                            }
                            return true;
                        });
                double test = StepLoop.evaluate(trainer, new FitLoop.Data(splits.test().images(manager),
                        splits.test().labels(manager)), 1_000).accuracy();
                context.info(String.format("%-9s %-13s lr %-5s target %.0f%% %s; validation %.4f, test %.4f after %d steps",
                        start, loss, rate, 100 * s.target(), reached[0] < 0 ? "never reached" : "at step " + reached[0],
                        curve.get(curve.size() - 1)[1], test, s.steps()));
                return new Run(start, loss, rate, curve, reached[0], test);
            }
        }
    }

    private static void plot(RunContext context, Result.Builder result, Settings s, Map<String, Run> best,
                             Map<String, double[]> finalByRate) {
        int points = s.steps() / s.every() + 1;
        double[] steps = new double[points];
        for (int i = 0; i < points; i++) {
            steps[i] = i * s.every();
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        best.forEach((key, run) -> {
            double[] accuracy = new double[points];
            for (int i = 0; i < points; i++) { // a run stopped by a diverging loss keeps its last value
                accuracy[i] = run.curve().get(Math.min(i, run.curve().size() - 1))[1];
            }
            curves.put(run.loss() + ", " + run.start() + " start (lr " + run.learningRate() + ")", accuracy);
        });
        curves.put(String.format("target %.2f", s.target()), steps.clone());
        java.util.Arrays.fill(curves.get(String.format("target %.2f", s.target())), s.target());
        Charts.lines(context.file("accuracy_by_step.png"), "validation accuracy per SGD step, each loss and start at "
                + "its best learning rate", "step", "validation accuracy", steps, curves, false);
        double[] rates = new double[s.learningRates().length];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = Math.log10(s.learningRates()[i]);
        }
        Charts.lines(context.file("accuracy_by_learning_rate.png"), String.format("validation accuracy after %d "
                + "steps, by learning rate", s.steps()), "log10(learning rate)", "validation accuracy", rates,
                finalByRate, false);
        result.artifact("accuracy_by_step.png").artifact("accuracy_by_learning_rate.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings s, Map<String, Run> best,
                                  Map<String, int[]> stepsByRate, Map<String, double[]> finalByRate) {
        Run saturatedCe = best.get("saturated cross_entropy");
        Run saturatedMse = best.get("saturated mse");
        result.claim(Claim.checkUnlessQuick(quick, String.format("From a saturated start (the output bias of class 0 set "
                        + "to %.0f, so the softmax begins confident and mostly wrong), cross-entropy reaches the target "
                        + "accuracy (%.0f%% of the validation images) in fewer steps than MSE, each at its best learning rate",
                        SATURATION, 100 * s.target()),
                String.format("从饱和的起点出发（输出层类别 0 的偏置设为 %.0f，softmax 一开始就很自信而且大多是错的），"
                        + "交叉熵达到目标准确率（验证图像的 %.0f%%）所需的步数比 MSE 少，两者都用各自最好的学习率",
                        SATURATION, 100 * s.target()),
                steps(saturatedCe) < steps(saturatedMse), Claim.values("steps_cross_entropy", saturatedCe.stepsToTarget(),
                        "steps_mse", saturatedMse.stepsToTarget(), "steps_given", s.steps(),
                        "initial_validation_accuracy", saturatedCe.curve().get(0)[1])));
        double start = saturatedMse.curve().get(0)[1];
        double stuckMse = finalByRate.get("saturated mse")[0];
        double movedCe = finalByRate.get("saturated cross_entropy")[0];
        float smallest = s.learningRates()[0];
        result.claim(Claim.checkUnlessQuick(quick, String.format("At a small learning rate (%s) the saturated start "
                        + "shows the vanishing gradient: after %,d steps MSE is still within 5 points of its starting "
                        + "validation accuracy, while cross-entropy has reached at least 85%%", smallest, s.steps()),
                String.format("在较小的学习率（%s）下，饱和起点显出梯度消失：%,d 步之后 MSE 的验证准确率仍与起点相差不到 "
                        + "5 个百分点，而交叉熵已至少达到 85%%", smallest, s.steps()),
                stuckMse <= start + 0.05 && movedCe >= 0.85, Claim.values("initial_validation_accuracy", start,
                        "final_validation_accuracy_mse", stuckMse, "final_validation_accuracy_cross_entropy", movedCe)));
        int[] ce = stepsByRate.get("usual cross_entropy");
        int[] mse = stepsByRate.get("usual mse");
        boolean neverSlower = true;
        Map<String, Double> measured = new LinkedHashMap<>();
        for (int i = 0; i < ce.length; i++) {
            neverSlower &= mse[i] < 0 || (ce[i] > 0 && ce[i] <= mse[i]);
            measured.put("steps_cross_entropy_lr" + s.learningRates()[i], (double) ce[i]);
            measured.put("steps_mse_lr" + s.learningRates()[i], (double) mse[i]);
        }
        result.claim(Claim.checkUnlessQuick(quick, "From the usual start and at the same learning rate, cross-entropy is "
                        + "never slower: at every rate where MSE reaches the target, cross-entropy reaches it no later",
                "从通常的起点出发、学习率相同时，交叉熵从不更慢：在 MSE 能达到目标的每个学习率下，交叉熵都不晚于它达到",
                neverSlower, measured));
        Run usualCe = best.get("usual cross_entropy");
        Run usualMse = best.get("usual mse");
        result.claim(Claim.checkUnlessQuick(quick, "From the usual start, with its learning rate tuned, MSE on softmax "
                        + "outputs comes close: it reaches the target within 1.5 times cross-entropy's steps",
                "从通常的起点出发并调好学习率时，softmax 输出上的 MSE 差距不大：它达到目标所需的步数不超过交叉熵的 1.5 倍",
                steps(usualMse) <= 1.5 * steps(usualCe), Claim.values("steps_cross_entropy", usualCe.stepsToTarget(),
                        "steps_mse", usualMse.stepsToTarget(), "best_rate_cross_entropy", usualCe.learningRate(),
                        "best_rate_mse", usualMse.learningRate())));
    }

    /** Steps to the target; a run that never reached it needed more than every step it was given. */
    private static double steps(Run run) {
        return run.stepsToTarget() < 0 ? Double.POSITIVE_INFINITY : run.stepsToTarget();
    }
}
