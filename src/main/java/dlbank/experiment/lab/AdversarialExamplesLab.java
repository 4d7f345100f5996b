package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * Adversarial examples on task/mnist-cnn's model: accuracy under FGSM and PGD as ε grows, JSMA on a
 * few digits, and adversarial training of a fresh copy of the network (FGSM from a random start,
 * Wong, Rice &amp; Kolter, 2020, Fast is better than free, on half of every batch, Goodfellow et al.'s
 * mixed objective), attacked again afterwards. Every attack freezes the model (dlbank.eval.Attacks).
 */
public final class AdversarialExamplesLab implements Experiment {

    public static final String ID = "lab/adversarial-examples";
    static final float[] EPSILONS = {0f, 0.05f, 0.1f, 0.15f, 0.2f, 0.25f, 0.3f};
    /** The ε of the acceptance figures: a quarter of the pixel range. */
    static final float HEADLINE_EPSILON = 0.25f;

    /**
     * @param attackImages test images of the accuracy-vs-ε curves (PGD's 20 steps per ε cost the most)
     * @param pgdSteps PGD steps, each 2.5·ε/steps long (Madry et al.'s rule)
     * @param trainEpsilon the ε adversarial training defends (Madry et al.'s 0.3 for MNIST)
     */
    record Settings(int attackImages, int testImages, int pgdSteps, int jsmaDigits, int trainImages, int epochs,
                    int batchSize, float trainEpsilon) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(100, 500, 3, 2, 1_000, context.config().epochsOr(1), context.config().batchSizeOr(64), 0.3f)
                    : new Settings(1_000, 10_000, 20, 20, 60_000, context.config().epochsOr(4),
                            context.config().batchSizeOr(64), 0.3f);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "FGSM, PGD and JSMA on the MNIST CNN; adversarial training and its robustness";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/adversarial-examples");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("fgsm_accuracy_standard_0.25", "clean_accuracy_adversarial", "fgsm_accuracy_adversarial_0.25");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("epsilons", EPSILONS).config("attack_images", settings.attackImages())
                .config("pgd", settings.pgdSteps() + " steps of 2.5·ε/steps from a random start")
                .config("jsma", "increasing variant on the logits, pixel pairs set to 1, at most 14.5% of the pixels")
                .config("adversarial_training", String.format("fresh %s, %d epochs on %d images, half of each batch "
                        + "FGSM from a random start at ε %.2f (step 1.25·ε)", MnistCnnTask.ARCHITECTURE, settings.epochs(),
                        settings.trainImages(), settings.trainEpsilon()));
        ImageDataset train = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info)
                .head(settings.trainImages());
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        MnistModels.Source source = MnistModels.require(context);
        source.reportTo(result);
        try (Model standard = SavedModel.load(source.modelDir(), MnistCnnTask.ARCHITECTURE, MnistCnn::build,
                context.device());
             NDManager manager = standard.getNDManager().newSubManager()) {
            NDArray images = test.images(manager);
            NDArray labels = test.labels(manager);
            NDArray attackImages = images.get("0:" + settings.attackImages());
            NDArray attackLabels = labels.get("0:" + settings.attackImages());
            context.info("== attacks on task/mnist-cnn's model");
            Robustness before = measure(context, standard.getBlock(), settings, images, labels, attackImages, attackLabels);
            AdversarialGallery.Jsma jsma = AdversarialGallery.jsma(standard.getBlock(), test, settings.jsmaDigits(), manager);
            AdversarialGallery.grid(context.file("adversarial_examples.png"), standard.getBlock(), test, jsma, manager);
            result.artifact("adversarial_examples.png");
            context.info(String.format("JSMA: %d of %d digits reach their target, changing %.1f%% of the pixels on average",
                    jsma.successes(), jsma.attempts(), 100 * jsma.meanChangedShare()));

            context.info("== adversarial training of a fresh " + MnistCnnTask.ARCHITECTURE);
            try (Model robust = Model.newInstance("adversarial", context.device())) {
                robust.setBlock(MnistCnn.build());
                CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
                try (Trainer trainer = robust.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()}))) {
                    trainer.initialize(MnistCnn.inputShape(1));
                    FitLoop.Outcome outcome = adversariallyTrain(context, settings, trainer, optimizer, train);
                    outcome.history().forEach(epoch -> result.historyRow(epoch.toRow()));
                    Robustness after = measure(context, robust.getBlock(), settings, images, labels, attackImages,
                            attackLabels);
                    double leaked = largestWeightGradient(robust.getBlock());
                    report(context, result, before, after, jsma, leaked);
                }
            }
        }
        return result.build();
    }

    /** Clean and attacked accuracies of one model. */
    record Robustness(double clean, double fgsmHeadline, double[] fgsm, double[] pgd) {}

    private static Robustness measure(RunContext context, Block block, Settings settings, NDArray images, NDArray labels,
                                      NDArray attackImages, NDArray attackLabels) {
        double clean = Attacks.accuracyUnder(block, images, labels, (x, y) -> x);
        double headline = Attacks.accuracyUnder(block, images, labels, (x, y) -> Attacks.fgsm(block, x, y, HEADLINE_EPSILON));
        double[] fgsm = new double[EPSILONS.length];
        double[] pgd = new double[EPSILONS.length];
        for (int i = 0; i < EPSILONS.length; i++) {
            float epsilon = EPSILONS[i];
            fgsm[i] = Attacks.accuracyUnder(block, attackImages, attackLabels, (x, y) -> Attacks.fgsm(block, x, y, epsilon));
            pgd[i] = Attacks.accuracyUnder(block, attackImages, attackLabels, (x, y) -> Attacks.pgd(block, x, y, epsilon,
                    settings.pgdSteps(), 2.5f * epsilon / settings.pgdSteps(),
                    x.getManager().randomUniform(-1f, 1f, x.getShape())));
            context.info(String.format("ε %.2f: FGSM accuracy %.3f, PGD accuracy %.3f", epsilon, fgsm[i], pgd[i]));
        }
        context.info(String.format("clean accuracy %.4f, FGSM at ε %.2f %.4f (%d test images)", clean,
                HEADLINE_EPSILON, headline, images.getShape().get(0)));
        return new Robustness(clean, headline, fgsm, pgd);
    }

    /**
     * Each batch of 64 becomes 128: the clean images and their FGSM examples from a random start in
     * the ε-box (step 1.25·ε, projected back into the box), both with the true labels.
     */
    private static FitLoop.Outcome adversariallyTrain(RunContext context, Settings settings, Trainer trainer,
                                                      CheckpointedAdam optimizer, ImageDataset train) {
        float epsilon = settings.trainEpsilon();
        Block block = trainer.getModel().getBlock();
        FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), context.progress(), "img")
                .withTransform((x, y, batch) -> {
                    NDArray start = x.add(batch.randomUniform(-epsilon, epsilon, x.getShape())).clip(0f, 1f);
                    NDArray step = Attacks.lossGradient(block, start, y).sign().mul(1.25f * epsilon);
                    NDArray adversarial = start.add(step).maximum(x.sub(epsilon)).minimum(x.add(epsilon)).clip(0f, 1f);
                    return new NDList(x.concat(adversarial, 0), y.concat(y, 0));
                });
        NDManager manager = trainer.getManager();
        int validation = Math.max(100, train.size() / 12);
        ImageDataset fit = train.range(0, train.size() - validation);
        ImageDataset held = train.range(train.size() - validation, train.size());
        return loop.fit(new FitLoop.Data(fit.images(manager), fit.labels(manager)),
                new FitLoop.Data(held.images(manager), held.labels(manager)),
                new FitLoop.Settings(settings.epochs(), settings.batchSize(), context.config().seed(), 0,
                        context.checkpointDir().resolve("adversarial"), context.resume()));
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

    private static void report(RunContext context, Result.Builder result, Robustness before, Robustness after,
                               AdversarialGallery.Jsma jsma, double leaked) {
        double[] eps = new double[EPSILONS.length];
        for (int i = 0; i < EPSILONS.length; i++) {
            eps[i] = EPSILONS[i];
            result.metric(String.format("fgsm_accuracy_standard_%.2f", EPSILONS[i]), before.fgsm()[i])
                    .metric(String.format("pgd_accuracy_standard_%.2f", EPSILONS[i]), before.pgd()[i])
                    .metric(String.format("fgsm_accuracy_adversarial_%.2f", EPSILONS[i]), after.fgsm()[i])
                    .metric(String.format("pgd_accuracy_adversarial_%.2f", EPSILONS[i]), after.pgd()[i]);
        }
        result.metric("clean_accuracy_standard", before.clean()).metric("fgsm_accuracy_standard_0.25", before.fgsmHeadline())
                .metric("clean_accuracy_adversarial", after.clean()).metric("fgsm_accuracy_adversarial_0.25", after.fgsmHeadline())
                .metric("jsma_success_rate", jsma.successRate()).metric("jsma_mean_changed_share", jsma.meanChangedShare())
                .metric("largest_weight_gradient_after_attacks", leaked);
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("FGSM, standard model", before.fgsm());
        series.put("PGD, standard model", before.pgd());
        series.put("FGSM, adversarially trained", after.fgsm());
        series.put("PGD, adversarially trained", after.pgd());
        Charts.lines(context.file("accuracy_vs_epsilon.png"), "MNIST test accuracy under attack (L∞ budget ε)",
                "ε (pixel range is 0 to 1)", "accuracy", eps, series, false);
        result.artifact("accuracy_vs_epsilon.png");
        addClaims(result, context.quick(), before, after, jsma, leaked);
    }

    private static void addClaims(Result.Builder result, boolean quick, Robustness before, Robustness after,
                                  AdversarialGallery.Jsma jsma, double leaked) {
        boolean falling = true;
        boolean pgdStronger = true;
        for (int i = 1; i < EPSILONS.length; i++) {
            falling &= before.fgsm()[i] <= before.fgsm()[i - 1];
            pgdStronger &= before.pgd()[i] <= before.fgsm()[i];
        }
        int last = EPSILONS.length - 1;
        int headline = java.util.Arrays.binarySearch(EPSILONS, HEADLINE_EPSILON);
        result.claim(Claim.checkUnlessQuick(quick, "Accuracy under FGSM falls as ε grows, from 0 to 0.3",
                "FGSM 下的准确率随 ε 从 0 增大到 0.3 而下降",
                falling, Claim.values("fgsm_accuracy_0.00", before.fgsm()[0], "fgsm_accuracy_0.10", before.fgsm()[2],
                        "fgsm_accuracy_0.20", before.fgsm()[4], "fgsm_accuracy_0.30", before.fgsm()[last])));
        result.claim(Claim.checkUnlessQuick(quick, "At every ε, PGD lowers accuracy at least as much as FGSM: it is the stronger attack",
                "在每个 ε 下，PGD 让准确率降得至少和 FGSM 一样多：它是更强的攻击",
                pgdStronger, Claim.values("fgsm_accuracy_0.10", before.fgsm()[2], "pgd_accuracy_0.10", before.pgd()[2],
                        "fgsm_accuracy_0.25", before.fgsm()[headline], "pgd_accuracy_0.25", before.pgd()[headline])));
        result.claim(Claim.checkUnlessQuick(quick, "JSMA reaches its target class on at least 80% of the digits, "
                        + "changing under 5% of the pixels on average",
                "JSMA 在至少 80% 的数字上达到目标类别，平均改动不到 5% 的像素",
                jsma.successRate() >= 0.8 && jsma.meanChangedShare() < 0.05,
                Claim.values("jsma_success_rate", jsma.successRate(), "jsma_mean_changed_share", jsma.meanChangedShare(),
                        "jsma_digits", jsma.attempts())));
        result.claim(Claim.checkUnlessQuick(quick, "FGSM at ε = 0.25 brings the undefended model below 50% test accuracy",
                "ε = 0.25 的 FGSM 让未防御模型的测试准确率降到 50% 以下",
                before.fgsmHeadline() < 0.5, Claim.values("clean_accuracy_standard", before.clean(),
                        "fgsm_accuracy_standard_0.25", before.fgsmHeadline())));
        result.claim(Claim.checkUnlessQuick(quick, "The adversarially trained model keeps at least 98% clean test accuracy "
                        + "and at least 80% under FGSM at ε = 0.25",
                "对抗训练后的模型保持至少 98% 的干净测试准确率，在 ε = 0.25 的 FGSM 下至少 80%",
                after.clean() >= 0.98 && after.fgsmHeadline() >= 0.8, Claim.values("clean_accuracy_adversarial",
                        after.clean(), "fgsm_accuracy_adversarial_0.25", after.fgsmHeadline())));
        result.claim(Claim.checkUnlessQuick(quick, "Its robustness is not only against FGSM: under PGD at ε = 0.25 it keeps "
                        + "at least 50 points more accuracy than the undefended model",
                "它的鲁棒性不只针对 FGSM：在 ε = 0.25 的 PGD 下，它的准确率比未防御模型高至少 50 个百分点",
                after.pgd()[headline] - before.pgd()[headline] >= 0.5, Claim.values("pgd_accuracy_standard_0.25",
                        before.pgd()[headline], "pgd_accuracy_adversarial_0.25", after.pgd()[headline])));
        result.claim(Claim.check("The attacks leave no gradient in the model's weights: it is frozen while they run",
                "攻击不会在模型权重上留下梯度：攻击运行时模型被冻结",
                leaked == 0, Claim.values("largest_weight_gradient_after_attacks", leaked)));
    }
}
