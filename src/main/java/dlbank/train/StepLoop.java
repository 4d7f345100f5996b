package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/**
 * Training step by step with any DJL optimizer, for the labs that compare optimizers, losses and
 * learning rates per step, where {@link FitLoop}'s epochs are too coarse: shuffled mini-batches
 * (or the whole split at once: full-batch gradient descent), the loss of every step read back, and
 * a listener that may stop the run. No checkpoints: these runs take seconds.
 */
public final class StepLoop {

    /** Called after every step; return false to stop. */
    @FunctionalInterface
    public interface Listener {
        boolean after(int step, double batchLoss);
    }

    private StepLoop() {}

    /**
     * Runs up to {@code steps} optimizer steps over mini-batches of {@code batchSize} examples in a
     * fresh seeded order each pass; a batch size of at least the split's size makes every step one
     * full-batch gradient step.
     *
     * @return the number of steps taken
     */
    public static int train(Trainer trainer, FitLoop.Data data, int batchSize, int steps, long seed, Listener listener) {
        return train(trainer, data, batchSize, steps, seed, listener, StepGuard.of("", null));
    }

    /**
     * As above, each update through {@code guard}: a step whose gradients are not finite is skipped
     * (still counted as a step), and the run stops like a diverged one once the guard is exhausted.
     */
    public static int train(Trainer trainer, FitLoop.Data data, int batchSize, int steps, long seed, Listener listener,
                            StepGuard guard) {
        long size = data.size();
        int batch = (int) Math.min(batchSize, size);
        long perPass = size / batch; // the last incomplete batch of a pass is dropped: every step sees batch examples
        int step = 0;
        for (int pass = 1; step < steps; pass++) {
            try (NDManager passManager = trainer.getManager().newSubManager()) {
                long[] order = FitLoop.shuffledOrder(size, seed, pass);
                NDArray index = passManager.create(order);
                NDArray inputs = data.inputs().get(passManager, new NDIndex("{}", index));
                NDArray labels = data.labels().get(passManager, new NDIndex("{}", index));
                for (long b = 0; b < perPass && step < steps; b++) {
                    double loss;
                    try (NDManager batchManager = passManager.newSubManager()) {
                        NDIndex rows = new NDIndex().addSliceDim(b * batch, (b + 1) * batch);
                        NDArray x = inputs.get(batchManager, rows);
                        NDArray y = labels.get(batchManager, rows);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray output = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray value = trainer.getLoss().evaluate(new NDList(y), new NDList(output));
                            collector.backward(value);
                            loss = value.getFloat();
                        }
                        guard.step(trainer, x.getShape());
                    }
                    step++;
                    if (!Double.isFinite(loss) || guard.exhausted() || !listener.after(step, loss)) {
                        return step;
                    }
                }
            }
        }
        return step;
    }

    /** Mean loss and accuracy (argmax of the outputs) over a split, in inference mode. */
    public static FitLoop.Evaluation evaluate(Trainer trainer, FitLoop.Data data, int batchSize) {
        return FitLoop.evaluate(trainer, FitLoop.argmaxScorer(), data, batchSize);
    }
}
