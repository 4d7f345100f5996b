package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

import java.util.List;

/**
 * Plain and residual CNNs of 6n + 2 weighted layers for 28x28 grey images, the design He, Zhang,
 * Ren &amp; Sun (2016, Deep Residual Learning for Image Recognition, section 4.2) used on CIFAR-10 to
 * show degradation: a 3x3 convolution, three stages of n blocks of two 3x3 convolutions (16, 32, 64
 * channels; the first block of stages 2 and 3 halves height and width with stride 2), global average
 * pooling and one dense layer. A residual block adds its input to its output before the last ReLU;
 * where the block halves the size and doubles the channels, the shortcut takes every second pixel
 * and pads the new channels with zeros (their option A: no parameters, so plain and residual nets
 * of one depth have exactly the same weights). To keep 44 layers affordable on two cores, the first
 * convolution has stride 2 (28x28 to 14x14, then 7x7 and 4x4); the paper's CIFAR nets start at 32x32.
 */
public final class DeepCnn {

    /** The normalization after each convolution. */
    public enum Norm {
        NONE, BATCH, LAYER, RMS, GROUP;

        /** The name used in metric names and plots. */
        public String label() {
            return name().toLowerCase();
        }
    }

    /** Channels in the three stages. */
    public static final int[] WIDTHS = {16, 32, 64};
    /** Groups of group normalization: 4 channels per group in the first stage. */
    public static final int GROUPS = 4;

    private DeepCnn() {}

    /** Blocks per stage of a net of {@code depth} = 6n + 2 weighted layers. */
    public static int blocksPerStage(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("depth must be 6n + 2 with n >= 1, not " + depth);
        }
        return (depth - 2) / 6;
    }

    public static SequentialBlock build(int depth, boolean residual, Norm norm) {
        int n = blocksPerStage(depth);
        SequentialBlock net = new SequentialBlock()
                .add(conv(WIDTHS[0], 2, norm)).add(normalization(norm)).add(Activation::relu); // (B, 16, 14, 14)
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            for (int block = 0; block < n; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;       // (B, 32, 7, 7), then (B, 64, 4, 4)
                SequentialBlock body = new SequentialBlock()
                        .add(conv(WIDTHS[stage], stride, norm)).add(normalization(norm)).add(Activation::relu)
                        .add(conv(WIDTHS[stage], 1, norm)).add(normalization(norm));
                net.add(residual ? new ParallelBlock(DeepCnn::sum, List.of(body, shortcut(stride))) : body)
                        .add(Activation::relu);
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())                                          // (B, 64)
                .add(Linear.builder().setUnits(10).build());                                 // (B, 10)
    }

    /** A 3x3 convolution, padding 1; no bias where the normalization after it subtracts a mean anyway. */
    static Conv2d conv(int filters, int stride, Norm norm) {
        boolean centred = norm == Norm.BATCH || norm == Norm.LAYER || norm == Norm.GROUP;
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).optBias(!centred).build();
    }

    /** The normalization layer of the given kind; NONE is the identity. */
    public static Block normalization(Norm norm) {
        return switch (norm) {
            case NONE -> ai.djl.nn.Blocks.identityBlock();
            case BATCH -> BatchNorm.builder().build();
            case LAYER -> GroupNorm.layer();
            case RMS -> GroupNorm.rms();
            case GROUP -> GroupNorm.groups(GROUPS);
        };
    }

    /** The identity, or every second pixel with the channels doubled by zeros (option A). */
    private static Block shortcut(int stride) {
        return new SequentialBlock().addSingleton(x -> {
            if (stride == 1) {
                return x;
            }
            NDArray sampled = x.get(":, :, ::2, ::2");                                        // (B, C, H/2, W/2)
            return NDArrays.concat(new NDList(sampled, sampled.zerosLike()), 1);              // (B, 2C, H/2, W/2)
        });
    }

    private static NDList sum(List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }
}
