package dlbank.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The CNN of the bank's MNIST task, exactly as specified: conv 32 3x3 ReLU, max-pool 2, conv 64 3x3
 * ReLU, max-pool 2, dense 64 ReLU, dense 10. One output layer of 10 logits; the softmax lives in
 * the loss. 121,930 parameters.
 */
public final class MnistCnn {

    /** The input shape of one batch of {@code batchSize} images. */
    public static Shape inputShape(int batchSize) {
        return new Shape(batchSize, 1, 28, 28);
    }

    private MnistCnn() {}

    public static SequentialBlock build() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build()) // (B, 32, 26, 26)
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))                                   // (B, 32, 13, 13)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build()) // (B, 64, 11, 11)
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))                                   // (B, 64, 5, 5)
                .add(Blocks.batchFlattenBlock())                                              // (B, 1600)
                .add(Linear.builder().setUnits(64).build())                                   // (B, 64)
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());                                  // (B, 10)
    }

    /** Children of {@link #build()} that hold weights: the two convolutions and the two dense layers. */
    public static final int[] WEIGHT_LAYERS = {0, 3, 7, 9};

    /**
     * The same network with LoRA updates of rank {@code rank} beside the two convolutions and, when
     * {@code dense}, the 64-unit dense layer ({@link LowRankAdapter}); the output layer stays plain.
     */
    public static SequentialBlock adapted(int rank, float alpha, boolean dense) {
        return new SequentialBlock()
                .add(LowRankAdapter.convolution(32, 3, rank, alpha))
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(LowRankAdapter.convolution(64, 3, rank, alpha))
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(dense ? LowRankAdapter.dense(64, rank, alpha) : Linear.builder().setUnits(64).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    /**
     * A plain network, initialised in {@code manager}, that computes what {@code adapted} computes:
     * each LoRA layer's update folded into its weight (W + (α/r)·B·A), the other layers copied.
     */
    public static SequentialBlock merge(SequentialBlock adapted, ai.djl.ndarray.NDManager manager) {
        SequentialBlock merged = build();
        merged.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, inputShape(1));
        for (int layer : WEIGHT_LAYERS) {
            ai.djl.nn.Block from = adapted.getChildren().valueAt(layer);
            ai.djl.nn.Block to = merged.getChildren().valueAt(layer);
            if (from instanceof LowRankAdapter adapter) {
                to.getParameters().get("weight").getArray().set(adapter.mergedWeight().toFloatArray());
                to.getParameters().get("bias").getArray().set(adapter.base().getParameters().get("bias").getArray().toFloatArray());
            } else {
                Weights.copy(from, to);
            }
        }
        return merged;
    }
}
