package dlbank.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Class probabilities of a classifier over many inputs, in inference mode, batch by batch. */
public final class Predictions {

    private Predictions() {}

    /**
     * @param inputs (N, ...) on the model's device
     * @return softmax probabilities, row-major (N x classes)
     */
    public static float[][] probabilities(Block block, NDManager manager, NDArray inputs, int batchSize) {
        return rows(block, manager, inputs, batchSize, true);
    }

    /**
     * The raw outputs of a block with one row of outputs per input (a classifier's logits, an
     * encoder's features), in inference mode.
     *
     * @param inputs (N, ...) on the model's device
     * @return one row per input (N x outputs)
     */
    public static float[][] outputs(Block block, NDManager manager, NDArray inputs, int batchSize) {
        return rows(block, manager, inputs, batchSize, false);
    }

    private static float[][] rows(Block block, NDManager manager, NDArray inputs, int batchSize, boolean softmax) {
        long size = inputs.getShape().get(0);
        float[][] rows = new float[(int) size][];
        ParameterStore parameters = new ParameterStore(manager, false);
        for (long from = 0; from < size; from += batchSize) {
            long to = Math.min(size, from + batchSize);
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray x = inputs.get(batchManager, new NDIndex().addSliceDim(from, to));
                NDArray logits = block.forward(parameters, new NDList(x), false).singletonOrThrow();
                float[] flat = (softmax ? logits.softmax(1) : logits).toFloatArray();
                int classes = (int) logits.getShape().get(1);
                for (int i = 0; i < to - from; i++) {
                    rows[(int) from + i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
            }
        }
        return rows;
    }

    /**
     * For a block with one logit per example: the sigmoid of each logit, in inference mode.
     *
     * @param inputs (N, ...) on the model's device
     */
    public static float[] positiveProbabilities(Block block, NDManager manager, NDArray inputs, int batchSize) {
        long size = inputs.getShape().get(0);
        float[] probabilities = new float[(int) size];
        ParameterStore parameters = new ParameterStore(manager, false);
        for (long from = 0; from < size; from += batchSize) {
            long to = Math.min(size, from + batchSize);
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray x = inputs.get(batchManager, new NDIndex().addSliceDim(from, to));
                NDArray logits = block.forward(parameters, new NDList(x), false).singletonOrThrow();
                float[] batch = ai.djl.nn.Activation.sigmoid(logits.reshape(-1)).toFloatArray();
                System.arraycopy(batch, 0, probabilities, (int) from, batch.length);
            }
        }
        return probabilities;
    }

    /** The share of inputs whose most likely class is their label, in inference mode. */
    public static double accuracy(Block block, NDManager manager, NDArray inputs, int[] labels, int batchSize) {
        int[] predicted = argmax(probabilities(block, manager, inputs, batchSize));
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /**
     * The block's output for every input, flattened row-major whatever its shape (a detector's grid
     * of predictions, a segmenter's map), in inference mode; {@code reduce} turns each batch's output
     * into what is kept, e.g. the class with the largest logit at every pixel.
     */
    public static java.util.List<float[]> perExample(Block block, NDManager manager, NDArray inputs, int batchSize,
                                                     java.util.function.UnaryOperator<NDArray> reduce) {
        long size = inputs.getShape().get(0);
        java.util.List<float[]> rows = new java.util.ArrayList<>();
        ParameterStore parameters = new ParameterStore(manager, false);
        for (long from = 0; from < size; from += batchSize) {
            long to = Math.min(size, from + batchSize);
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray x = inputs.get(batchManager, new NDIndex().addSliceDim(from, to));
                float[] flat = reduce.apply(block.forward(parameters, new NDList(x), false).singletonOrThrow()).toFloatArray();
                int each = flat.length / (int) (to - from);
                for (int i = 0; i < to - from; i++) {
                    rows.add(java.util.Arrays.copyOfRange(flat, i * each, (i + 1) * each));
                }
            }
        }
        return rows;
    }

    /** Index of the largest value of each row. */
    public static int[] argmax(float[][] rows) {
        int[] best = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 1; c < rows[i].length; c++) {
                if (rows[i][c] > rows[i][best[i]]) {
                    best[i] = c;
                }
            }
        }
        return best;
    }
}
