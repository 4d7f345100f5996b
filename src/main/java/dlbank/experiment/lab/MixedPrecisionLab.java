package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
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
import dlbank.train.LossScaler;
import dlbank.train.Precision;
import dlbank.train.StepGuard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mixed-precision training measured on this CPU (Micikevicius et al., 2018, Mixed Precision
 * Training). First what the engine can do: an fp16 matrix product against fp32, and whether bf16
 * arrays can be made at all (in a separate JVM). Then the bank's MNIST CNN trained with SGD five
 * ways: fp32; weights, inputs and every layer's output rounded to bf16 or fp16 in the forward pass,
 * with fp32 master weights and the weight gradients rounded to the format; fp16 with and without
 * dynamic loss scaling; fp16 with its weights stored in fp16 (no master copy). The activations'
 * gradients inside the backward pass stay fp32: DJL offers no hook to round them.
 */
public final class MixedPrecisionLab implements Experiment {

    public static final String ID = "lab/mixed-precision";
    /** Every this many steps, the gradients are read for the underflow count. */
    private static final int SAMPLE_EVERY = 25;

    record Settings(int trainImages, int testImages, int epochs, int batchSize, float learningRate, int matrixSize) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(500, 500, context.config().epochsOr(1), context.config().batchSizeOr(50), 0.05f, 512)
                    : new Settings(20_000, 10_000, context.config().epochsOr(2), context.config().batchSizeOr(64), 0.05f, 512);
        }
    }

    /** One way of training: the format of the forward pass, loss scaling, and whether fp32 master weights exist. */
    record Recipe(String name, Precision format, boolean lossScaling, boolean masterWeights) {}

    private static final List<Recipe> RECIPES = List.of(new Recipe("fp32", Precision.FP32, false, true),
            new Recipe("bf16", Precision.BF16, false, true), new Recipe("fp16, loss scaling", Precision.FP16, true, true),
            new Recipe("fp16, no loss scaling", Precision.FP16, false, true),
            new Recipe("fp16 weights, no master copy", Precision.FP16, true, false));

    /** What one recipe's training measured. */
    record Trained(double testAccuracy, double seconds, long[] counts, int skippedSteps, double finalScale,
                   float[] sampledGradients) {
        /** The share of nonzero weight gradients (at 0) or activation gradients (at 5) flushed to 0, unscaled and scaled. */
        double[] underflow(int at) {
            return new double[] {(double) counts[at] / Math.max(1, counts[at + 2]),
                    (double) counts[at + 1] / Math.max(1, counts[at + 2])};
        }

        double lostUpdateShare() {
            return (double) counts[3] / Math.max(1, counts[4]);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "fp16 and bf16 on this CPU: speed, accuracy (emulated), gradient underflow with and without loss scaling";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/mixed-precision");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("test_accuracy_fp32", "test_accuracy_bf16", "test_accuracy_fp16_loss_scaling");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("train_images", settings.trainImages())
                .config("epochs", settings.epochs()).config("batch_size", settings.batchSize())
                .config("optimizer", "SGD, momentum 0.9, lr " + settings.learningRate())
                .config("emulation", "fp32 numbers rounded to the format: inputs, weights and each layer's output in "
                        + "the forward pass, weight gradients after it; activation gradients stay fp32")
                .config("loss_scaling", "dynamic: from 2^16, halved and the step skipped on overflow, doubled after 500 good steps");
        Map<String, Double> machine = machine(context, settings);
        machine.forEach(result::metric);
        MnistLab.Splits splits = MnistLab.load(context, settings.trainImages(), 0, settings.testImages());
        Map<String, Trained> trained = new LinkedHashMap<>();
        for (Recipe recipe : RECIPES) {
            context.info("== " + recipe.name());
            Trained run = train(context, settings, splits, recipe);
            trained.put(recipe.name(), run);
            String key = recipe.name().replace(", ", "_").replace(' ', '_');
            result.metric("test_accuracy_" + key, run.testAccuracy()).metric("seconds_" + key, run.seconds());
            context.info(String.format("%s: test accuracy %.4f, %d steps skipped, %.1f s", recipe.name(),
                    run.testAccuracy(), run.skippedSteps(), run.seconds()));
        }
        Trained scaled = trained.get("fp16, loss scaling");
        Trained noMaster = trained.get("fp16 weights, no master copy");
        double[] weightUnderflow = scaled.underflow(0);
        double[] activationUnderflow = scaled.underflow(5);
        double unscaledShare = activationUnderflow[0];
        double scaledShare = activationUnderflow[1];
        double lostShare = noMaster.lostUpdateShare();
        result.metric("fp16_activation_gradient_underflow_unscaled", unscaledShare)
                .metric("fp16_activation_gradient_underflow_scaled", scaledShare)
                .metric("fp16_weight_gradient_underflow_unscaled", weightUnderflow[0])
                .metric("fp16_weight_gradient_underflow_scaled", weightUnderflow[1])
                .metric("fp16_final_loss_scale", scaled.finalScale()).metric("fp16_skipped_steps", scaled.skippedSteps())
                .metric("fp16_no_master_lost_update_share", lostShare);
        context.info(String.format("fp16 underflow of nonzero gradient values, unscaled / scaled (final scale %.0f): "
                        + "activations %.4f%% / %.4f%%, weights %.4f%% / %.4f%%; without master weights %.2f%% of updates lost",
                scaled.finalScale(), 100 * unscaledShare, 100 * scaledShare, 100 * weightUnderflow[0],
                100 * weightUnderflow[1], 100 * lostShare));
        plot(context, result, trained, scaled);
        addClaims(result, context.quick(), machine, trained, unscaledShare, scaledShare, lostShare);
        return result.build();
    }

    /** The CPU's flags, an fp16 against an fp32 matrix product through DJL, and the bf16 probe. */
    private static Map<String, Double> machine(RunContext context, Settings settings) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        String flags = "";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            flags = Files.readAllLines(cpuinfo).stream().filter(line -> line.startsWith("flags")).findFirst().orElse("");
        }
        figures.put("cpu_avx512_bf16", flags.contains(" avx512_bf16") ? 1.0 : 0.0);
        figures.put("cpu_avx512_fp16", flags.contains(" avx512_fp16") ? 1.0 : 0.0);
        figures.put("cpu_amx_bf16", flags.contains(" amx_bf16") ? 1.0 : 0.0);
        int n = settings.matrixSize();
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            figures.put("matmul_gflops_fp32", gflops(a, n));
            figures.put("matmul_gflops_fp16", gflops(a.toType(DataType.FLOAT16, false), n));
        }
        Bf16Probe.Outcome probe = Bf16Probe.run();
        figures.put("bf16_probe_exit_code", (double) probe.exitCode());
        context.info(String.format("CPU flags: avx512_bf16 %s, avx512_fp16 %s; %dx%d matrix product: fp32 %.1f GFLOP/s, "
                        + "fp16 %.2f GFLOP/s; bf16 through DJL in a child JVM: exit code %d (%s)",
                figures.get("cpu_avx512_bf16") > 0 ? "yes" : "no", figures.get("cpu_avx512_fp16") > 0 ? "yes" : "no", n, n,
                figures.get("matmul_gflops_fp32"), figures.get("matmul_gflops_fp16"), probe.exitCode(), probe.lastLine()));
        return figures;
    }

    /** The median speed of five products a·a after one warm-up, in GFLOP/s (2n³ operations each). */
    private static double gflops(NDArray a, int n) {
        double[] seconds = new double[5];
        a.matMul(a).toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < seconds.length; i++) {
            long begin = System.nanoTime();
            try (NDArray product = a.matMul(a)) {
                product.get(new NDIndex("0, 0")).toType(DataType.FLOAT32, false).getFloat();
            }
            seconds[i] = (System.nanoTime() - begin) / 1e9;
        }
        java.util.Arrays.sort(seconds);
        return 2.0 * n * n * n / seconds[2] / 1e9;
    }

    /**
     * The bank's CNN with the input and every layer's output rounded to the format (straight through),
     * each output passing a tap that can read its gradient.
     */
    static SequentialBlock roundedCnn(Precision format, ActivationTaps taps) {
        SequentialBlock block = new SequentialBlock().addSingleton(format::roundStraightThrough);
        for (var child : MnistCnn.build().getChildren()) {
            block.add(child.getValue()).addSingleton(x -> taps.tap(format.roundStraightThrough(x)));
        }
        return block;
    }

    /**
     * Reads the gradients of layer outputs, which DJL does not keep: while recording, each output x
     * becomes leaf + (x - x'), where leaf is a detached copy of x that takes a gradient and x' is x
     * detached. The value is x's; the backward pass gives x its gradient as before and leaves the
     * same gradient in leaf.
     */
    static final class ActivationTaps {
        private final List<NDArray> leaves = new ArrayList<>();
        private boolean recording;

        NDArray tap(NDArray x) {
            if (!recording) {
                return x;
            }
            NDArray leaf = x.stopGradient();
            leaf.setRequiresGradient(true);
            leaves.add(leaf);
            return leaf.add(x.sub(x.stopGradient()));
        }

        void record(boolean on) {
            recording = on;
            if (on) {
                leaves.clear();
            }
        }

        /** The gradients the last recorded backward pass left in the taps. */
        List<NDArray> gradients() {
            return leaves.stream().map(NDArray::getGradient).toList();
        }
    }

    private static Trained train(RunContext context, Settings settings, MnistLab.Splits splits, Recipe recipe) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        try (Model model = Model.newInstance(recipe.name(), context.device())) {
            ActivationTaps taps = new ActivationTaps();
            model.setBlock(roundedCnn(recipe.format(), taps));
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(settings.learningRate()))
                    .optMomentum(0.9f).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(sgd).optDevices(new ai.djl.Device[] {context.device()}))) {
                trainer.initialize(MnistCnn.inputShape(1));
                NDManager manager = trainer.getManager();
                NDArray images = splits.train().images(manager);
                NDArray labels = splits.train().labels(manager);
                List<Parameter> parameters = model.getBlock().getParameters().values();
                LossScaler scaler = recipe.lossScaling() ? new LossScaler(65_536, 500) : null;
                StepGuard guard = StepGuard.of(recipe.name(), context.progress());
                // weight gradients: underflow unscaled, scaled, nonzero; lost updates, updates; activation gradients: the same three
                long[] counts = new long[8];
                List<Float> sampled = new ArrayList<>();
                long begin = System.nanoTime();
                int step = 0;
                int batches = (int) (images.getShape().get(0) / settings.batchSize());
                for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                    long[] order = FitLoop.shuffledOrder(images.getShape().get(0), context.config().seed(), epoch);
                    for (int b = 0; b < batches; b++, step++) {
                        try (NDManager batch = manager.newSubManager()) {
                            NDArray index = batch.create(java.util.Arrays.copyOfRange(order, b * settings.batchSize(),
                                    (b + 1) * settings.batchSize()));
                            NDArray x = images.get(batch, new NDIndex("{}", index));
                            NDArray y = labels.get(batch, new NDIndex("{}", index));
                            boolean sample = step % SAMPLE_EVERY == 0;
                            trainStep(trainer, guard, parameters, taps, recipe, scaler, x, y, sample ? counts : null,
                                    sample && recipe.name().equals("fp16, loss scaling") ? sampled : null, batch);
                        }
                    }
                    context.info(String.format("%s: epoch %d/%d done", recipe.name(), epoch, settings.epochs()));
                }
                double seconds = (System.nanoTime() - begin) / 1e9;
                FitLoop.Evaluation test = FitLoop.evaluate(trainer, FitLoop.argmaxScorer(),
                        new FitLoop.Data(splits.test().images(manager), splits.test().labels(manager)), 1_000);
                float[] gradients = new float[sampled.size()];
                for (int i = 0; i < gradients.length; i++) {
                    gradients[i] = sampled.get(i);
                }
                return new Trained(test.accuracy(), seconds, counts, scaler == null ? 0 : scaler.skipped(),
                        scaler == null ? 1 : scaler.scale(), gradients);
            }
        }
    }

    /**
     * One step: the forward and backward pass on weights rounded to the format (the fp32 master
     * values put back after it), the loss multiplied by the scale, the scaled weight gradients
     * rounded to the format, checked for overflow and divided by the scale, then the update. Without a master copy the updated weights
     * are rounded to the format again. The update goes through the step guard, which skips it if a
     * gradient is still not finite. {@code counts}, when given, collects the underflow and
     * lost-update counts of this step.
     */
    private static void trainStep(Trainer trainer, StepGuard guard, List<Parameter> parameters, ActivationTaps taps,
                                  Recipe recipe,
                                  LossScaler scaler,
                                  NDArray x, NDArray y, long[] counts, List<Float> sampled, NDManager batch) {
        Precision format = recipe.format();
        List<NDArray> master = new ArrayList<>();
        for (Parameter parameter : parameters) {
            NDArray weights = local(parameter.getArray(), batch);
            master.add(weights);
            if (format != Precision.FP32) {
                parameter.getArray().set(format.round(weights).toFloatArray());
            }
        }
        double scale = scaler == null ? 1 : scaler.scale();
        taps.record(counts != null && format == Precision.FP16);
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray output = trainer.forward(new NDList(x)).singletonOrThrow();
            collector.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(output)).mul(scale));
        }
        if (counts != null && format == Precision.FP16) {
            for (NDArray gradient : taps.gradients()) {
                countUnderflow(local(gradient, batch), scale, counts, 5, null);
            }
        }
        taps.record(false);
        boolean finite = true;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weights = parameters.get(i).getArray();
            weights.set(master.get(i).toFloatArray());
            NDArray gradient = local(weights.getGradient(), batch);
            NDArray rounded = format.round(gradient);
            if (counts != null && format == Precision.FP16) {
                countUnderflow(gradient, scale, counts, 0, sampled);
            }
            finite &= !rounded.isInfinite().logicalOr(rounded.isNaN()).any().getBoolean();
            if (format != Precision.FP32 || scale != 1) {
                weights.getGradient().set(rounded.div(scale).toFloatArray());
            }
        }
        if (scaler != null && !scaler.update(finite)) {
            dlbank.train.Gradients.zero(trainer.getModel().getBlock());
            return;
        }
        if (!guard.step(trainer, x.getShape())) {
            return;
        }
        if (!recipe.masterWeights()) {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray updated = local(parameters.get(i).getArray(), batch);
                NDArray stored = format.round(updated);
                if (counts != null) {
                    // An update is lost when the fp16 weight it should change rounds back to itself.
                    NDArray moved = updated.neq(master.get(i));
                    counts[3] += moved.logicalAnd(stored.eq(master.get(i))).sum().getLong();
                    counts[4] += moved.sum().getLong();
                }
                parameters.get(i).getArray().set(stored.toFloatArray());
            }
        }
    }

    /**
     * Adds to counts[at], counts[at + 1], counts[at + 2]: the nonzero values of these scaled
     * gradients that fp16 flushes to 0 without the scale, those it flushes with it, and the nonzero
     * values; {@code sampled}, when given, receives the unscaled values.
     */
    private static void countUnderflow(NDArray scaledGradient, double scale, long[] counts, int at, List<Float> sampled) {
        NDArray nonzero = scaledGradient.neq(0);
        counts[at] += Precision.FP16.round(scaledGradient.div(scale)).eq(0).logicalAnd(nonzero).sum().getLong();
        counts[at + 1] += Precision.FP16.round(scaledGradient).eq(0).logicalAnd(nonzero).sum().getLong();
        counts[at + 2] += nonzero.sum().getLong();
        if (sampled != null) {
            for (float value : scaledGradient.div(scale).toFloatArray()) {
                sampled.add(value);
            }
        }
    }

    /**
     * A copy of a parameter's (or its gradient's) values in the batch's manager: arithmetic on the
     * parameter itself would put every result in the parameter's long-lived manager, one leak per step.
     */
    private static NDArray local(NDArray array, NDManager batch) {
        return batch.create(array.toFloatArray(), array.getShape());
    }

    private static void plot(RunContext context, Result.Builder result, Map<String, Trained> trained, Trained scaled) {
        List<String> names = new ArrayList<>(trained.keySet());
        double[] accuracies = trained.values().stream().mapToDouble(Trained::testAccuracy).toArray();
        Charts.bars(context.file("accuracy_by_format.png"), "test accuracy by number format (same seed, same steps)",
                "format", "test accuracy", names, Map.of("test accuracy", accuracies), null);
        float[] exponents = new float[scaled.sampledGradients().length];
        int kept = 0;
        for (float g : scaled.sampledGradients()) {
            if (g != 0) {
                exponents[kept++] = (float) (Math.log(Math.abs(g)) / Math.log(2));
            }
        }
        Charts.histograms(context.file("gradient_exponents.png"), "weight gradients, log2 |g| (fp16 flushes below "
                        + "-24 to 0, is subnormal below -14, overflows above 16)", "log2 |gradient|",
                Map.of("gradients", java.util.Arrays.copyOf(exponents, kept)), -40, 0, 80, true);
        result.artifact("accuracy_by_format.png").artifact("gradient_exponents.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Map<String, Double> machine,
                                  Map<String, Trained> trained, double unscaledShare, double scaledShare, double lostShare) {
        double fp32 = trained.get("fp32").testAccuracy();
        double bf16 = trained.get("bf16").testAccuracy();
        double fp16 = trained.get("fp16, loss scaling").testAccuracy();
        double noMaster = trained.get("fp16 weights, no master copy").testAccuracy();
        result.claim(Claim.checkUnlessQuick(quick, "Through DJL on this CPU, fp16 arithmetic is slower than fp32, although the CPU has "
                        + "AVX-512 bf16 instructions: the engine has no fast half-precision path here",
                "在这台 CPU 上通过 DJL 计算，fp16 比 fp32 慢，尽管 CPU 有 AVX-512 bf16 指令：引擎在这里没有快速的半精度路径",
                machine.get("matmul_gflops_fp16") < machine.get("matmul_gflops_fp32"),
                Claim.values("matmul_gflops_fp32", machine.get("matmul_gflops_fp32"), "matmul_gflops_fp16",
                        machine.get("matmul_gflops_fp16"), "bf16_probe_exit_code", machine.get("bf16_probe_exit_code"))));
        result.claim(Claim.checkUnlessQuick(quick, "With fp32 master weights, training in bf16 (no loss scaling) and in "
                        + "fp16 with loss scaling ends within 0.5 points of fp32's test accuracy",
                "保留 fp32 主权重时，bf16（不做损失缩放）和带损失缩放的 fp16 训练，测试准确率都与 fp32 相差不到 0.5 个百分点",
                Math.abs(bf16 - fp32) <= 0.005 && Math.abs(fp16 - fp32) <= 0.005,
                Claim.values("fp32", fp32, "bf16", bf16, "fp16_loss_scaling", fp16)));
        result.claim(Claim.checkUnlessQuick(quick, "Loss scaling keeps small gradients alive in fp16: it cuts the share of "
                        + "nonzero activation-gradient values that fp16 flushes to zero at least tenfold",
                "损失缩放让小梯度在 fp16 中保留下来：被 fp16 冲成零的非零激活梯度值的比例至少降到十分之一",
                unscaledShare > 0 && scaledShare * 10 <= unscaledShare,
                Claim.values("underflow_share_unscaled", unscaledShare, "underflow_share_scaled", scaledShare)));
        result.claim(Claim.checkUnlessQuick(quick, "Without an fp32 master copy, fp16 weights lose updates that are smaller "
                        + "than half a unit in their last place, and training ends below the master-weight run",
                "没有 fp32 主权重时，fp16 权重会丢掉小于末位半个单位的更新，训练结果低于保留主权重的那次",
                lostShare > 0 && noMaster < fp16,
                Claim.values("lost_update_share", lostShare, "test_accuracy_no_master", noMaster,
                        "test_accuracy_master", fp16)));
    }
}
