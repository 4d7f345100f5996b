package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A small U-Net (Ronneberger, Fischer &amp; Brox, 2015, U-Net: Convolutional Networks for Biomedical
 * Image Segmentation) that gives every pixel a class: an encoder of 3x3 convolutions that halves the
 * resolution three times (64 → 8 pixels for a 64x64 input), and a decoder that doubles it back by
 * nearest-neighbour upsampling, each step followed by a 3x3 convolution. With skip connections, each
 * decoder step also reads the encoder's feature maps of the same resolution (concatenated as
 * channels), which carry the exact positions that the downsampling lost. Without them it is a plain
 * encoder-decoder of the same depth.
 */
public final class UNet extends AbstractBlock {

    /** Encoder widths at 64, 32, 16 pixels, and the bottleneck at 8. */
    static final int[] ENCODER = {8, 16, 32, 64};
    /** Decoder widths at 16, 32 and 64 pixels. */
    static final int[] DECODER = {16, 8, 8};

    private final boolean skips;
    private final List<Block> encoder = new ArrayList<>();
    private final List<Block> decoder = new ArrayList<>();
    private final Block head;

    /**
     * @param classes output channels: one logit per class per pixel
     * @param skips concatenate the encoder's maps into the decoder (a U-Net) or not (an encoder-decoder)
     */
    public UNet(int classes, boolean skips) {
        this.skips = skips;
        for (int i = 0; i < ENCODER.length; i++) {
            encoder.add(addChildBlock("encoder" + i, conv(ENCODER[i], 3)));
        }
        for (int i = 0; i < DECODER.length; i++) {
            decoder.add(addChildBlock("decoder" + i, conv(DECODER[i], 3)));
        }
        head = addChildBlock("head", conv(classes, 1));
    }

    private static Conv2d conv(int filters, int kernel) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optPadding(new Shape(kernel / 2, kernel / 2)).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                    // (B, 1, 64, 64)
        List<NDArray> kept = new ArrayList<>();
        for (int i = 0; i < encoder.size(); i++) {
            if (i > 0) {
                x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            x = encoder.get(i).forward(store, new NDList(x), training).singletonOrThrow();
            x = Activation.relu(x);
            kept.add(x);                                                          // 64, 32, 16, 8 pixels
        }
        for (int i = 0; i < decoder.size(); i++) {
            x = x.repeat(2, 2).repeat(3, 2);                                      // nearest-neighbour, twice the size
            if (skips) {
                x = NDArrays.concat(new NDList(x, kept.get(kept.size() - 2 - i)), 1);
            }
            x = decoder.get(i).forward(store, new NDList(x), training).singletonOrThrow();
            x = Activation.relu(x);
        }
        return head.forward(store, new NDList(x), training);                      // (B, classes, 64, 64)
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType dataType,
                                         Shape... inputShapes) {
        Shape shape = inputShapes[0];
        long batch = shape.get(0);
        long side = shape.get(2);
        List<Shape> keptShapes = new ArrayList<>();
        for (int i = 0; i < encoder.size(); i++) {
            if (i > 0) {
                side /= 2;
                shape = new Shape(batch, shape.get(1), side, side);
            }
            encoder.get(i).initialize(manager, dataType, shape);
            shape = new Shape(batch, ENCODER[i], side, side);
            keptShapes.add(shape);
        }
        for (int i = 0; i < decoder.size(); i++) {
            side *= 2;
            long channels = shape.get(1) + (skips ? keptShapes.get(keptShapes.size() - 2 - i).get(1) : 0);
            decoder.get(i).initialize(manager, dataType, new Shape(batch, channels, side, side));
            shape = new Shape(batch, DECODER[i], side, side);
        }
        head.initialize(manager, dataType, shape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {head.getOutputShapes(new Shape[] {new Shape(s.get(0), DECODER[DECODER.length - 1], s.get(2), s.get(3))})[0]};
    }
}
