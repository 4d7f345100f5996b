package dlbank.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dlbank.experiment.ProgressSink;
import dlbank.i18n.Messages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training loop every experiment uses: shuffled mini-batches sliced from arrays already on the
 * device, a live progress bar, per-epoch history with held-out validation, optional early stopping,
 * an atomic checkpoint after each epoch, resuming from it, and a clear stop on a NaN or infinite loss.
 *
 * <p>The hot path is the bare DJL step (forward, loss, backward, optimizer step) plus a few small
 * device-side sums for the live figures; each batch's arrays live in their own manager and are freed with it,
 * so native memory stays flat over an epoch.
 */
public final class FitLoop {

    /** Counts the correct predictions of a batch, as a scalar array. */
    @FunctionalInterface
    public interface Scorer {
        NDArray correct(NDArray output, NDArray labels);
    }

    /** For class logits (batch, classes) and float class labels (batch). */
    public static Scorer argmaxScorer() {
        return (output, labels) -> output.argMax(1).toType(DataType.FLOAT32, false).eq(labels).sum();
    }

    /** For one logit per example (batch, 1) and labels 0 or 1 (batch): positive when the logit is above 0. */
    public static Scorer binaryLogitScorer() {
        return (output, labels) -> output.reshape(-1).gt(0).toType(DataType.FLOAT32, false).eq(labels).sum();
    }

    /**
     * Changes each training batch before the step: noise for a denoiser, random shifts for
     * augmentation. Validation and test data are used as given.
     */
    @FunctionalInterface
    public interface BatchTransform {
        /** @return the batch to train on: inputs, then labels */
        NDList apply(NDArray inputs, NDArray labels, NDManager batchManager);
    }

    /**
     * A term added to each training batch's loss before the backward pass, such as an L1 or L2
     * penalty on the weights ({@link WeightPenalty}). It shapes the gradient only: the losses the loop
     * reports are the data loss alone, so runs with and without a penalty compare directly.
     */
    @FunctionalInterface
    public interface Penalty {
        /** @return a scalar, made in {@code batchManager} so that it is freed with the batch */
        NDArray of(NDManager batchManager);
    }

    /** Inputs and labels of one split, each one array on the device. */
    public record Data(NDArray inputs, NDArray labels) {
        public long size() {
            return inputs.getShape().get(0);
        }
    }

    /**
     * @param epochs total epochs, counting those a resumed run already did
     * @param batchSize examples per step
     * @param seed decides each epoch's shuffle, so a resumed epoch sees the same order
     * @param patience epochs without a lower validation loss before stopping; 0 = never stop early
     * @param checkpointDir where the per-epoch checkpoint goes; null = none
     * @param resume continue from the checkpoint in checkpointDir
     * @param keepBest end with the weights of the epoch with the lowest validation loss, not the last
     *                 epoch's (needs checkpointDir; early stopping always returns to that epoch)
     * @param bestByAccuracy the best epoch (for early stopping and {@code keepBest}) is the one with the highest
     *                       validation accuracy rather than the lowest validation loss
     */
    public record Settings(int epochs, int batchSize, long seed, int patience, Path checkpointDir, boolean resume,
                           boolean keepBest, boolean bestByAccuracy) {
        public Settings(int epochs, int batchSize, long seed, int patience, Path checkpointDir, boolean resume) {
            this(epochs, batchSize, seed, patience, checkpointDir, resume, false);
        }

        public Settings(int epochs, int batchSize, long seed, int patience, Path checkpointDir, boolean resume,
                        boolean keepBest) {
            this(epochs, batchSize, seed, patience, checkpointDir, resume, keepBest, false);
        }
    }

    /**
     * One finished epoch. {@code seconds} is the training pass alone; {@code validationSeconds} the
     * validation pass after it, and {@code gcSeconds} the JVM's garbage collection during the training
     * pass (NaN in rows written before these were kept).
     */
    public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                             double validationAccuracy, double seconds, double examplesPerSecond,
                             double validationSeconds, double gcSeconds) {
        public Map<String, Object> toRow() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            // A loop without a scorer (a denoiser) has no accuracy: its rows leave the columns out.
            row.put("train_loss", trainLoss);
            if (!Double.isNaN(trainAccuracy)) {
                row.put("train_accuracy", trainAccuracy);
            }
            row.put("validation_loss", validationLoss);
            if (!Double.isNaN(validationAccuracy)) {
                row.put("validation_accuracy", validationAccuracy);
            }
            row.put("seconds", seconds);
            row.put("examples_per_second", examplesPerSecond);
            // Rows of checkpoints written before these were kept lack them; NaN is never written.
            if (Double.isFinite(validationSeconds)) {
                row.put("validation_seconds", validationSeconds);
            }
            if (Double.isFinite(gcSeconds)) {
                row.put("gc_seconds", gcSeconds);
            }
            return row;
        }

        /**
         * Reads a row back; the accuracies (absent without a scorer) and the later timings (absent in older
         * checkpoints) may be missing, anything else missing means the row was damaged.
         */
        static EpochStats fromRow(Map<String, Object> row) {
            for (String key : List.of("epoch", "train_loss", "validation_loss", "seconds", "examples_per_second")) {
                if (!(row.get(key) instanceof Number)) {
                    throw new IllegalArgumentException("'" + key + "' is missing or not a number");
                }
            }
            return new EpochStats(((Number) row.get("epoch")).intValue(), number(row, "train_loss"),
                    number(row, "train_accuracy"), number(row, "validation_loss"),
                    number(row, "validation_accuracy"), number(row, "seconds"), number(row, "examples_per_second"),
                    number(row, "validation_seconds"), number(row, "gc_seconds"));
        }

        private static double number(Map<String, Object> row, String key) {
            Object value = row.get(key);
            return value == null ? Double.NaN : ((Number) value).doubleValue();
        }
    }

    /** The history, and how the run ended. */
    public record Outcome(List<EpochStats> history, int resumedAfterEpoch, boolean stoppedEarly, int bestEpoch) {}

    /** Loss and accuracy over a whole split. */
    public record Evaluation(double loss, double accuracy) {}

    /** Batches between two reads of the running loss and accuracy (and the NaN check). */
    static final int READ_EVERY = 20;
    /** ... or this long, whichever comes first: a live view (the page's curve) wants news every second. */
    static final long READ_AFTER_NANOS = 500_000_000L;

    /** True when the running figures should be read back now. */
    static boolean readDue(long batchesSinceRead, long lastReadNanos, boolean lastBatch) {
        return lastBatch || batchesSinceRead >= READ_EVERY || System.nanoTime() - lastReadNanos >= READ_AFTER_NANOS;
    }

    private final Trainer trainer;
    private final CheckpointedAdam optimizer;
    private final Scorer scorer;
    private final ProgressSink progress;
    private final String unit;
    private BatchTransform transform;
    private Runnable afterStep;
    private Penalty penalty;
    private StepGuard guard;
    private double clipNorm;
    private long clippedSteps;
    private double largestNorm;

    /**
     * @param trainer a DJL trainer built with {@code optimizer} as its optimizer
     * @param scorer counts correct predictions; null for a model without classes (no accuracy is shown)
     * @param unit what one example is called in the live figures ("img", "review")
     */
    public FitLoop(Trainer trainer, CheckpointedAdam optimizer, Scorer scorer, ProgressSink progress, String unit) {
        this.trainer = trainer;
        this.optimizer = optimizer;
        this.scorer = scorer;
        this.progress = progress;
        this.unit = unit;
        this.guard = StepGuard.of("", progress);
    }

    /** Steps through {@code stepGuard} from now on ({@link StepGuard#off()}: every update applied, NaN or not). */
    public FitLoop withStepGuard(StepGuard stepGuard) {
        this.guard = stepGuard;
        return this;
    }

    /** Updates skipped so far because a gradient was NaN or infinite. */
    public long skippedSteps() {
        return guard.skipped();
    }

    /**
     * Clips the gradients to a global norm of at most {@code maxNorm} before every update from now on
     * (see {@link Gradients#clipByGlobalNorm}).
     */
    public FitLoop withGradientClipping(double maxNorm) {
        this.clipNorm = maxNorm;
        return this;
    }

    /** Updates whose gradients were scaled down by the clipping, and the largest finite global norm seen before it. */
    public long clippedSteps() {
        return clippedSteps;
    }

    public double largestGradientNorm() {
        return largestNorm;
    }

    /** Applies {@code batchTransform} to every training batch from now on. */
    public FitLoop withTransform(BatchTransform batchTransform) {
        this.transform = batchTransform;
        return this;
    }

    /** Adds {@code lossPenalty} to every training batch's loss from now on. */
    public FitLoop withPenalty(Penalty lossPenalty) {
        this.penalty = lossPenalty;
        return this;
    }


    /**
     * Runs {@code action} after every optimizer step, e.g. to put a pruning mask back on the weights
     * the step moved.
     */
    public FitLoop withAfterStep(Runnable action) {
        this.afterStep = action;
        return this;
    }

    public Outcome fit(Data train, Data validation, Settings asked) {
        Settings settings = capped(asked, train.size());
        MemoryEstimate.check(trainer.getModel().getBlock(), exampleShape(train), settings.batchSize());
        Checkpoint checkpoint = settings.checkpointDir() == null ? null : new Checkpoint(settings.checkpointDir());
        List<EpochStats> history = new ArrayList<>();
        int startEpoch = 0;
        int bestEpoch = 0;
        double bestScore = Double.POSITIVE_INFINITY;
        if (settings.resume() && checkpoint != null && checkpoint.exists()) {
            Checkpoint.State state = checkpoint.restore(
                    trainer.getModel().getBlock(), optimizer, trainer.getModel().getNDManager());
            startEpoch = state.epoch();
            bestEpoch = state.bestEpoch();
            bestScore = state.bestValidationLoss();
            try {
                for (Map<String, Object> row : state.history()) {
                    EpochStats stats = EpochStats.fromRow(row);
                    if (scorer != null && (Double.isNaN(stats.trainAccuracy()) || Double.isNaN(stats.validationAccuracy()))) {
                        throw new IllegalArgumentException("an accuracy is missing");
                    }
                    history.add(stats);
                }
            } catch (RuntimeException e) {
                throw dlbank.UserException.input("error.checkpoint.start-again", Messages.text("error.checkpoint.incomplete",
                        checkpoint.dir().resolve("state.json"), "a history row: " + dlbank.UserException.reason(e)), checkpoint.dir(), e);
            }
            progress.info(Messages.get("progress.resuming", startEpoch, settings.epochs(), checkpoint.dir()));
        }
        int resumedAfter = startEpoch;
        boolean stoppedEarly = false;
        for (int epoch = startEpoch + 1; epoch <= settings.epochs(); epoch++) {
            long begin = System.nanoTime();
            double gcBefore = gcSeconds();
            double[] lossAndAccuracy = trainEpoch(train, settings, epoch, Long.MAX_VALUE, checkpoint);
            double seconds = (System.nanoTime() - begin) / 1e9;
            double gc = gcSeconds() - gcBefore;
            long validationBegin = System.nanoTime();
            Evaluation held = evaluate(validation, Math.max(settings.batchSize(), 500));
            EpochStats stats = new EpochStats(epoch, lossAndAccuracy[0], lossAndAccuracy[1], held.loss(),
                    held.accuracy(), seconds, train.size() / seconds, (System.nanoTime() - validationBegin) / 1e9, gc);
            history.add(stats);
            progress.info(Messages.get("progress.epoch", epoch, settings.epochs()) + (scorer == null
                    ? String.format("  loss %.4f  val_loss %.4f  %.1f s  %,.0f %s/s",
                            stats.trainLoss(), stats.validationLoss(), seconds,
                            stats.examplesPerSecond(), unit)
                    : String.format("  loss %.4f  acc %.2f%%  val_loss %.4f  val_acc %.2f%%  %.1f s  %,.0f %s/s",
                            stats.trainLoss(), 100 * stats.trainAccuracy(),
                            stats.validationLoss(), 100 * stats.validationAccuracy(), seconds,
                            stats.examplesPerSecond(), unit)));
            // The checkpoint keeps one number for the best epoch: the loss, or the accuracy negated.
            double score = settings.bestByAccuracy() ? -held.accuracy() : held.loss();
            boolean improved = score < bestScore;
            if (improved) {
                bestScore = score;
                bestEpoch = epoch;
            }
            if (checkpoint != null) {
                if (improved && (settings.patience() > 0 || settings.keepBest())) {
                    checkpoint.saveBest(trainer.getModel().getBlock());
                }
                checkpoint.save(new Checkpoint.State(epoch, history.stream().map(EpochStats::toRow).toList(),
                        bestEpoch, bestScore), trainer.getModel().getBlock(), optimizer);
            }
            if (settings.patience() > 0 && epoch - bestEpoch >= settings.patience() && epoch < settings.epochs()) {
                progress.info(Messages.get(settings.bestByAccuracy() ? "progress.early-stop-accuracy" : "progress.early-stop",
                        settings.patience(), bestEpoch));
                if (checkpoint != null) {
                    checkpoint.loadBest(trainer.getModel().getBlock(), trainer.getModel().getNDManager());
                }
                stoppedEarly = true;
                break;
            }
        }
        if (settings.keepBest() && !stoppedEarly && checkpoint != null && bestEpoch > 0
                && bestEpoch < history.size()) {
            progress.info(Messages.get(settings.bestByAccuracy() ? "progress.keeping-accuracy" : "progress.keeping", bestEpoch));
            checkpoint.loadBest(trainer.getModel().getBlock(), trainer.getModel().getNDManager());
        }
        return new Outcome(history, resumedAfter, stoppedEarly, bestEpoch);
    }

    /** A batch larger than the training set is the training set: the same steps, no bigger arrays. */
    private Settings capped(Settings settings, long examples) {
        if (settings.batchSize() <= examples) {
            return settings;
        }
        progress.info(Messages.get("progress.batch-capped", settings.batchSize(), examples));
        return new Settings(settings.epochs(), (int) examples, settings.seed(), settings.patience(),
                settings.checkpointDir(), settings.resume(), settings.keepBest(), settings.bestByAccuracy());
    }

    private static ai.djl.ndarray.types.Shape exampleShape(Data train) {
        return train.inputs().getShape().slice(1);
    }

    /**
     * Runs {@code steps} training steps exactly as an epoch runs them (shuffle, slices, live bar) and
     * returns the examples per second; the benchmark compares this with {@link ReferenceLoop}.
     */
    public double benchmark(Data train, int batchSize, int steps, long seed) {
        Settings settings = new Settings(1, batchSize, seed, 0, null, false);
        long begin = System.nanoTime();
        trainEpoch(train, settings, 1, steps, null);
        return (double) Math.min(train.size(), (long) steps * batchSize) / ((System.nanoTime() - begin) / 1e9);
    }

    /**
     * One pass (or its first maxBatches batches) over the shuffled training split; returns {mean
     * loss, accuracy}. Loss and correct counts are summed on the device and read back only every
     * {@link #READ_EVERY} batches: a read forces the device to finish its queued work, which costs
     * little on a CPU and a lot on a GPU. A NaN or infinite loss shows in the sum at the next read.
     */
    private double[] trainEpoch(Data train, Settings settings, int epoch, long maxBatches, Checkpoint checkpoint) {
        long batches = Math.min(maxBatches, (train.size() + settings.batchSize() - 1) / settings.batchSize());
        long size = Math.min(train.size(), batches * settings.batchSize());
        NDManager manager = trainer.getManager();
        Device device = train.inputs().getDevice();
        try (NDManager epochManager = manager.newSubManager(device);
             ProgressSink.Bar bar = progress.bar(Messages.get("progress.epoch", epoch, settings.epochs()), batches)) {
            long[] shuffled = shuffledOrder(train.size(), settings.seed(), epoch);
            NDArray order = epochManager.create(size == shuffled.length ? shuffled : Arrays.copyOf(shuffled, (int) size));
            // One gather per epoch; every batch below is then a cheap contiguous slice.
            NDArray inputs = train.inputs().get(epochManager, new NDIndex("{}", order));
            NDArray labels = train.labels().get(epochManager, new NDIndex("{}", order));
            NDArray lossSum = epochManager.zeros(new Shape(), DataType.FLOAT32);   // sum of loss x batch size
            NDArray correctSum = epochManager.zeros(new Shape(), DataType.FLOAT32);
            double[] read = {0, 0};
            long lastRead = 0;
            long counted = 0; // examples of the steps that were applied
            long begin = System.nanoTime();
            long lastReadNanos = begin;
            for (long batch = 0; batch < batches; batch++) {
                long from = batch * settings.batchSize();
                long to = Math.min(size, from + settings.batchSize());
                try (NDManager batchManager = epochManager.newSubManager()) {
                    NDIndex rows = new NDIndex().addSliceDim(from, to);
                    NDArray x = inputs.get(batchManager, rows);
                    NDArray y = labels.get(batchManager, rows);
                    if (transform != null) {
                        NDList changed = transform.apply(x, y, batchManager);
                        x = changed.get(0);
                        y = changed.get(1);
                    }
                    NDArray output;
                    NDArray loss;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        output = trainer.forward(new NDList(x)).singletonOrThrow();
                        loss = trainer.getLoss().evaluate(new NDList(y), new NDList(output));
                        collector.backward(penalty == null ? loss : loss.add(penalty.of(batchManager)));
                    }
                    if (clipNorm > 0) {
                        double norm = Gradients.clipByGlobalNorm(trainer.getModel().getBlock(), clipNorm);
                        if (Double.isFinite(norm)) {
                            largestNorm = Math.max(largestNorm, norm);
                            clippedSteps += norm > clipNorm ? 1 : 0;
                        }
                    }
                    // A step whose gradients are not finite is skipped and leaves the running figures alone.
                    if (guard.step(trainer, x.getShape())) {
                        if (afterStep != null) {
                            afterStep.run();
                        }
                        lossSum.addi(loss.mul(to - from));
                        if (scorer != null) {
                            correctSum.addi(scorer.correct(output, y).toType(DataType.FLOAT32, false));
                        }
                        counted += to - from;
                    } else if (guard.exhausted()) {
                        throw new TrainingDivergedException(guard.inARow(), epoch, batch + 1, lastGood(checkpoint, epoch));
                    }
                }
                if (readDue(batch + 1 - lastRead, lastReadNanos, batch + 1 == batches)) {
                    lastReadNanos = System.nanoTime();
                    read[0] = lossSum.getFloat();
                    read[1] = correctSum.getFloat();
                    if (!Double.isFinite(read[0])) {
                        throw new TrainingDivergedException(epoch, lastRead + 1, batch + 1, read[0],
                                lastGood(checkpoint, epoch));
                    }
                    lastRead = batch + 1;
                    long seen = Math.min(size, lastRead * settings.batchSize());
                    double rate = seen / ((System.nanoTime() - begin) / 1e9);
                    bar.update(lastRead, scorer == null
                            ? String.format("loss %.4f %,.0f %s/s", read[0] / Math.max(1, counted), rate, unit)
                            : String.format("loss %.4f acc %.2f%% %,.0f %s/s", read[0] / Math.max(1, counted), 100 * read[1] / Math.max(1, counted),
                                    rate, unit));
                }
            }
            return new double[] {read[0] / counted, scorer == null ? Double.NaN : read[1] / counted};
        }
    }

    /** Mean loss and accuracy over a split, in inference mode and without a gradient graph. */
    public Evaluation evaluate(Data data, int batchSize) {
        return evaluate(trainer, scorer, data, batchSize);
    }

    /** The same for any trainer: its loss, and accuracy by {@code scorer} (NaN when null). */
    public static Evaluation evaluate(Trainer trainer, Scorer scorer, Data data, int batchSize) {
        long size = data.size();
        double lossSum = 0;
        double correctSum = 0;
        for (long from = 0; from < size; from += batchSize) {
            long to = Math.min(size, from + batchSize);
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDIndex rows = new NDIndex().addSliceDim(from, to);
                NDArray x = data.inputs().get(batchManager, rows);
                NDArray y = data.labels().get(batchManager, rows);
                NDArray output = trainer.evaluate(new NDList(x)).singletonOrThrow();
                lossSum += trainer.getLoss().evaluate(new NDList(y), new NDList(output)).getFloat() * (to - from);
                correctSum += scorer == null ? Double.NaN : count(scorer.correct(output, y));
            }
        }
        return new Evaluation(lossSum / size, correctSum / size);
    }

    private static double count(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    /** The JVM's total garbage-collection time so far, in seconds. */
    private static double gcSeconds() {
        long millis = 0;
        for (var collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis / 1e3;
    }

    /** A permutation of 0..size-1 that depends only on the seed and the epoch. */
    public static long[] shuffledOrder(long size, long seed, int epoch) {
        long[] order = new long[(int) size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed * 1_000_003L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static Messages.Text lastGood(Checkpoint checkpoint, int epoch) {
        if (checkpoint == null || epoch == 1 || !checkpoint.exists()) {
            return Messages.text("error.diverged.no-checkpoint");
        }
        return Messages.text("error.diverged.checkpoint", epoch - 1, checkpoint.dir());
    }
}
