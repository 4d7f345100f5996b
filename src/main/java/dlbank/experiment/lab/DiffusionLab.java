package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.DigitJudge;
import dlbank.eval.FrechetDistance;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.MnistModels;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.DiffusionSchedule;
import dlbank.model.DiffusionUNet;
import dlbank.model.ParameterCount;
import dlbank.model.Weights;
import dlbank.predict.DigitDiffuser;
import dlbank.predict.DigitDiffuser.Sampler;
import dlbank.report.Charts;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;
import dlbank.train.WeightAverage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A denoising diffusion model on MNIST (Ho et al., 2020): a small U-Net learns to predict the noise
 * added to a digit at a random step of a 1,000-step noising process, with the digit's label dropped
 * one time in five so that the same network also predicts unconditionally (classifier-free guidance,
 * Ho &amp; Salimans, 2022). The samples are judged by the MNIST CNN as task/mnist-gan's are; then
 * fewer DDIM steps against quality (Song et al., 2021), and the guidance scale against how often the
 * judge reads the digit that was asked for.
 */
public final class DiffusionLab implements Experiment {

    public static final String ID = "lab/diffusion";
    /** The DCGAN's Fréchet distance at the reference's sizes in its full run (task/mnist-gan). */
    static final double DCGAN_FRECHET_HALF = 16.0;
    /** One label in five dropped to "none": the unconditional samples come from that part of training. */
    private static final float LABEL_DROPOUT = 0.2f;
    /** The weight average's decay, reached after its warm-up (see WeightAverage.withWarmUp). */
    private static final float AVERAGE_DECAY = 0.999f;
    private static final int WARM_UP_STEPS = 200;
    /**
     * Gradients clipped to this global norm before each update, as DDPM's training did (Ho et al., 2020).
     * Without it, a 7-epoch run (20261208-000358) went from a training loss of 0.0807 in its fifth epoch to
     * 0.1011 in its seventh: the loss turned upwards about 150 steps into the sixth epoch and never came
     * back, with no step whose gradient was not finite.
     */
    static final double CLIP_NORM = 1.0;
    /**
     * The network predicts the velocity, not the noise: in a probe of 1,200 steps (batch 128, a U-Net of
     * widths {32, 64} on 2x2 blocks, the same seed, DDIM 20 steps, 1,000 samples judged), predicting the
     * noise gave 24.9% confident samples at a Fréchet distance of 255 and guidance that did not change
     * which digit was drawn (10.6% read as the asked digit at scale 3); predicting the velocity gave
     * 29.7%, 206, and 24.7%.
     */
    static final DiffusionUNet.Prediction PREDICTION = DiffusionUNet.Prediction.VELOCITY;
    /**
     * The guided main set's scale. On 10,000 samples from the run 20261207-185719's model (DDIM 20 steps, the
     * digits in turn), scale 2 gave 94.1% confident samples at a Fréchet distance of 16.61 at the reference's
     * sizes, scale 1.5 88.8% at 19.13; on 1,000 samples, scale 3 was further again (22.7 against 17.2).
     */
    static final double MAIN_GUIDANCE = 2;

    /**
     * @param samples samples judged in each main set: guided towards the ten digits in turn, and unconditional
     * @param mainSteps DDIM steps of both main sets and of the guidance sweep
     * @param mainGuidance the guidance scale of the guided main set
     * @param sweepSamples samples per setting in the step and guidance sweeps
     * @param ddpmSamples samples drawn with DDPM's stochastic sampler (η = 1), for comparison
     * @param ddpmSteps its steps: all 1,000 in full mode, as DDPM samples
     */
    record Settings(int[] widths, int patch, int epochs, int batchSize, float learningRate, int trainImages, int samples,
                    int mainSteps, double mainGuidance, int sweepSamples, int[] stepSweep, int ddpmSamples, int ddpmSteps,
                    double[] guidanceSweep) {
        static Settings of(RunContext context) {
            if (context.quick()) {
                return new Settings(new int[] {8, 16, 16}, 1, context.config().epochsOr(1), context.config().batchSizeOr(64),
                        2e-3f, 512, 128, 2, MAIN_GUIDANCE, 100, new int[] {1, 2, 4}, 100, 5, new double[] {0, 1, 3});
            }
            // Full resolution (patch 1): in the same 1,200-step probe as PREDICTION's, widths {16, 32, 64} at
            // 28, 14 and 7 pixels gave 47.1% confident samples (Fréchet 95) against 29.7% (206) for {32, 64}
            // with 2x2 blocks folded into channels, at twice the time per step. Sampling (two main sets of
            // 10,000, the sweeps) takes about 11 minutes, which leaves 7 epochs within the 30 minutes.
            return new Settings(new int[] {16, 32, 64}, 1, context.config().epochsOr(7), context.config().batchSizeOr(128),
                    2e-3f, 60_000, 10_000, 20, MAIN_GUIDANCE, 1_000, new int[] {5, 10, 20, 50}, 100, DiffusionSchedule.STEPS,
                    java.util.stream.DoubleStream.of(0, 1, MAIN_GUIDANCE, 2, 3, 5).distinct().sorted().toArray());
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "DDPM with a small U-Net on MNIST, judged by the MNIST CNN; DDIM steps; classifier-free guidance";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/diffusion");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("judge_confident_share_guided", "frechet_distance_half_guided", "judge_confident_share");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("widths", java.util.Arrays.toString(settings.widths()))
                .config("patch", settings.patch() + "x" + settings.patch() + " pixels folded into channels")
                .config("epochs", settings.epochs()).config("batch_size", settings.batchSize())
                .config("optimizer", "Adam " + settings.learningRate() + ", warm-up over " + WARM_UP_STEPS
                        + " steps, then falling to 0 along a cosine")
                .config("samples_from", "an exponential moving average of the weights (decay " + AVERAGE_DECAY
                        + ", warmed up: min(decay, (1 + n) / (10 + n)) at update n); a resumed run restarts the average "
                        + "at the resumed weights")
                .config("schedule", "linear beta 1e-4..0.02 over " + DiffusionSchedule.STEPS + " steps")
                .config("prediction", "the velocity v = sqrt(alpha_bar) * noise - sqrt(1 - alpha_bar) * x0 (Salimans & Ho, "
                        + "2022), from which the sampler takes x0 and the noise")
                .config("loss", "mean squared error of the predicted velocity")
                .config("gradient_clipping", "global norm at most " + CLIP_NORM).config("label_dropout", LABEL_DROPOUT)
                .config("main_samplers", String.format("DDIM, %d steps: guided at scale %s towards the digits 0 to 9 in "
                        + "turn, and unconditional, %,d samples each from the same starting noise", settings.mainSteps(),
                        scale(settings.mainGuidance()), settings.samples()));
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info);
        int validationImages = Math.min(2_000, all.size() / 10);
        int trainCount = Math.min(settings.trainImages(), all.size() - validationImages);
        DiffusionSchedule schedule = new DiffusionSchedule();
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        int steps = settings.epochs() * (trainCount / settings.batchSize());
        CheckpointedAdam.LearningRateSchedule cosine = CheckpointedAdam.LearningRateSchedule.cosine(steps);
        CheckpointedAdam optimizer = new CheckpointedAdam(settings.learningRate())
                .withSchedule(step -> Math.min(1f, (float) step / WARM_UP_STEPS) * cosine.factor(step));
        MnistModels.Source judgeModel = MnistModels.require(context);
        judgeModel.reportTo(result);
        try (DigitJudge judge = DigitJudge.load(judgeModel.modelDir(), context.device());
             Model model = Model.newInstance(DigitDiffuser.ARCHITECTURE, context.device());
             Model average = Model.newInstance(DigitDiffuser.ARCHITECTURE, context.device())) {
            model.setBlock(new DiffusionUNet(settings.widths(), settings.patch(), PREDICTION));
            average.setBlock(new DiffusionUNet(settings.widths(), settings.patch(), PREDICTION));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer)
                    .optDevices(new ai.djl.Device[] {context.device()}))) {
                trainer.initialize(new Shape(1, DiffusionUNet.PIXELS + 2));
                average.getBlock().initialize(average.getNDManager(), DataType.FLOAT32, new Shape(1, DiffusionUNet.PIXELS + 2));
                Weights.copy(model.getBlock(), average.getBlock());
                WeightAverage averaged = new WeightAverage(model.getBlock(), average.getBlock(), AVERAGE_DECAY).withWarmUp();
                result.metric("parameters", ParameterCount.of(model.getBlock()));
                NDManager manager = trainer.getManager();
                // Fresh steps, noise and dropped labels on every training batch; fixed ones for validation.
                FitLoop loop = new FitLoop(trainer, optimizer, null, context.progress(), "img")
                        .withTransform((x, y, batch) -> noised(schedule, x, y, batch, LABEL_DROPOUT, PREDICTION))
                        .withAfterStep(averaged::update).withGradientClipping(CLIP_NORM);
                Engine.getInstance().setRandomSeed((int) context.config().seed() + 7);
                NDList validation = noised(schedule, all.range(trainCount, trainCount + validationImages).images(manager),
                        all.range(trainCount, trainCount + validationImages).labels(manager), manager, LABEL_DROPOUT, PREDICTION);
                FitLoop.Outcome outcome = loop.fit(new FitLoop.Data(all.head(trainCount).images(manager),
                                all.head(trainCount).labels(manager)), new FitLoop.Data(validation.get(0), validation.get(1)),
                        new FitLoop.Settings(settings.epochs(), settings.batchSize(), context.config().seed(), 0,
                                context.checkpointDir(), context.resume()));
                outcome.history().forEach(epoch -> result.historyRow(epoch.toRow()));
                result.metric("clipped_steps", loop.clippedSteps()).metric("largest_gradient_norm", loop.largestGradientNorm());
                DigitDiffuser diffuser = new DigitDiffuser(average);
                diffuser.save(context.outputDir().resolve("model"));
                result.artifact("model/");
                DigitJudge.Reading real = judge.read(test.images(manager));
                measure(context, result, settings, diffuser, new DigitDiffuser(model), judge, real);
            }
        }
        return result.build();
    }

    /**
     * The training pair for clean digits x (N, 1, 28, 28) in [0, 1] with labels y: the network's
     * input (x_t, t and the label, dropped to "none" with the given probability) and what it should
     * predict: the noise ε, or the velocity v.
     */
    static NDList noised(DiffusionSchedule schedule, NDArray x, NDArray y, NDManager manager, float labelDropout,
                         DiffusionUNet.Prediction prediction) {
        long n = x.getShape().get(0);
        NDArray t = DiffusionSchedule.randomSteps(manager, n);
        NDArray noise = manager.randomNormal(x.getShape());
        NDArray dropped = manager.randomUniform(0, 1, new Shape(n)).lt(labelDropout).toType(DataType.FLOAT32, false);
        NDArray labels = y.toType(DataType.FLOAT32, false).mul(dropped.neg().add(1)).add(dropped.mul(DiffusionUNet.NO_LABEL));
        NDArray x0 = x.mul(2).sub(1);
        return new NDList(DiffusionUNet.pack(schedule.noised(x0, t, noise), t, labels),
                prediction == DiffusionUNet.Prediction.VELOCITY ? schedule.velocity(x0, t, noise) : noise);
    }

    /**
     * @param last the last weights, not averaged: sampled once beside the average, to show what it adds
     * @param real the judge's reading of the whole test set
     */
    private static void measure(RunContext context, Result.Builder result, Settings settings, DigitDiffuser diffuser,
                                DigitDiffuser last, DigitJudge judge, DigitJudge.Reading real) {
        // Every draw starts from the same noise, so a sweep's point whose sampler a main set already used
        // is that set's first samples: they are taken from it instead of being drawn again.
        long seed = context.config().seed() + 3;
        Draws draws = new Draws(diffuser);
        Sampler main = Sampler.ddim(settings.mainSteps());
        Sampler guidedMain = main.guided(settings.mainGuidance());
        int[] asked = DigitDiffuser.cycle(settings.samples());
        context.info(String.format("sampling %,d digits guided at scale %s (DDIM, %d steps, the digits 0 to 9 in turn)",
                settings.samples(), scale(settings.mainGuidance()), settings.mainSteps()));
        Drawn guidedDraw = draws.draw(asked, guidedMain, seed);
        float[] guided = guidedDraw.images();
        DigitJudge.Reading guidedReading = diffuser.judged(judge, guided);
        DigitJudge.Verdict guidedVerdict = DigitJudge.Verdict.of(guidedReading, real);
        double guidedClassAccuracy = askedShare(guidedReading, asked);
        context.info(guidedVerdict.table(String.format("guided (scale %s)", scale(settings.mainGuidance()))));
        context.info(String.format("sampling %,d unconditional digits (DDIM, %d steps)", settings.samples(), settings.mainSteps()));
        Drawn unconditionalDraw = draws.draw(new int[settings.samples()], main, seed);
        float[] unconditional = unconditionalDraw.images();
        DigitJudge.Verdict verdict = DigitJudge.Verdict.of(diffuser.judged(judge, unconditional), real);
        context.info(verdict.table("unconditional"));
        // The unconditional figures keep the names that task/mnist-gan and lab/vae use; the guided ones carry "_guided".
        verdict.metrics().forEach(result::metric);
        result.metric("seconds_per_sample_main", unconditionalDraw.secondsPerSample());
        for (String name : List.of("judge_confident_share", "judge_class_entropy", "frechet_distance", "frechet_distance_half",
                "frechet_distance_half_interleaved")) {
            result.metric(name + "_guided", guidedVerdict.metrics().get(name));
        }
        result.metric("class_accuracy_guided", guidedClassAccuracy).metric("seconds_per_sample_guided", guidedDraw.secondsPerSample());
        DigitDiffuser.grid(context.file("samples.png"), String.format("100 unconditional samples, DDIM %d steps",
                settings.mainSteps()), unconditional, Math.min(100, settings.samples()), 10);
        DigitDiffuser.grid(context.file("samples_guided.png"), String.format(
                "100 samples guided at scale %s, the digits 0 to 9 in turn", scale(settings.mainGuidance())),
                guided, Math.min(100, settings.samples()), 10);
        result.artifact("samples.png").artifact("samples_guided.png");

        // Steps against quality: the same starting noise for every sampler, Fréchet distance to as many test digits.
        int n = settings.sweepSamples();
        DigitJudge.Reading realSubset = new DigitJudge.Reading(java.util.Arrays.copyOf(real.probabilities(), n),
                java.util.Arrays.copyOf(real.features(), n * DigitJudge.FEATURES));
        context.info(String.format("sweeps: DDIM steps %s, DDPM, guidance scales %s (%,d samples each)",
                java.util.Arrays.toString(settings.stepSweep()), java.util.Arrays.toString(settings.guidanceSweep()), n));
        Map<String, double[]> stepFigures = new LinkedHashMap<>();
        for (int stepsCount : settings.stepSweep()) {
            stepFigures.put("ddim-" + stepsCount, sweepPoint(draws, judge, realSubset, new int[n], Sampler.ddim(stepsCount), seed));
        }
        if (settings.ddpmSamples() > 0) {
            DigitJudge.Reading realDdpm = new DigitJudge.Reading(
                    java.util.Arrays.copyOf(real.probabilities(), settings.ddpmSamples()),
                    java.util.Arrays.copyOf(real.features(), settings.ddpmSamples() * DigitJudge.FEATURES));
            stepFigures.put("ddpm-" + settings.ddpmSteps(), sweepPoint(draws, judge, realDdpm,
                    new int[settings.ddpmSamples()], new Sampler(settings.ddpmSteps(), 1, 0), seed));
        }
        // The same starting noise and sampler as the unconditional main set, from the last weights.
        double[] lastFigures = sweepPoint(new Draws(last), judge, realSubset, new int[n], main, seed);
        result.metric("last_weights_confident_share", lastFigures[0]).metric("last_weights_frechet", lastFigures[1]);
        stepFigures.forEach((name, figures) -> result.metric(name + "_confident_share", figures[0])
                .metric(name + "_frechet", figures[1]).metric(name + "_seconds_per_sample", figures[3]));

        // Guidance scale against the share read as the digit asked for.
        Map<Double, double[]> guidanceFigures = new LinkedHashMap<>();
        for (double scale : settings.guidanceSweep()) {
            double[] figures = sweepPoint(draws, judge, realSubset, DigitDiffuser.cycle(n), main.guided(scale), seed);
            guidanceFigures.put(scale, figures);
            String key = "guidance_" + scale(scale);
            result.metric(key + "_class_accuracy", figures[2]).metric(key + "_confident_share", figures[0])
                    .metric(key + "_frechet", figures[1]);
        }
        float[] rows = diffuser.draw(guidedRows(), main.guided(3), seed + 2);
        DigitDiffuser.grid(context.file("guided.png"), "guidance scale 3: each row asks for one digit (0 to 9)",
                rows, 100, 10);
        result.artifact("guided.png");
        plot(context, result, settings, stepFigures, guidanceFigures);
        addClaims(result, context.quick(), settings, verdict, guidedVerdict, stepFigures, guidanceFigures);
    }

    /** 2.0 as "2", 1.5 as "1.5": guidance scales in metric names and texts. */
    static String scale(double scale) {
        return scale == Math.rint(scale) ? String.valueOf((int) scale) : String.valueOf(scale);
    }

    /**
     * One diffuser's draws, kept for reuse: the sampler takes each batch's starting noise from the seed
     * and the batch's position, so the first k samples of a draw are what a draw of k would give when k
     * is a whole number of batches (or the whole draw) and the labels asked for agree (they are ignored
     * unguided).
     */
    private static final class Draws {
        private final DigitDiffuser diffuser;
        private final List<Drawn> done = new java.util.ArrayList<>();

        Draws(DigitDiffuser diffuser) {
            this.diffuser = diffuser;
        }

        Drawn draw(int[] labels, Sampler sampler, long seed) {
            boolean wholeBatches = labels.length % DigitDiffuser.BATCH == 0;
            for (Drawn earlier : done) {
                boolean prefix = labels.length == earlier.labels().length
                        || (wholeBatches && labels.length < earlier.labels().length);
                if (prefix && earlier.sampler().equals(sampler) && earlier.seed() == seed && (sampler.guidance() == 0
                        || java.util.Arrays.equals(labels, java.util.Arrays.copyOf(earlier.labels(), labels.length)))) {
                    return new Drawn(labels.clone(), sampler, seed, java.util.Arrays.copyOf(earlier.images(),
                            labels.length * DiffusionUNet.PIXELS), earlier.secondsPerSample());
                }
            }
            long begin = System.nanoTime();
            float[] images = diffuser.draw(labels, sampler, seed);
            Drawn drawn = new Drawn(labels.clone(), sampler, seed, images, (System.nanoTime() - begin) / 1e9 / labels.length);
            done.add(drawn);
            return drawn;
        }
    }

    /** Samples and what it took to draw them (for samples taken from a larger draw: that draw's rate). */
    private record Drawn(int[] labels, Sampler sampler, long seed, float[] images, double secondsPerSample) {}

    /** The share of samples that the judge reads as the digit asked for. */
    private static double askedShare(DigitJudge.Reading reading, int[] asked) {
        int[] read = dlbank.eval.Predictions.argmax(reading.probabilities());
        int matches = 0;
        for (int i = 0; i < read.length; i++) {
            matches += read[i] == asked[i] ? 1 : 0;
        }
        return (double) matches / read.length;
    }

    /** {confident share, Fréchet distance to as many real digits, share read as the asked digit, seconds per sample}. */
    private static double[] sweepPoint(Draws draws, DigitJudge judge, DigitJudge.Reading real, int[] labels,
                                       Sampler sampler, long seed) {
        Drawn drawn = draws.draw(labels, sampler, seed);
        DigitJudge.Reading reading = draws.diffuser.judged(judge, drawn.images());
        return new double[] {DigitJudge.confidentShare(reading.probabilities(), 0.9),
                FrechetDistance.between(reading.features(), real.features(), DigitJudge.FEATURES),
                askedShare(reading, labels), drawn.secondsPerSample()};
    }

    /** Ten rows of ten: row d asks for digit d. */
    private static int[] guidedRows() {
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i / 10;
        }
        return labels;
    }

    private static void plot(RunContext context, Result.Builder result, Settings settings,
                             Map<String, double[]> stepFigures, Map<Double, double[]> guidanceFigures) {
        double[] steps = new double[settings.stepSweep().length];
        double[] confident = new double[steps.length];
        double[] frechet = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = settings.stepSweep()[i];
            double[] figures = stepFigures.get("ddim-" + settings.stepSweep()[i]);
            confident[i] = figures[0];
            frechet[i] = figures[1];
        }
        Charts.lines(context.file("ddim_steps.png"), "DDIM: fewer steps, worse digits (" + settings.sweepSamples()
                + " samples each)", "sampling steps", "share read with confidence > 0.9", steps,
                Map.of("confident share", confident), false);
        Charts.lines(context.file("ddim_steps_frechet.png"), "DDIM steps against the Fréchet distance to real digits",
                "sampling steps", "Fréchet distance (log)", steps, Map.of("Fréchet distance", frechet), true);
        double[] scales = guidanceFigures.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, double[]> guidance = new LinkedHashMap<>();
        guidance.put("read as the digit asked for", guidanceFigures.values().stream().mapToDouble(f -> f[2]).toArray());
        guidance.put("read with confidence > 0.9", guidanceFigures.values().stream().mapToDouble(f -> f[0]).toArray());
        Charts.lines(context.file("guidance.png"), "classifier-free guidance: scale against the judge's reading",
                "guidance scale (0 = unconditional, 1 = conditional)", "share of samples", scales, guidance, false);
        result.artifact("ddim_steps.png").artifact("ddim_steps_frechet.png").artifact("guidance.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings settings, DigitJudge.Verdict verdict,
                                  DigitJudge.Verdict guided, Map<String, double[]> stepFigures,
                                  Map<Double, double[]> guidanceFigures) {
        String scale = scale(settings.mainGuidance());
        result.claim(Claim.checkUnlessQuick(quick, String.format("At least 80%% of %,d samples guided at scale %s towards "
                        + "the ten digits in turn are read by the MNIST CNN with confidence above 0.9, and they cover the "
                        + "ten classes (class entropy at least 2.1 nats)", settings.samples(), scale),
                String.format("以引导尺度 %s 依次生成 0 到 9 的 %,d 个样本中，至少 80%% 被 MNIST CNN 以高于 0.9 的置信度识别，"
                        + "并覆盖十个类别（类别熵至少 2.1 奈特）", scale, settings.samples()),
                guided.confidentShare() >= 0.8 && guided.classEntropy() >= 2.1,
                Claim.values("judge_confident_share_guided", guided.confidentShare(), "judge_class_entropy_guided",
                        guided.classEntropy())));
        result.claim(Claim.checkUnlessQuick(quick, String.format("These guided samples lie closer to real digits than "
                        + "the first DCGAN's: Fréchet distance at the reference's sizes below its %.1f", DCGAN_FRECHET_HALF),
                String.format("这些引导样本比第一版 DCGAN 的更接近真实数字：在参照值的规模下 Fréchet 距离低于其 %.1f",
                        DCGAN_FRECHET_HALF),
                guided.frechetHalf() < DCGAN_FRECHET_HALF,
                Claim.values("frechet_distance_half_guided", guided.frechetHalf(), "dcgan_frechet_distance_half",
                        DCGAN_FRECHET_HALF, "frechet_distance_real", guided.frechetReal())));
        result.claim(Claim.checkUnlessQuick(quick, String.format("Without guidance too, at least 80%% of %,d unconditional "
                        + "samples are read with confidence above 0.9, and they cover the ten classes (class entropy at "
                        + "least 2.1 nats)", settings.samples()),
                String.format("不加引导时，%,d 个无条件样本中同样至少 80%% 被以高于 0.9 的置信度识别，并覆盖十个类别（类别熵至少 2.1 奈特）",
                        settings.samples()),
                verdict.confidentShare() >= 0.8 && verdict.classEntropy() >= 2.1,
                Claim.values("judge_confident_share", verdict.confidentShare(), "judge_class_entropy", verdict.classEntropy(),
                        "frechet_distance_half", verdict.frechetHalf())));
        int fewest = settings.stepSweep()[0];
        int most = settings.stepSweep()[settings.stepSweep().length - 1];
        double[] few = stepFigures.get("ddim-" + fewest);
        double[] many = stepFigures.get("ddim-" + most);
        result.claim(Claim.checkUnlessQuick(quick, String.format("DDIM trades steps for quality: with %d steps the samples "
                        + "are further from real digits (higher Fréchet distance) than with %d", fewest, most),
                String.format("DDIM 用步数换质量：%d 步的样本比 %d 步的离真实数字更远（Fréchet 距离更高）", fewest, most),
                few[1] > many[1], Claim.values("frechet_" + fewest + "_steps", few[1], "frechet_" + most + "_steps", many[1])));
        double[] conditional = guidanceFigures.get(1.0);
        double[] strongest = guidanceFigures.get(settings.guidanceSweep()[settings.guidanceSweep().length - 1]);
        result.claim(Claim.checkUnlessQuick(quick, "Guidance above 1 makes the samples the asked digit more often than "
                        + "plain conditioning (scale 1), at the price of a higher Fréchet distance (less variety)",
                "引导尺度大于 1 时，样本是所要求数字的比例高于单纯的条件生成（尺度 1），代价是 Fréchet 距离升高（多样性下降）",
                strongest[2] > conditional[2] && strongest[1] > conditional[1],
                Claim.values("class_accuracy_scale_1", conditional[2], "class_accuracy_strongest", strongest[2],
                        "frechet_scale_1", conditional[1], "frechet_strongest", strongest[1])));
    }
}
