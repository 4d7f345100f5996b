package dlbank.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * The convolutional denoising autoencoder: an encoder and a decoder joined into one model, so that
 * training runs through both (the circulating snippet built its decoder on a separate input and
 * never connected the two). The decoder doubles the resolution by repeating pixels and then
 * convolves, which avoids the checkerboard patterns of strided transposed convolutions (Odena,
 * Dumoulin &amp; Olah, 2016, Deconvolution and Checkerboard Artifacts). Outputs are logits; a sigmoid
 * gives pixels in [0, 1]. Any height and width divisible by 4 works.
 */
public final class ConvAutoencoder {

    private ConvAutoencoder() {}

    public static SequentialBlock build() {
        return new SequentialBlock().add(encoder()).add(decoder());
    }

    /** (N, 1, H, W) -> (N, 32, H/4, W/4): 1,568 numbers for a 28x28 image of 784, so no bottleneck. */
    static SequentialBlock encoder() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).optPadding(new Shape(1, 1)).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))                                   // (N, 32, H/2, W/2)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).optPadding(new Shape(1, 1)).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)));                                  // (N, 32, H/4, W/4)
    }

    /** (N, 32, H/4, W/4) -> (N, 1, H, W) logits. */
    static SequentialBlock decoder() {
        return new SequentialBlock()
                .addSingleton(ConvAutoencoder::upsample)                                     // (N, 32, H/2, W/2)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).optPadding(new Shape(1, 1)).build())
                .add(Activation::relu)
                .addSingleton(ConvAutoencoder::upsample)                                     // (N, 32, H, W)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).optPadding(new Shape(1, 1)).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(1).optPadding(new Shape(1, 1)).build());
    }

    /** Nearest-neighbour upsampling by 2: every pixel becomes a 2x2 block. */
    static ai.djl.ndarray.NDArray upsample(ai.djl.ndarray.NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }
}
