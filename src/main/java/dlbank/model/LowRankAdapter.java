package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Random;

/**
 * LoRA (Hu et al., 2022, LoRA: Low-Rank Adaptation of Large Language Models): a frozen layer W
 * plus a trainable low-rank update, {@code W·x + (α/r)·B·A·x}, with A of shape (r, inputs) and B of
 * shape (outputs, r). B starts at zero, so the adapted layer starts as exactly the pretrained one;
 * A starts random, so the first gradient step already moves B. Only A and B train.
 *
 * <p>For a convolution, A is itself a convolution with r filters of the layer's kernel size and B
 * a 1x1 convolution from r channels to the layer's filters: their product, B·A over the r channels,
 * is a kernel of the layer's shape and rank at most r as a matrix (filters, inputs·k·k).
 * {@link #mergedWeight()} folds the update into W, so that a merged model has the plain layer's
 * size and speed.
 */
public final class LowRankAdapter extends AbstractBlock {

    private final Block base;
    private final int outputs;
    private final int kernel;          // 0 for a dense layer
    private final int rank;
    private final float scale;         // α / r
    private final Parameter down;      // A: (r, inputs) or (r, channels, k, k)
    private final Parameter up;        // B: (outputs, r) or (outputs, r, 1, 1)

    private LowRankAdapter(Block base, int outputs, int kernel, int rank, float alpha) {
        this.base = addChildBlock("base", base);
        this.outputs = outputs;
        this.kernel = kernel;
        this.rank = rank;
        this.scale = alpha / rank;
        down = addParameter(Parameter.builder().setName("lora_a").setType(Parameter.Type.WEIGHT).build());
        up = addParameter(Parameter.builder().setName("lora_b").setType(Parameter.Type.WEIGHT).build());
    }

    /** A k x k convolution (stride 1, no padding, as in MnistCnn) with a rank-r update. */
    public static LowRankAdapter convolution(int filters, int kernel, int rank, float alpha) {
        return new LowRankAdapter(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters).build(),
                filters, kernel, rank, alpha);
    }

    /** A dense layer of {@code units} outputs with a rank-r update. */
    public static LowRankAdapter dense(int units, int rank, float alpha) {
        return new LowRankAdapter(Linear.builder().setUnits(units).build(), units, 0, rank, alpha);
    }

    /** The pretrained layer (copy its weights in, freeze it). */
    public Block base() {
        return base;
    }

    /** A's and B's values together: what LoRA trains in this layer. */
    public long adapterParameters() {
        return down.getArray().size() + up.getArray().size();
    }

    /**
     * Sets B to zero and A to Gaussian values of variance 1/fan-in (seeded): the adapted layer then
     * computes exactly what the base layer computes.
     */
    public void reset(long seed) {
        NDArray a = down.getArray();
        long fanIn = a.size() / rank;
        Random random = new Random(seed);
        float[] values = new float[(int) a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() / Math.sqrt(fanIn));
        }
        a.set(values);
        up.getArray().set(new float[(int) up.getArray().size()]);
    }

    /** W + (α/r)·B·A, in the base weight's shape: the weight of the merged layer. */
    public NDArray mergedWeight() {
        NDArray w = base.getParameters().get("weight").getArray();
        NDArray a = down.getArray().reshape(rank, -1);                 // (r, inputs·k·k)
        NDArray b = up.getArray().reshape(outputs, rank);              // (outputs, r)
        return w.add(b.matMul(a).reshape(w.getShape()).mul(scale));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = base.forward(store, inputs, training, params).singletonOrThrow();
        NDArray a = store.getValue(down, x.getDevice(), training);
        NDArray b = store.getValue(up, x.getDevice(), training);
        NDArray delta = kernel > 0
                ? Conv2d.conv2d(Conv2d.conv2d(x, a).singletonOrThrow(), b).singletonOrThrow()   // (N, outputs, H', W')
                : Linear.linear(Linear.linear(x, a).singletonOrThrow(), b).singletonOrThrow();  // (N, outputs)
        return new NDList(y.add(delta.mul(scale)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        base.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected void prepare(Shape[] inputs) {
        long channels = inputs[0].get(1);
        if (kernel > 0) {
            down.setShape(new Shape(rank, channels, kernel, kernel));
            up.setShape(new Shape(outputs, rank, 1, 1));
        } else {
            down.setShape(new Shape(rank, channels));
            up.setShape(new Shape(outputs, rank));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return base.getOutputShapes(inputs);
    }
}
