package dlbank.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * The answer to "how would you get past 99.5% on MNIST?" as a network: three 3x3 convolution stages
 * (32, 64, 128 filters, padded) each with batch norm (Ioffe &amp; Szegedy, 2015) and max pooling, then
 * dense 128 with batch norm, dropout before both dense layers (Srivastava et al., 2014), and one
 * output layer of 10 logits. Batch norm and dropout can be switched off for the ablation.
 */
public final class ImprovedMnistCnn {

    /** Name of the saved architecture, beside task/mnist-cnn's "mnist-cnn". */
    public static final String ARCHITECTURE = "mnist-cnn-improved";
    /** Dropout rate before each dense layer. */
    public static final float DROPOUT = 0.4f;

    private ImprovedMnistCnn() {}

    /** The network with every change on, as trained and saved. */
    public static SequentialBlock build() {
        return build(true, DROPOUT);
    }

    public static SequentialBlock build(boolean batchNorm, float dropout) {
        SequentialBlock block = new SequentialBlock();
        for (int filters : new int[] {32, 64, 128}) {       // 28 -> 14 -> 7 -> 3
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters)
                    .optPadding(new Shape(1, 1)).build());
            if (batchNorm) {
                block.add(BatchNorm.builder().build());
            }
            block.add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2)));
        }
        block.add(Blocks.batchFlattenBlock());                                    // (B, 128 * 3 * 3)
        if (dropout > 0) {
            block.add(Dropout.builder().optRate(dropout).build());
        }
        block.add(Linear.builder().setUnits(128).build());
        if (batchNorm) {
            block.add(BatchNorm.builder().build());
        }
        block.add(Activation::relu);
        if (dropout > 0) {
            block.add(Dropout.builder().optRate(dropout).build());
        }
        return block.add(Linear.builder().setUnits(10).build());
    }
}
