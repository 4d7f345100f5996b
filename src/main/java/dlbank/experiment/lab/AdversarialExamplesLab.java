package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.Attacks;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.MnistModels;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.MnistCnn;
import dlbank.model.SavedModel;
import dlbank.report.Charts;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adversarial examples on task/mnist-cnn's model: accuracy under FGSM and PGD as ε grows, JSMA as
 * Papernot et al. (2016) ran it (every other class as the target, the softmax's Jacobian, θ = +1,
 * Υ = 14.5%), and two adversarially trained copies of the network, attacked again afterwards: one
 * trained on FGSM examples from a random start (Wong, Rice &amp; Kolter, 2020, Fast is better than
 * free) on half of every batch (Goodfellow et al.'s mixed objective), one on PGD examples only
 * (Madry et al., 2018, Towards Deep Learning Models Resistant to Adversarial Attacks). Every attack
 * freezes the model (dlbank.eval.Attacks).
 */
public final class AdversarialExamplesLab implements Experiment {

    public static final String ID = "lab/adversarial-examples";
    static final float[] EPSILONS = {0f, 0.05f, 0.1f, 0.15f, 0.2f, 0.25f, 0.3f};
    /** The ε of the acceptance figures: a quarter of the pixel range. */
    static final float HEADLINE_EPSILON = 0.25f;

    /**
     * @param attackImages test images of the accuracy-vs-ε curves (PGD's 20 steps per ε cost the most)
     * @param headlineImages test images of the PGD figure at the headline ε (FGSM's uses all of them)
     * @param pgdSteps PGD steps of the attacks, each 2.5·ε/steps long (Madry et al.'s rule)
     * @param jsmaDigits test digits attacked by JSMA, each toward all nine other classes
     * @param trainEpsilon the ε adversarial training defends (Madry et al.'s 0.3 for MNIST)
     * @param trainPgdSteps PGD steps per training batch, each 2.5·ε/steps long
     * @param rampBatches batches over which the training ε rises from 0 to trainEpsilon: PGD training at
     *                    the full ε from the first step can stall at chance
     */
    record Settings(int attackImages, int headlineImages, int testImages, int pgdSteps, int jsmaDigits, int trainImages,
                    int epochs, int batchSize, float trainEpsilon, int trainPgdSteps, int rampBatches) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(100, 100, 500, 3, 1, 1_000, context.config().epochsOr(1), context.config().batchSizeOr(64),
                            0.3f, 2, 5)
                    : new Settings(1_000, 2_000, 10_000, 20, 10, 60_000, context.config().epochsOr(4),
                            context.config().batchSizeOr(64), 0.3f, 7, 860);
        }
    }

    /** The two ways of adversarial training. */
    enum Training { FGSM, PGD }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "FGSM, PGD and JSMA on the MNIST CNN; FGSM and PGD adversarial training and their robustness";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/adversarial-examples");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("fgsm_accuracy_standard_0.25", "pgd_accuracy_pgd_trained_0.25", "pgd_accuracy_fgsm_trained_0.25",
                "jsma_mean_changed_share");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("epsilons", EPSILONS).config("attack_images", settings.attackImages())
                .config("pgd", settings.pgdSteps() + " steps of 2.5·ε/steps from a random start")
                .config("jsma", "Papernot et al.'s increasing variant: saliency of pixel pairs from the softmax's Jacobian, "
                        + "pairs set to 1 (θ = +1), at most 14.5% of the pixels (Υ); every other class as the target")
                .config("fgsm_training", String.format("fresh %s, %d epochs, each batch plus its FGSM examples from a "
                        + "random start at ε %.2f (step 1.25·ε)", MnistCnnTask.ARCHITECTURE, settings.epochs(), settings.trainEpsilon()))
                .config("pgd_training", String.format("fresh %s, %d epochs on PGD examples only (%d steps of 2.5·ε/%d from "
                        + "a random start), ε rising from 0 to %.2f over the first %d batches", MnistCnnTask.ARCHITECTURE,
                        settings.epochs(), settings.trainPgdSteps(), settings.trainPgdSteps(), settings.trainEpsilon(),
                        settings.rampBatches()))
                .config("train_images", settings.trainImages()).config("headline_pgd_images", settings.headlineImages());
        ImageDataset train = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info)
                .head(settings.trainImages());
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        MnistModels.Source source = MnistModels.require(context);
        source.reportTo(result);
        Map<String, Robustness> models = new LinkedHashMap<>();
        double leaked = 0;
        try (Model standard = SavedModel.load(source.modelDir(), MnistCnnTask.ARCHITECTURE, MnistCnn::build,
                context.device());
             NDManager manager = standard.getNDManager().newSubManager()) {
            Probe probe = new Probe(settings, test.images(manager), test.labels(manager));
            context.info("== attacks on task/mnist-cnn's model");
            models.put("standard", probe.measure(context, standard.getBlock()));
            AdversarialGallery.Jsma jsma = AdversarialGallery.jsma(standard.getBlock(), test, settings.jsmaDigits(), manager);
            AdversarialGallery.grid(context.file("adversarial_examples.png"), standard.getBlock(), test, jsma, manager);
            result.artifact("adversarial_examples.png").metric("jsma_attacks", jsma.attempts())
                    .metric("jsma_success_rate", jsma.successRate()).metric("jsma_mean_changed_share", jsma.meanChangedShare());
            context.info(String.format("JSMA: %d of %d (digit, target) pairs reach the target, changing %.2f%% of the "
                    + "pixels on average", jsma.successes(), jsma.attempts(), 100 * jsma.meanChangedShare()));
            for (Training training : Training.values()) {
                String name = training.name().toLowerCase() + "_trained";
                context.info("== " + training.name() + " adversarial training of a fresh " + MnistCnnTask.ARCHITECTURE);
                try (Model robust = Model.newInstance(name, context.device())) {
                    robust.setBlock(MnistCnn.build());
                    CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
                    try (Trainer trainer = robust.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()}))) {
                        trainer.initialize(MnistCnn.inputShape(1));
                        FitLoop.Outcome outcome = adversariallyTrain(context, settings, trainer, optimizer, train, training);
                        result.metric("train_seconds_" + name, outcome.history().stream()
                                .mapToDouble(FitLoop.EpochStats::seconds).sum());
                        if (training == Training.PGD) {
                            outcome.history().forEach(epoch -> result.historyRow(epoch.toRow()));
                        }
                        models.put(name, probe.measure(context, robust.getBlock()));
                        leaked = Math.max(leaked, largestWeightGradient(robust.getBlock()));
                    }
                }
            }
        }
        report(context, result, models, leaked);
        return result.build();
    }

    /** Clean and attacked accuracies of one model. */
    record Robustness(double clean, double fgsmHeadline, double pgdHeadline, double[] fgsm, double[] pgd) {}

    /** The test images every model faces: all of them at the headline ε, the first ones for the curves. */
    private record Probe(Settings settings, NDArray images, NDArray labels) {
        Robustness measure(RunContext context, Block block) {
            NDArray attackImages = images.get("0:" + settings.attackImages());
            NDArray attackLabels = labels.get("0:" + settings.attackImages());
            double clean = Attacks.accuracyUnder(block, images, labels, (x, y) -> x);
            double fgsmHeadline = Attacks.accuracyUnder(block, images, labels,
                    (x, y) -> Attacks.fgsm(block, x, y, HEADLINE_EPSILON));
            double pgdHeadline = Attacks.accuracyUnder(block, images.get("0:" + settings.headlineImages()),
                    labels.get("0:" + settings.headlineImages()), (x, y) -> pgd(block, x, y, HEADLINE_EPSILON));
            double[] fgsm = new double[EPSILONS.length];
            double[] pgd = new double[EPSILONS.length];
            for (int i = 0; i < EPSILONS.length; i++) {
                float epsilon = EPSILONS[i];
                fgsm[i] = Attacks.accuracyUnder(block, attackImages, attackLabels, (x, y) -> Attacks.fgsm(block, x, y, epsilon));
                pgd[i] = Attacks.accuracyUnder(block, attackImages, attackLabels, (x, y) -> pgd(block, x, y, epsilon));
                context.info(String.format("ε %.2f: FGSM accuracy %.3f, PGD accuracy %.3f", epsilon, fgsm[i], pgd[i]));
            }
            context.info(String.format("clean accuracy %.4f; at ε %.2f FGSM %.4f (%d test images), PGD %.4f (%d)", clean,
                    HEADLINE_EPSILON, fgsmHeadline, images.getShape().get(0), pgdHeadline, settings.headlineImages()));
            return new Robustness(clean, fgsmHeadline, pgdHeadline, fgsm, pgd);
        }

        private NDArray pgd(Block block, NDArray x, NDArray y, float epsilon) {
            return Attacks.pgd(block, x, y, epsilon, settings.pgdSteps(), 2.5f * epsilon / settings.pgdSteps(),
                    x.getManager().randomUniform(-1f, 1f, x.getShape()));
        }
    }

    /**
     * FGSM: each batch of 64 becomes 128, the clean images and their FGSM examples from a random start
     * in the ε-box (step 1.25·ε, projected back into the box). PGD: each batch is replaced by its PGD
     * examples, Madry et al.'s inner maximisation, with ε rising over the first batches.
     */
    private static FitLoop.Outcome adversariallyTrain(RunContext context, Settings settings, Trainer trainer,
                                                      CheckpointedAdam optimizer, ImageDataset train, Training training) {
        Block block = trainer.getModel().getBlock();
        long[] batches = {0};
        FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), context.progress(), "img")
                .withTransform((x, y, batch) -> {
                    float epsilon = settings.trainEpsilon();
                    if (training == Training.FGSM) {
                        NDArray start = x.add(batch.randomUniform(-epsilon, epsilon, x.getShape())).clip(0f, 1f);
                        NDArray step = Attacks.lossGradient(block, start, y).sign().mul(1.25f * epsilon);
                        NDArray adversarial = start.add(step).maximum(x.sub(epsilon)).minimum(x.add(epsilon)).clip(0f, 1f);
                        return new NDList(x.concat(adversarial, 0), y.concat(y, 0));
                    }
                    // A resumed run counts its batches from 0 again, so its ramp restarts: a short detour.
                    float ramped = epsilon * (float) Math.min(1.0, (++batches[0]) / (double) settings.rampBatches());
                    int steps = settings.trainPgdSteps();
                    return new NDList(Attacks.pgd(block, x, y, ramped, steps, 2.5f * ramped / steps,
                            batch.randomUniform(-1f, 1f, x.getShape())), y);
                });
        NDManager manager = trainer.getManager();
        int validation = Math.max(100, train.size() / 12);
        ImageDataset fit = train.range(0, train.size() - validation);
        ImageDataset held = train.range(train.size() - validation, train.size());
        return loop.fit(new FitLoop.Data(fit.images(manager), fit.labels(manager)),
                new FitLoop.Data(held.images(manager), held.labels(manager)),
                new FitLoop.Settings(settings.epochs(), settings.batchSize(), context.config().seed(), 0,
                        context.checkpointDir().resolve(training.name().toLowerCase()), context.resume()));
    }

    /** The largest |gradient| held by any weight of the block: 0 when no attack leaked into it. */
    static double largestWeightGradient(Block block) {
        double largest = 0;
        for (var parameter : block.getParameters().values()) {
            for (float g : parameter.getArray().getGradient().toFloatArray()) {
                largest = Math.max(largest, Math.abs(g));
            }
        }
        return largest;
    }

    private static void report(RunContext context, Result.Builder result, Map<String, Robustness> models, double leaked) {
        double[] eps = new double[EPSILONS.length];
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Map.Entry<String, Robustness> model : models.entrySet()) {
            String name = model.getKey();
            Robustness r = model.getValue();
            for (int i = 0; i < EPSILONS.length; i++) {
                eps[i] = Double.parseDouble(Float.toString(EPSILONS[i]));   // 0.1, not 0.100000001 on the axis
                result.metric(String.format("fgsm_accuracy_%s_%.2f", name, EPSILONS[i]), r.fgsm()[i])
                        .metric(String.format("pgd_accuracy_%s_%.2f", name, EPSILONS[i]), r.pgd()[i]);
            }
            result.metric("clean_accuracy_" + name, r.clean())
                    .metric(String.format("fgsm_accuracy_%s_%.2f_all", name, HEADLINE_EPSILON), r.fgsmHeadline())
                    .metric(String.format("pgd_accuracy_%s_%.2f_all", name, HEADLINE_EPSILON), r.pgdHeadline());
            String label = name.equals("standard") ? "standard model" : name.replace('_', ' ').replace("fgsm", "FGSM")
                    .replace("pgd", "PGD");
            series.put("FGSM, " + label, r.fgsm());
            series.put("PGD, " + label, r.pgd());
        }
        result.metric("largest_weight_gradient_after_attacks", leaked);
        Charts.lines(context.file("accuracy_vs_epsilon.png"), "MNIST test accuracy under attack (L∞ budget ε)",
                "ε (pixel range is 0 to 1)", "accuracy", eps, series, false);
        result.artifact("accuracy_vs_epsilon.png");
        AdversarialClaims.add(result, context.quick(), models, leaked);
    }
}
