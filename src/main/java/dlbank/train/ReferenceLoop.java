package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/**
 * The yardstick for {@link FitLoop}: the least a training step on raw DJL can do. Contiguous batches
 * of data already on the device, forward, loss, backward, optimizer step; no shuffling, no metrics,
 * no progress, no checkpoints. The benchmark reports dlbank's loop as a fraction of this one.
 */
public final class ReferenceLoop {

    private ReferenceLoop() {}

    /** Runs {@code steps} steps and returns the examples per second they took. */
    public static double run(Trainer trainer, NDArray inputs, NDArray labels, int batchSize, int steps) {
        long batches = inputs.getShape().get(0) / batchSize;
        long begin = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            long from = (step % batches) * batchSize;
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDIndex rows = new NDIndex().addSliceDim(from, from + batchSize);
                NDArray x = inputs.get(batchManager, rows);
                NDArray y = labels.get(batchManager, rows);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray output = trainer.forward(new NDList(x)).singletonOrThrow();
                    collector.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(output)));
                }
                trainer.step();
            }
        }
        return (double) steps * batchSize / ((System.nanoTime() - begin) / 1e9);
    }
}
