package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.DigitJudge;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.MnistModels;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.Vae;
import dlbank.report.Charts;
import dlbank.report.Pictures;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A variational autoencoder on binarized MNIST (Kingma &amp; Welling, 2014): the two terms of the
 * ELBO per epoch, the importance-weighted bound (Burda et al., 2016) against the ELBO, a latent
 * interpolation grid, posterior collapse as the KL weight β grows (active units: latent dimensions
 * whose posterior mean varies across images, Cov_x(E_q[z_u]) &gt; 0.01, as Burda et al. count them),
 * and samples from the prior judged by the MNIST CNN beside task/mnist-gan's.
 */
public final class VaeLab implements Experiment {

    public static final String ID = "lab/vae";
    /** The DCGAN's full-run figures (task/mnist-gan): confident share and Fréchet distance at the reference's sizes. */
    static final double DCGAN_CONFIDENT = 0.804;
    static final double DCGAN_FRECHET_HALF = 16.0;
    private static final double ACTIVE = 0.01;

    record Settings(int trainImages, int validationImages, int epochs, int batchSize, int latent, float[] betas,
                    int sweepEpochs, int samples, int boundImages, int importanceSamples) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(1_800, 200, context.config().epochsOr(2), context.config().batchSizeOr(64), 16,
                            new float[] {8}, 1, 200, 50, 10)
                    : new Settings(55_000, 5_000, context.config().epochsOr(15), context.config().batchSizeOr(128), 16,
                            new float[] {4, 16, 64}, 8, 10_000, 1_000, 100);
        }
    }

    /** A trained VAE's figures on the test digits: mean terms in nats per image, and the active units. */
    record Figures(double reconstruction, double kl, int activeUnits, double[] unitVariances) {
        double negativeElbo() {
            return reconstruction + kl;
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "a VAE on MNIST: ELBO terms, importance-weighted bound, interpolation, posterior collapse, samples judged";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/vae");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("test_negative_elbo", "judge_confident_share");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("latent", settings.latent()).config("epochs", settings.epochs())
                .config("batch_size", settings.batchSize()).config("optimizer", "Adam 1e-3")
                .config("data", "MNIST binarized: each pixel 1 with its grey level as probability (fresh draw per "
                        + "training batch, one fixed draw for validation and test)")
                .config("betas_swept", java.util.Arrays.toString(settings.betas()));
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info);
        int trainCount = Math.min(settings.trainImages(), all.size() - settings.validationImages());
        MnistModels.Source judgeModel = MnistModels.require(context);
        judgeModel.reportTo(result);
        try (DigitJudge judge = DigitJudge.load(judgeModel.modelDir(), context.device());
             NDManager data = NDManager.newBaseManager(context.device())) {
            NDArray train = all.head(trainCount).images(data);
            Engine.getInstance().setRandomSeed((int) context.config().seed() + 1);
            NDArray validation = binarized(all.range(trainCount, trainCount + settings.validationImages()).images(data));
            NDArray testImages = test.images(data);
            NDArray testBinary = binarized(testImages);
            List<double[]> perEpoch = new ArrayList<>();
            try (Model model = trained(context, settings, "beta-1", 1f, settings.epochs(), train, validation, perEpoch)) {
                Vae vae = (Vae) model.getBlock();
                perEpoch.forEach(row -> result.historyRow(Map.of("epoch", (int) row[0], "validation_reconstruction",
                        row[1], "validation_kl", row[2], "validation_negative_elbo", row[1] + row[2])));
                Figures figures = figures(model, vae, testBinary);
                double[] bounds = bounds(model, vae, testBinary.get(new NDIndex("0:" + settings.boundImages())),
                        settings.importanceSamples());
                result.metric("test_reconstruction", figures.reconstruction()).metric("test_kl", figures.kl())
                        .metric("test_negative_elbo", figures.negativeElbo()).metric("active_units", figures.activeUnits())
                        .metric("bound_elbo", bounds[0]).metric("bound_importance_weighted", bounds[1]);
                context.info(String.format("beta 1: -ELBO %.2f nats = reconstruction %.2f + KL %.2f; %d of %d units "
                                + "active; on %d test digits ELBO %.2f, %d-sample importance-weighted bound %.2f",
                        figures.negativeElbo(), figures.reconstruction(), figures.kl(), figures.activeUnits(),
                        settings.latent(), settings.boundImages(), bounds[0], settings.importanceSamples(), bounds[1]));
                interpolate(context, model, vae, testImages, test.labelArray());
                DigitJudge.Verdict verdict = samples(context, settings, model, vae, judge, judge.read(testImages));
                verdict.metrics().forEach(result::metric);
                Map<Float, Figures> sweep = new LinkedHashMap<>();
                sweep.put(1f, figures);
                for (float beta : settings.betas()) {
                    try (Model strong = trained(context, settings, "beta-" + beta, beta, settings.sweepEpochs(), train,
                            validation, new ArrayList<>())) {
                        Figures swept = figures(strong, (Vae) strong.getBlock(), testBinary);
                        sweep.put(beta, swept);
                        result.metric("active_units_beta_" + (int) beta, swept.activeUnits())
                                .metric("test_kl_beta_" + (int) beta, swept.kl());
                        context.info(String.format("beta %.0f: KL %.3f nats, %d of %d units active", beta, swept.kl(),
                                swept.activeUnits(), settings.latent()));
                    }
                }
                plot(context, result, perEpoch, sweep);
                addClaims(result, context.quick(), settings, figures, bounds, sweep, verdict);
            }
        }
        return result.build();
    }

    /** Each pixel set to 1 with its grey level as the probability, from the engine's seeded generator. */
    static NDArray binarized(NDArray images) {
        return images.gt(images.getManager().randomUniform(0, 1, images.getShape())).toType(DataType.FLOAT32, false);
    }

    /**
     * A VAE trained with the given KL weight; {@code perEpoch} receives {epoch, reconstruction, KL}
     * on the validation digits after each epoch this run trains.
     */
    private static Model trained(RunContext context, Settings settings, String name, float beta, int epochs,
                                 NDArray train, NDArray validation, List<double[]> perEpoch) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        Model model = Model.newInstance(name, context.device());
        model.setBlock(new Vae(settings.latent()));
        CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new Vae.ElboLoss(settings.latent(), beta))
                .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()}));
        trainer.initialize(new Shape(1, 1, 28, 28));
        long stepsPerEpoch = (train.getShape().get(0) + settings.batchSize() - 1) / settings.batchSize();
        long[] steps = {0};
        // After each epoch's last step: the two terms on the validation digits (the loop reports only their sum).
        FitLoop loop = new FitLoop(trainer, optimizer, null, context.progress(), "img")
                .withTransform((x, y, batch) -> {
                    NDArray binary = binarized(x);
                    return new NDList(binary, binary);
                })
                .withAfterStep(() -> {
                    if (++steps[0] % stepsPerEpoch == 0) {
                        Figures figures = figures(model, (Vae) model.getBlock(), validation);
                        perEpoch.add(new double[] {perEpoch.size() + 1, figures.reconstruction(), figures.kl()});
                    }
                });
        context.info("== " + name);
        FitLoop.Outcome outcome = loop.fit(new FitLoop.Data(train, train), new FitLoop.Data(validation, validation),
                new FitLoop.Settings(epochs, settings.batchSize(), context.config().seed(), 0,
                        context.checkpointDir().resolve(name), context.resume()));
        // A resumed run measured only the epochs after the checkpoint: number them from there.
        perEpoch.forEach(row -> row[0] += outcome.resumedAfterEpoch());
        trainer.close();
        return model;
    }

    /** Mean reconstruction and KL per image (one z each), and the active units, on binary images. */
    private static Figures figures(Model model, Vae vae, NDArray images) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = images.duplicate();
            x.attach(manager);
            NDArray output = vae.forward(store, new NDList(x), false).singletonOrThrow();
            NDArray[] terms = Vae.ElboLoss.terms(x, output, vae.latent());
            float[] means = vae.encode(store, x).get(new NDIndex(":, 0:" + vae.latent())).toFloatArray();
            int n = (int) x.getShape().get(0);
            double[] variances = new double[vae.latent()];
            int active = 0;
            for (int u = 0; u < vae.latent(); u++) {
                double sum = 0;
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    double m = means[i * vae.latent() + u];
                    sum += m;
                    squares += m * m;
                }
                variances[u] = squares / n - (sum / n) * (sum / n);
                active += variances[u] > ACTIVE ? 1 : 0;
            }
            return new Figures(terms[0].mean().getFloat(), terms[1].mean().getFloat(), active, variances);
        }
    }

    /**
     * {mean ELBO, mean K-sample importance-weighted bound} in nats on the given binary images, from the
     * same K draws of z per image: log (1/K) Σ_k p(x|z_k)·p(z_k)/q(z_k|x) (Burda et al., 2016) is at
     * least the ELBO and approaches log p(x) as K grows.
     */
    private static double[] bounds(Model model, Vae vae, NDArray images, int k) {
        long n = images.getShape().get(0);
        double elbo = 0;
        double importance = 0;
        // 50 images at a time: k draws of 784 probabilities each would otherwise need gigabytes.
        for (long from = 0; from < n; from += 50) {
            long to = Math.min(n, from + 50);
            double[] part = boundsOf(model, vae, images.get(new NDIndex(from + ":" + to)), k);
            elbo += part[0] * (to - from);
            importance += part[1] * (to - from);
        }
        return new double[] {elbo / n, importance / n};
    }

    private static double[] boundsOf(Model model, Vae vae, NDArray images, int k) {
        int d = vae.latent();
        long n = images.getShape().get(0);
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = images.duplicate();
            x.attach(manager);
            NDArray statistics = vae.encode(store, x);                                      // (n, 2d)
            NDArray mean = statistics.get(new NDIndex(":, 0:" + d)).expandDims(0).repeat(0, k);        // (k, n, d)
            NDArray logVariance = statistics.get(new NDIndex(":, " + d + ":")).expandDims(0).repeat(0, k);
            NDArray epsilon = manager.randomNormal(mean.getShape());
            NDArray z = mean.add(logVariance.mul(0.5).exp().mul(epsilon));
            double log2Pi = Math.log(2 * Math.PI);
            NDArray logQ = epsilon.square().add(log2Pi).add(logVariance).sum(new int[] {2}).mul(-0.5);     // (k, n)
            NDArray logPrior = z.square().add(log2Pi).sum(new int[] {2}).mul(-0.5);
            NDArray probabilities = vae.decode(store, z.reshape(k * n, d)).reshape(k, n, Vae.PIXELS).clip(1e-7, 1 - 1e-7);
            NDArray target = x.reshape(1, n, Vae.PIXELS);
            NDArray logLikelihood = target.mul(probabilities.log()).add(target.neg().add(1).mul(probabilities.neg().add(1).log()))
                    .sum(new int[] {2});                                                     // (k, n)
            NDArray weights = logLikelihood.add(logPrior).sub(logQ);
            NDArray top = weights.max(new int[] {0}, true);
            NDArray importance = weights.sub(top).exp().mean(new int[] {0}).log().add(top.squeeze(0));
            return new double[] {weights.mean().getFloat(), importance.mean().getFloat()};
        }
    }

    /** Eight pairs of test digits, each row walking in ten steps from one's posterior mean to the other's. */
    private static void interpolate(RunContext context, Model model, Vae vae, NDArray images, int[] labels) {
        List<float[]> tiles = new ArrayList<>();
        int d = vae.latent();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int pair = 0; pair < 8; pair++) {
                int from = firstOf(labels, pair % 10, 0);
                int to = firstOf(labels, (pair + 3) % 10, 0);
                NDArray x = images.get(manager, new NDIndex("{}", manager.create(new long[] {from, to})));
                float[] means = vae.encode(store, x).toFloatArray();
                float[] path = new float[10 * d];
                for (int step = 0; step < 10; step++) {
                    double share = step / 9.0;
                    for (int u = 0; u < d; u++) {
                        path[step * d + u] = (float) ((1 - share) * means[u] + share * means[2 * d + u]);
                    }
                }
                float[] decoded = vae.decode(store, manager.create(path, new Shape(10, d))).toFloatArray();
                for (int step = 0; step < 10; step++) {
                    tiles.add(java.util.Arrays.copyOfRange(decoded, step * Vae.PIXELS, (step + 1) * Vae.PIXELS));
                }
            }
        }
        Pictures.imageGrid(context.file("interpolation.png"), "straight lines in latent space between two test digits' "
                + "posterior means (rows: 0->3, 1->4, ..., 7->0)", tiles, 28, 28, 10, 2);
    }

    private static int firstOf(int[] labels, int digit, int skip) {
        for (int i = 0, seen = 0; i < labels.length; i++) {
            if (labels[i] == digit && seen++ == skip) {
                return i;
            }
        }
        return 0;
    }

    /** Samples decoded from z ~ N(0, I), judged by the MNIST CNN against the test digits. */
    private static DigitJudge.Verdict samples(RunContext context, Settings settings, Model model, Vae vae,
                                              DigitJudge judge, DigitJudge.Reading real) {
        Random random = new Random(context.config().seed() + 2);
        float[] z = new float[settings.samples() * vae.latent()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray images = vae.decode(new ParameterStore(manager, false),
                    manager.create(z, new Shape(settings.samples(), vae.latent()))).reshape(-1, 1, 28, 28);
            List<float[]> tiles = new ArrayList<>();
            float[] flat = images.get(new NDIndex("0:" + Math.min(100, settings.samples()))).toFloatArray();
            for (int i = 0; i < flat.length / Vae.PIXELS; i++) {
                tiles.add(java.util.Arrays.copyOfRange(flat, i * Vae.PIXELS, (i + 1) * Vae.PIXELS));
            }
            Pictures.imageGrid(context.file("samples.png"), "100 samples: z ~ N(0, I), decoder's pixel probabilities",
                    tiles, 28, 28, 10, 2);
            DigitJudge.Verdict verdict = DigitJudge.Verdict.of(judge.read(images), real);
            context.info(verdict.table("VAE samples"));
            return verdict;
        }
    }

    private static void plot(RunContext context, Result.Builder result, List<double[]> perEpoch, Map<Float, Figures> sweep) {
        double[] epochs = perEpoch.stream().mapToDouble(row -> row[0]).toArray();
        Map<String, double[]> terms = new LinkedHashMap<>();
        terms.put("reconstruction -log p(x|z)", perEpoch.stream().mapToDouble(row -> row[1]).toArray());
        terms.put("KL(q(z|x) || p(z))", perEpoch.stream().mapToDouble(row -> row[2]).toArray());
        Charts.lines(context.file("elbo_terms.png"), "the ELBO's two terms on validation digits (nats per image)",
                "epoch", "nats", epochs, terms, false);
        double[] betas = sweep.keySet().stream().mapToDouble(Float::doubleValue).toArray();
        Charts.lines(context.file("active_units.png"), "posterior collapse: active latent units as the KL weight grows",
                "KL weight beta", "active units (of " + sweep.values().iterator().next().unitVariances().length + ")", betas,
                Map.of("active units", sweep.values().stream().mapToDouble(Figures::activeUnits).toArray()), false);
        result.artifact("elbo_terms.png").artifact("active_units.png").artifact("interpolation.png").artifact("samples.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings settings, Figures main, double[] bounds,
                                  Map<Float, Figures> sweep, DigitJudge.Verdict verdict) {
        result.claim(Claim.checkUnlessQuick(quick, "The ELBO is a lower bound: on the same test digits the importance-"
                        + String.format("weighted bound with %d samples is higher (tighter) than the ELBO", settings.importanceSamples()),
                String.format("ELBO 是下界：在同样的测试数字上，%d 个样本的重要性加权下界比 ELBO 更高（更紧）", settings.importanceSamples()),
                bounds[1] > bounds[0], Claim.values("elbo", bounds[0], "importance_weighted_bound", bounds[1])));
        float strongest = settings.betas()[settings.betas().length - 1];
        Figures collapsed = sweep.get(strongest);
        result.claim(Claim.checkUnlessQuick(quick, String.format("Posterior collapse: at KL weight %.0f at most 2 of the %d "
                        + "latent units stay active and the KL term is under 5 nats, while at weight 1 at least half are active",
                        strongest, settings.latent()),
                String.format("后验坍塌：KL 权重为 %.0f 时，%d 个隐变量中至多 2 个仍然活跃，KL 项低于 5 奈特；权重为 1 时至少一半活跃",
                        strongest, settings.latent()),
                collapsed.activeUnits() <= 2 && collapsed.kl() < 5 && main.activeUnits() >= settings.latent() / 2,
                Claim.values("active_units_beta_1", main.activeUnits(), "active_units_strongest", collapsed.activeUnits(),
                        "kl_strongest", collapsed.kl())));
        result.claim(Claim.checkUnlessQuick(quick, "The VAE's samples are blurrier than the DCGAN's: the MNIST CNN reads "
                        + "fewer of them with confidence above 0.9, and their Fréchet distance at the reference's sizes is higher",
                "VAE 的样本比 DCGAN 的更模糊：MNIST CNN 以高于 0.9 的置信度识别的比例更低，在参照值规模下的 Fréchet 距离更高",
                verdict.confidentShare() < DCGAN_CONFIDENT && verdict.frechetHalf() > DCGAN_FRECHET_HALF,
                Claim.values("judge_confident_share", verdict.confidentShare(), "dcgan_confident_share", DCGAN_CONFIDENT,
                        "frechet_distance_half", verdict.frechetHalf(), "dcgan_frechet_distance_half", DCGAN_FRECHET_HALF)));
    }
}
