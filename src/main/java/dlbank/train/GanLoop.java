package dlbank.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.experiment.ProgressSink;
import dlbank.i18n.Messages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alternating GAN training (Goodfellow et al., 2014) with the non-saturating generator loss: per
 * batch, one discriminator step on real images (label 1) and fakes made without a graph (label 0),
 * then one generator step through the frozen discriminator with the fakes labelled 1. Two trainers,
 * two optimizers: each step updates only its own network, and no gradient reaches the other.
 *
 * <p>Each epoch's checkpoint holds both networks and both optimizers; the noise of epoch e depends
 * only on the seed and e, so a resumed run continues exactly where the interrupted one stopped.
 */
public final class GanLoop {

    /**
     * Decay of the generator's weight average: a half-life of about 700 steps, under an epoch of
     * MNIST at batch 64. Averaging the generator's weights over training gives cleaner samples than
     * its last weights (Yazıcı et al., 2019, The Unusual Effectiveness of Averaging in GAN Training).
     */
    private static final float AVERAGE_DECAY = 0.999f;

    /** Called after each epoch with its number; returns more figures for the epoch's history row. */
    @FunctionalInterface
    public interface EpochListener {
        Map<String, Object> afterEpoch(int epoch);
    }

    public record Settings(int epochs, int batchSize, long seed, Path checkpointDir, boolean resume) {}

    /** The per-epoch history and the epoch a resumed run started after. */
    public record Outcome(List<Map<String, Object>> history, int resumedAfterEpoch) {}

    private static final Loss LOSS = Loss.sigmoidBinaryCrossEntropyLoss();
    private static final float REAL_LABEL = 0.9f;

    private final Trainer generator;
    private final CheckpointedAdam generatorOptimizer;
    private final Trainer discriminator;
    private final CheckpointedAdam discriminatorOptimizer;
    private final int latent;
    private final ProgressSink progress;
    /**
     * The discriminator's trained parameters, frozen during the generator step. Not
     * {@code Block.freezeParameters(false)}: that would also mark batch norm's running mean and
     * variance as trainable, and the next forward pass fails ("native_batch_norm is not
     * differentiable with respect to running_mean").
     */
    private final List<Parameter> discriminatorWeights;
    private final WeightAverage average;
    private final StepGuard generatorGuard;
    private final StepGuard discriminatorGuard;

    /**
     * @param average a generator of the same architecture that follows an exponential moving average
     *                of the trained generator's weights (it is what samples should be drawn from), or null
     */
    public GanLoop(Trainer generator, CheckpointedAdam generatorOptimizer, Trainer discriminator,
                   CheckpointedAdam discriminatorOptimizer, Block average, int latent, ProgressSink progress) {
        this.generator = generator;
        this.generatorOptimizer = generatorOptimizer;
        this.discriminator = discriminator;
        this.discriminatorOptimizer = discriminatorOptimizer;
        this.latent = latent;
        this.progress = progress;
        this.discriminatorWeights = discriminator.getModel().getBlock().getParameters().values().stream()
                .filter(Parameter::requiresGradient).toList();
        this.average = average == null ? null : new WeightAverage(generator.getModel().getBlock(), average, AVERAGE_DECAY);
        this.generatorGuard = StepGuard.of(Messages.get("progress.network.generator"), progress);
        this.discriminatorGuard = StepGuard.of(Messages.get("progress.network.discriminator"), progress);
    }

    /** Updates of either network skipped so far because a gradient was NaN or infinite. */
    public long skippedSteps() {
        return generatorGuard.skipped() + discriminatorGuard.skipped();
    }

    /** @param real (N, 1, 28, 28) real images scaled to [-1, 1], on the device */
    public Outcome fit(NDArray real, Settings settings, EpochListener listener) {
        Checkpoint checkpoint = settings.checkpointDir() == null ? null : new Checkpoint(settings.checkpointDir());
        List<Checkpoint.Part> parts = new ArrayList<>(List.of(
                new Checkpoint.Part("generator", generator.getModel().getBlock(), generatorOptimizer),
                new Checkpoint.Part("discriminator", discriminator.getModel().getBlock(), discriminatorOptimizer)));
        if (average != null) {
            parts.add(new Checkpoint.Part("average", average.average(), null));
        }
        List<Map<String, Object>> history = new ArrayList<>();
        int start = 0;
        if (settings.resume() && checkpoint != null && checkpoint.exists()) {
            Checkpoint.State state = checkpoint.restore(parts, generator.getManager());
            start = state.epoch();
            history.addAll(state.history());
            progress.info(Messages.get("progress.resuming", start, settings.epochs(), checkpoint.dir()));
        }
        for (int epoch = start + 1; epoch <= settings.epochs(); epoch++) {
            long begin = System.nanoTime();
            double[] figures = trainEpoch(real, settings, epoch);
            double seconds = (System.nanoTime() - begin) / 1e9;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            row.put("d_loss", figures[0]);
            row.put("g_loss", figures[1]);
            row.put("d_real", figures[2]);
            row.put("d_fake", figures[3]);
            row.put("seconds", seconds);
            row.put("examples_per_second", real.getShape().get(0) / seconds);
            progress.info(Messages.get("progress.epoch", epoch, settings.epochs())
                    + String.format("  d_loss %.4f  g_loss %.4f  D(real) %.3f  D(fake) %.3f  %.1f s",
                    figures[0], figures[1], figures[2], figures[3], seconds));
            row.putAll(listener.afterEpoch(epoch));
            history.add(row);
            if (checkpoint != null) {
                checkpoint.save(new Checkpoint.State(epoch, history, epoch, Double.NaN), parts);
            }
        }
        return new Outcome(history, start);
    }

    /** One pass over the shuffled real images; returns {D loss, G loss, mean D(real), mean D(fake)}. */
    private double[] trainEpoch(NDArray real, Settings settings, int epoch) {
        // The noise of this epoch depends on the seed and the epoch only (see the class comment).
        Engine.getInstance().setRandomSeed((int) (settings.seed() * 1_000_003L + epoch));
        long size = real.getShape().get(0);
        long batches = size / settings.batchSize(); // full batches only: batch norm dislikes a batch of 3
        try (NDManager epochManager = generator.getManager().newSubManager();
             ProgressSink.Bar bar = progress.bar(Messages.get("progress.epoch", epoch, settings.epochs()), batches)) {
            NDArray order = epochManager.create(FitLoop.shuffledOrder(size, settings.seed(), epoch));
            NDArray shuffled = real.get(epochManager, new NDIndex("{}", order));
            NDArray sums = epochManager.zeros(new Shape(4), DataType.FLOAT32);
            double[] read = new double[4];
            long lastRead = 0;
            long lastReadNanos = System.nanoTime();
            for (long batch = 0; batch < batches; batch++) {
                try (NDManager batchManager = epochManager.newSubManager()) {
                    long from = batch * settings.batchSize();
                    NDArray images = shuffled.get(batchManager, new NDIndex().addSliceDim(from, from + settings.batchSize()));
                    sums.addi(step(images, batchManager));
                }
                if (generatorGuard.exhausted() || discriminatorGuard.exhausted()) {
                    throw new TrainingDivergedException(Math.max(generatorGuard.inARow(), discriminatorGuard.inARow()),
                            epoch, batch + 1, Messages.text("error.diverged.gan-checkpoint", settings.checkpointDir()));
                }
                if (FitLoop.readDue(batch + 1 - lastRead, lastReadNanos, batch + 1 == batches)) {
                    lastReadNanos = System.nanoTime();
                    float[] values = sums.toFloatArray();
                    lastRead = batch + 1;
                    for (int i = 0; i < 4; i++) {
                        read[i] = values[i] / lastRead;
                    }
                    if (!Double.isFinite(read[0]) || !Double.isFinite(read[1])) {
                        throw new TrainingDivergedException(epoch, lastRead, batch + 1, read[0],
                                Messages.text("error.diverged.gan-checkpoint", settings.checkpointDir()));
                    }
                    bar.update(lastRead, String.format("d_loss %.4f g_loss %.4f", read[0], read[1]));
                }
            }
            return read;
        }
    }

    /** One discriminator step and one generator step; returns {D loss, G loss, mean D(real), mean D(fake)}. */
    NDArray step(NDArray real, NDManager manager) {
        NDArray discriminatorFigures = discriminatorStep(real, manager);
        NDArray generatorLoss = generatorStep((int) real.getShape().get(0), manager);
        return NDArrays.stack(new NDList(discriminatorFigures.get(0), generatorLoss, discriminatorFigures.get(1),
                discriminatorFigures.get(2)));
    }

    /** Updates the discriminator only; returns {its loss, mean D(real), mean D(fake)}. */
    NDArray discriminatorStep(NDArray real, NDManager manager) {
        int batch = (int) real.getShape().get(0);
        // Outside a gradient collector no graph is recorded: the fakes carry no path back into the
        // generator, so this step cannot leave gradients in it.
        NDArray fakes = generator.forward(new NDList(manager.randomNormal(new Shape(batch, latent)))).singletonOrThrow();
        NDArray loss;
        NDArray realScore;
        NDArray fakeScore;
        try (GradientCollector collector = discriminator.newGradientCollector()) {
            NDArray realLogits = discriminator.forward(new NDList(real)).singletonOrThrow();
            NDArray fakeLogits = discriminator.forward(new NDList(fakes)).singletonOrThrow();
            // One-sided label smoothing: real images labelled 0.9, fakes 0 (Salimans et al., 2016), so
            // the discriminator is not rewarded for ever more extreme confidence on real digits.
            loss = LOSS.evaluate(new NDList(manager.full(new Shape(batch, 1), REAL_LABEL)), new NDList(realLogits))
                    .add(LOSS.evaluate(new NDList(manager.zeros(new Shape(batch, 1))), new NDList(fakeLogits)));
            collector.backward(loss);
            realScore = realLogits.getNDArrayInternal().sigmoid().mean();
            fakeScore = fakeLogits.getNDArrayInternal().sigmoid().mean();
        }
        discriminatorGuard.step(discriminator, real.getShape());
        return NDArrays.stack(new NDList(loss, realScore, fakeScore));
    }

    /**
     * Updates the generator only, through the frozen discriminator, with the fakes labelled real: the
     * non-saturating loss -log D(G(z)) (Goodfellow et al., 2014), which does not vanish when the
     * discriminator rejects the fakes. Returns the loss.
     */
    NDArray generatorStep(int batch, NDManager manager) {
        NDArray loss;
        discriminatorWeights.forEach(parameter -> parameter.freeze(true));
        try (GradientCollector collector = generator.newGradientCollector()) {
            NDArray fakes = generator.forward(new NDList(manager.randomNormal(new Shape(batch, latent)))).singletonOrThrow();
            NDArray logits = discriminator.forward(new NDList(fakes)).singletonOrThrow();
            loss = LOSS.evaluate(new NDList(manager.ones(new Shape(batch, 1))), new NDList(logits));
            collector.backward(loss);
        } finally {
            discriminatorWeights.forEach(parameter -> parameter.freeze(false));
        }
        // The average follows the generator's updates only: a skipped step leaves both as they were.
        if (generatorGuard.step(generator, new Shape(batch, latent))) {
            updateAverage();
        }
        return loss;
    }

    /** average = decay·average + (1 - decay)·generator, in place, for every parameter. */
    private void updateAverage() {
        if (average != null) {
            average.update();
        }
    }
}
