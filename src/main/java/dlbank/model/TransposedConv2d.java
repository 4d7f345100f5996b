package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A transposed convolution with kernel 4, stride 2 and padding 1, which doubles height and width:
 * {@code out[2p - 1 + a, 2q - 1 + b] += x[p, q] · K[a, b]} (Dumoulin &amp; Visin, 2016, A guide to
 * convolution arithmetic for deep learning). DJL 0.36's PyTorch engine does not implement
 * {@code Conv2dTranspose} ("Not implemented"), so it is computed by its four phases: the even output
 * rows take kernel rows 3 and 1 over input rows p - 1 and p, the odd ones rows 2 and 0 over p and
 * p + 1, and the same for columns. Four 2x2 convolutions, interleaved: the same arithmetic as the
 * transposed convolution itself, a quarter of that of a convolution over a zero-stuffed input.
 */
public final class TransposedConv2d extends AbstractBlock {

    /** Kernel rows (and columns) of each output phase, in the order of the input offsets they meet. */
    private static final int[][] TAPS = {{3, 1}, {2, 0}};

    private final int filters;
    private final Parameter weight;
    private final Parameter bias;

    public TransposedConv2d(int filters) {
        this.filters = filters;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                           // (N, C, H, W)
        NDArray k = store.getValue(weight, x.getDevice(), training);                     // (F, C, 4, 4)
        NDArray b = store.getValue(bias, x.getDevice(), training);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray[] rows = new NDArray[2];
        for (int r = 0; r < 2; r++) {
            NDArray[] phases = new NDArray[2];
            for (int c = 0; c < 2; c++) {
                NDArray kernel = taps(taps(k, 2, TAPS[r], x.getManager()), 3, TAPS[c], x.getManager()); // (F, C, 2, 2)
                // Padding 1 gives (H + 1, W + 1) outputs; phase 0 reads offsets (-1, 0): outputs
                // 0..H-1; phase 1 reads offsets (0, +1): outputs 1..H.
                NDArray all = Conv2d.conv2d(x, kernel, b, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
                phases[c] = all.get(":, :, " + r + ":" + (h + r) + ", " + c + ":" + (w + c));   // (N, F, H, W)
            }
            // Interleave the columns: (N, F, H, W, 2) -> (N, F, H, 2W)
            rows[r] = NDArrays.stack(new NDList(phases[0], phases[1]), 4).reshape(x.getShape().get(0), filters, h, 2 * w);
        }
        // Interleave the rows: (N, F, H, 2, 2W) -> (N, F, 2H, 2W)
        return new NDList(NDArrays.stack(new NDList(rows[0], rows[1]), 3).reshape(x.getShape().get(0), filters, 2 * h, 2 * w));
    }

    /**
     * The kernel's entries {@code indices} along {@code axis}, in that order, in the batch's manager:
     * an array made from a parameter would otherwise join the parameter's long-lived manager, and
     * every forward pass would leak one.
     */
    private static NDArray taps(NDArray kernel, int axis, int[] indices, ai.djl.ndarray.NDManager manager) {
        String[] before = {":", ":", ":", ":"};
        NDList picked = new NDList();
        for (int index : indices) {
            before[axis] = index + ":" + (index + 1);
            picked.add(kernel.get(manager, new ai.djl.ndarray.index.NDIndex(String.join(", ", before))));
        }
        return NDArrays.concat(picked, axis);
    }

    @Override
    protected void prepare(Shape[] inputs) {
        weight.setShape(new Shape(filters, inputs[0].get(1), 4, 4));
        bias.setShape(new Shape(filters));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), filters, 2 * s.get(2), 2 * s.get(3))};
    }
}
