package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
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
 * Two ways to choose hyperparameters by measuring: a learning-rate range test (Smith, 2017,
 * Cyclical Learning Rates for Training Neural Networks), which raises the rate exponentially step
 * by step and watches the loss, and a batch-size sweep at a fixed learning rate and number of
 * epochs, timing each epoch. The model is task/mnist-cnn's CNN, trained with plain SGD.
 */
public final class HyperparametersLab implements Experiment {

    public static final String ID = "lab/hyperparameters";

    /**
     * @param trainImages divisible by every batch size, so each epoch sees every image
     * @param rangeSteps steps of the range test, the rate rising from minRate to maxRate
     */
    record Settings(int trainImages, int validationImages, int testImages, int rangeSteps, double minRate,
                    double maxRate, int[] batchSizes, int epochs) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(1_024, 300, 1_000, 60, 1e-4, 10, new int[] {32, 128, 512}, context.config().epochsOr(1))
                    : new Settings(10_240, 2_000, 10_000, 300, 1e-5, 10, new int[] {16, 64, 256, 1_024},
                            context.config().epochsOr(3));
        }
    }

    /** The range test's result: rate and smoothed loss per step, and the rates it points at. */
    record RangeTest(double[] rates, double[] smoothed, double rateAtMinimum, double suggested, boolean diverged) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "learning-rate range test; batch-size sweep (test accuracy and seconds per epoch)";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/hyperparameters");
    }

    @Override
    public Result run(RunContext context) {
        Settings s = Settings.of(context);
        MnistLab.Splits splits = MnistLab.load(context, s.trainImages(), s.validationImages(), s.testImages());
        Result.Builder result = Result.builder().config("model", "task/mnist-cnn's CNN").config("optimizer", "plain SGD")
                .config("train_images", splits.train().size()).config("range_test_steps", s.rangeSteps())
                .config("range_test_rates", new double[] {s.minRate(), s.maxRate()}).config("range_test_batch", 64)
                .config("batch_sizes", s.batchSizes()).config("epochs", s.epochs());
        RangeTest range = rangeTest(context, s, splits);
        result.metric("rate_at_minimum_loss", range.rateAtMinimum()).metric("suggested_rate", range.suggested());
        context.info(String.format("range test: lowest smoothed loss at rate %.3g; suggested rate (a tenth of it) %.3g",
                range.rateAtMinimum(), range.suggested()));
        // The suggestion, tested: one epoch at the suggested rate and one at ten times the minimum's.
        double[] atSuggested = sweepOne(context, s, splits, 64, (float) range.suggested(), 1, "suggested rate");
        double[] tooLarge = sweepOne(context, s, splits, 64, (float) (10 * range.rateAtMinimum()), 1, "10x the minimum's rate");
        result.metric("test_accuracy_suggested_rate", atSuggested[0]).metric("test_accuracy_ten_times_minimum", tooLarge[0]);

        List<String> names = new ArrayList<>();
        double[] accuracy = new double[s.batchSizes().length];
        double[] seconds = new double[s.batchSizes().length];
        double[] iterations = new double[s.batchSizes().length];
        for (int i = 0; i < accuracy.length; i++) {
            int batch = s.batchSizes()[i];
            double[] outcome = sweepOne(context, s, splits, batch, (float) range.suggested(), s.epochs(), "batch " + batch);
            accuracy[i] = outcome[0];
            seconds[i] = outcome[1];
            iterations[i] = outcome[2];
            names.add(Integer.toString(batch));
            result.metric("test_accuracy_batch" + batch, accuracy[i]).metric("seconds_per_epoch_batch" + batch, seconds[i])
                    .metric("iterations_per_epoch_batch" + batch, iterations[i]);
        }
        plot(context, result, range, names, accuracy, seconds);
        addClaims(result, context.quick(), s, range, atSuggested[0], tooLarge[0], accuracy, seconds);
        return result.build();
    }

    /**
     * Raises the learning rate exponentially from minRate to maxRate over the steps, recording the
     * loss smoothed by an exponential moving average (factor 0.95, bias-corrected); stops early once
     * it exceeds four times its minimum, as the loss then diverges.
     */
    private static RangeTest rangeTest(RunContext context, Settings s, MnistLab.Splits splits) {
        double ratio = s.maxRate() / s.minRate();
        Tracker rising = update -> (float) (s.minRate() * Math.pow(ratio, Math.min(1.0, (double) update / s.rangeSteps())));
        List<double[]> points = new ArrayList<>();
        boolean[] diverged = {false};
        train(context, 64, rising, trainer -> {
            double[] average = {0};
            double[] lowest = {Double.POSITIVE_INFINITY};
            StepLoop.train(trainer, trainData(trainer, splits), 64, s.rangeSteps(), context.config().seed(), (step, loss) -> {
                average[0] = 0.95 * average[0] + 0.05 * loss;
                double smoothed = average[0] / (1 - Math.pow(0.95, step));
                points.add(new double[] {rising.getNewValue(step), smoothed});
                lowest[0] = Math.min(lowest[0], smoothed);
                diverged[0] = !Double.isFinite(smoothed) || smoothed > 4 * lowest[0];
                return !diverged[0];
            });
            return null;
        });
        double[] rates = points.stream().mapToDouble(point -> point[0]).toArray();
        double[] smoothed = points.stream().mapToDouble(point -> Double.isFinite(point[1]) ? point[1] : 1e3).toArray();
        int minimum = 0;
        for (int i = 1; i < smoothed.length; i++) {
            minimum = smoothed[i] < smoothed[minimum] ? i : minimum;
        }
        return new RangeTest(rates, smoothed, rates[minimum], rates[minimum] / 10, diverged[0]);
    }

    /**
     * Trains the CNN for some epochs at one batch size and rate: {test accuracy, mean seconds per epoch,
     * optimizer steps (iterations) per epoch}. An epoch is one pass over the training images, so it
     * takes N / B iterations (the sizes divide N).
     */
    private static double[] sweepOne(RunContext context, Settings s, MnistLab.Splits splits, int batch, float rate,
                                     int epochs, String label) {
        return train(context, batch, Tracker.fixed(rate), trainer -> {
            FitLoop.Data data = trainData(trainer, splits);
            int perEpoch = splits.train().size() / batch;
            List<Double> times = new ArrayList<>();
            long[] begin = {System.nanoTime()};
            int steps = StepLoop.train(trainer, data, batch, perEpoch * epochs, context.config().seed(), (step, loss) -> {
                if (step % perEpoch == 0) {
                    times.add((System.nanoTime() - begin[0]) / 1e9);
                    begin[0] = System.nanoTime();
                }
                return true;
            });
            double accuracy = StepLoop.evaluate(trainer, new FitLoop.Data(splits.test().images(trainer.getManager()),
                    splits.test().labels(trainer.getManager())), 1_000).accuracy();
            // The first epoch also warms up the engine: time the later ones when there are any.
            double mean = times.stream().skip(times.size() > 1 ? 1 : 0).mapToDouble(Double::doubleValue).average()
                    .orElse(Double.NaN);
            context.info(String.format("%-24s lr %.3g, %d epoch(s): test accuracy %.4f, %.2f s per epoch", label, rate,
                    epochs, accuracy, mean));
            return new double[] {accuracy, Double.isNaN(mean) ? 0 : mean, (double) steps / epochs};
        });
    }

    private static FitLoop.Data trainData(Trainer trainer, MnistLab.Splits splits) {
        return new FitLoop.Data(splits.train().images(trainer.getManager()), splits.train().labels(trainer.getManager()));
    }

    private static <T> T train(RunContext context, int batch, Tracker rate, java.util.function.Function<Trainer, T> body) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        try (Model model = Model.newInstance("cnn", context.device())) {
            model.setBlock(MnistCnn.build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(rate).build())
                    .optDevices(new ai.djl.Device[] {context.device()}))) {
                trainer.initialize(MnistCnn.inputShape(batch));
                return body.apply(trainer);
            }
        }
    }

    private static void plot(RunContext context, Result.Builder result, RangeTest range, List<String> batches,
                             double[] accuracy, double[] seconds) {
        double[] logRates = java.util.Arrays.stream(range.rates()).map(Math::log10).toArray();
        Charts.lines(context.file("lr_range_test.png"), String.format("learning-rate range test (plain SGD): lowest "
                        + "loss at %.3g, suggested %.3g", range.rateAtMinimum(), range.suggested()),
                "log10(learning rate)", "training loss (smoothed)", logRates, Map.of("loss", range.smoothed()), false);
        Map<String, double[]> accuracySeries = new LinkedHashMap<>();
        accuracySeries.put("test accuracy", accuracy);
        Charts.bars(context.file("batch_size_accuracy.png"), "batch-size sweep at a fixed learning rate and epochs",
                "batch size", "test accuracy", batches, accuracySeries, null);
        Charts.bars(context.file("batch_size_seconds.png"), "batch-size sweep: seconds per epoch", "batch size",
                "seconds per epoch", batches, Map.of("seconds per epoch", seconds), 0.0);
        result.artifact("lr_range_test.png").artifact("batch_size_accuracy.png").artifact("batch_size_seconds.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings s, RangeTest range, double atSuggested,
                                  double tooLarge, double[] accuracy, double[] seconds) {
        double[] loss = range.smoothed();
        int tenth = Math.max(1, loss.length / 10);
        double start = loss[tenth - 1];
        double minimum = java.util.Arrays.stream(loss).min().orElse(Double.NaN);
        double end = loss[loss.length - 1];
        double earlyChange = Math.abs(loss[tenth - 1] - loss[0]) / loss[0];
        result.claim(Claim.checkUnlessQuick(quick, "The range test shows the expected shape: the loss is flat at tiny "
                        + "learning rates (changes by less than 10% over the first tenth of the test), falls to less "
                        + "than half over a middle range, then rises to at least twice its minimum once the rate is too large",
                "学习率范围测试呈现预期的形状：学习率极小时损失平坦（测试的前十分之一里变化不到 10%），在中间一段降到一半以下，"
                        + "学习率过大时又升到最小值的至少两倍",
                earlyChange < 0.10 && minimum < start / 2 && end >= 2 * minimum,
                Claim.values("early_relative_change", earlyChange, "loss_at_start", start, "minimum_loss", minimum,
                        "loss_at_end", end)));
        result.claim(Claim.checkUnlessQuick(quick, "A sensible learning rate lies on the falling part, below the rate "
                        + "with the minimum loss: one epoch at a tenth of that rate trains well (test accuracy at least "
                        + "90%), one at ten times it does not (at least 20 points lower)",
                "合适的学习率位于下降段，低于损失最小处的学习率：用它的十分之一训练一轮效果好（测试准确率至少 90%），"
                        + "用它的十倍则不行（至少低 20 个百分点）",
                atSuggested >= 0.90 && tooLarge <= atSuggested - 0.20,
                Claim.values("suggested_rate", range.suggested(), "test_accuracy_suggested", atSuggested,
                        "test_accuracy_ten_times_minimum", tooLarge)));
        int last = seconds.length - 1;
        Map<String, Double> timing = new LinkedHashMap<>();
        for (int i = 0; i < seconds.length; i++) {
            timing.put("seconds_per_epoch_batch" + s.batchSizes()[i], seconds[i]);
        }
        // Held only if what the sentence says is what was measured: the first step up in batch size
        // shortens an epoch, and somewhere further up the time per epoch stops falling.
        boolean firstStepShortens = last > 0 && seconds[1] < seconds[0];
        boolean stopsFalling = false;
        for (int i = 1; i < last; i++) {
            stopsFalling |= seconds[i + 1] >= seconds[i];
        }
        result.claim(Claim.checkUnlessQuick(quick, String.format("Larger batches shorten an epoch only up to a point: "
                        + "going from batch %d to %d shortens it, but the time per epoch does not keep falling all the "
                        + "way to batch %d", s.batchSizes()[0], s.batchSizes()[Math.min(1, last)], s.batchSizes()[last]),
                String.format("批越大，每轮越快，但只到某个点为止：批大小从 %d 增大到 %d 时每轮用时缩短，但并不会一直缩短到批大小 %d",
                        s.batchSizes()[0], s.batchSizes()[Math.min(1, last)], s.batchSizes()[last]),
                firstStepShortens && stopsFalling, timing));
        int middle = Math.min(1, last);
        result.claim(Claim.checkUnlessQuick(quick, String.format("With the learning rate and number of epochs fixed, "
                        + "the largest batch (%d) falls behind batch %d, because it makes fewer updates",
                        s.batchSizes()[last], s.batchSizes()[middle]),
                String.format("学习率和训练轮数固定时，最大的批大小（%d）不如批大小 %d，因为它更新的次数更少",
                        s.batchSizes()[last], s.batchSizes()[middle]),
                accuracy[last] < accuracy[middle], Claim.values("test_accuracy_batch" + s.batchSizes()[last],
                        accuracy[last], "test_accuracy_batch" + s.batchSizes()[middle], accuracy[middle])));
    }
}
