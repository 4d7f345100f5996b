package dlbank.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Small image classifiers described layer by layer, so that the same description builds the block
 * and feeds the hand formulas for parameters, multiply-adds and the receptive field. The standard
 * network stacks 3x3 convolutions; the depthwise-separable one replaces each 3x3 convolution after
 * the first by a depthwise 3x3 (one filter per channel, groups = channels) and a pointwise 1x1
 * convolution that mixes the channels (Howard et al., 2017, MobileNets: Efficient Convolutional
 * Neural Networks for Mobile Vision Applications). Both end in global average pooling and a dense
 * layer of 10 logits.
 */
public final class EfficientCnn {

    /** What a layer does; every convolution is followed by a ReLU. */
    public enum Kind { CONV, DEPTHWISE, POINTWISE, MAX_POOL }

    /**
     * One layer.
     *
     * @param channels output channels (a depthwise layer and a pool keep their input's)
     */
    public record Layer(Kind kind, int kernel, int stride, int padding, int channels) {
        static Layer conv(int channels) {
            return new Layer(Kind.CONV, 3, 1, 1, channels);
        }

        static Layer depthwise(int channels) {
            return new Layer(Kind.DEPTHWISE, 3, 1, 1, channels);
        }

        static Layer pointwise(int channels) {
            return new Layer(Kind.POINTWISE, 1, 1, 0, channels);
        }

        static Layer pool() {
            return new Layer(Kind.MAX_POOL, 2, 2, 0, 0);
        }
    }

    /** Output channels of the stem and of the three 3x3 stages: 28x28, 28x28, 14x14, 7x7. */
    static final int[] WIDTHS = {16, 32, 64, 128};

    private EfficientCnn() {}

    /** conv 16 → conv 32 → pool → conv 64 → pool → conv 128, every convolution 3x3 with padding 1. */
    public static List<Layer> standard() {
        return List.of(Layer.conv(WIDTHS[0]), Layer.conv(WIDTHS[1]), Layer.pool(), Layer.conv(WIDTHS[2]), Layer.pool(),
                Layer.conv(WIDTHS[3]));
    }

    /** The same stages with each 3x3 convolution after the stem split into depthwise 3x3 + pointwise 1x1. */
    public static List<Layer> separable() {
        return List.of(Layer.conv(WIDTHS[0]),
                Layer.depthwise(WIDTHS[0]), Layer.pointwise(WIDTHS[1]), Layer.pool(),
                Layer.depthwise(WIDTHS[1]), Layer.pointwise(WIDTHS[2]), Layer.pool(),
                Layer.depthwise(WIDTHS[2]), Layer.pointwise(WIDTHS[3]));
    }

    /** {@code depth} 3x3 convolutions of {@code channels} each, padding 1, no pooling: the receptive field grows by 2 per layer. */
    public static List<Layer> plainStack(int depth, int channels) {
        return java.util.Collections.nCopies(depth, Layer.conv(channels));
    }

    /** The layers up to the last convolution (with its ReLU), for the receptive field: feature maps out. */
    public static SequentialBlock features(List<Layer> layers) {
        SequentialBlock block = new SequentialBlock();
        int channels = 1;
        for (Layer layer : layers) {
            switch (layer.kind()) {
                case MAX_POOL -> block.add(Pool.maxPool2dBlock(new Shape(layer.kernel(), layer.kernel()),
                        new Shape(layer.stride(), layer.stride())));
                case DEPTHWISE -> block.add(conv(layer, channels)).add(Activation::relu);
                default -> block.add(conv(layer, 1)).add(Activation::relu);
            }
            channels = layer.kind() == Kind.MAX_POOL ? channels : layer.channels();
        }
        return block;
    }

    /** The classifier: {@link #features}, global average pooling, dense 10. */
    public static SequentialBlock classifier(List<Layer> layers, int classes) {
        SequentialBlock block = features(layers);
        block.add(Pool.globalAvgPool2dBlock())                     // (B, channels)
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());   // (B, classes)
        return block;
    }

    private static Conv2d conv(Layer layer, int groups) {
        return Conv2d.builder().setKernelShape(new Shape(layer.kernel(), layer.kernel())).setFilters(layer.channels())
                .optStride(new Shape(layer.stride(), layer.stride())).optPadding(new Shape(layer.padding(), layer.padding()))
                .optGroups(groups).build();
    }

    /**
     * Parameters by the formulas: a k×k convolution from C_in to C_out channels has k²·C_in·C_out
     * weights + C_out biases; a depthwise one k²·C + C; a pointwise one C_in·C_out + C_out; the dense
     * head C·classes + classes.
     */
    public static long parametersByFormula(List<Layer> layers, int inputChannels, int classes) {
        long total = 0;
        long channels = inputChannels;
        for (Layer layer : layers) {
            long k2 = (long) layer.kernel() * layer.kernel();
            switch (layer.kind()) {
                case CONV, POINTWISE -> total += k2 * channels * layer.channels() + layer.channels();
                case DEPTHWISE -> total += k2 * channels + channels;
                case MAX_POOL -> { }
            }
            channels = layer.kind() == Kind.MAX_POOL ? channels : layer.channels();
        }
        return total + channels * classes + classes;
    }

    /**
     * Multiply-adds of one forward pass by the formulas: a convolution costs H_out·W_out·k²·C_in·C_out,
     * a depthwise one H_out·W_out·k²·C, a pointwise one H_out·W_out·C_in·C_out; the dense head
     * C·classes. Pooling and ReLU are not counted.
     */
    public static long multiplyAddsByFormula(List<Layer> layers, int inputChannels, int size, int classes) {
        long total = 0;
        long channels = inputChannels;
        long side = size;
        for (Layer layer : layers) {
            side = (side + 2L * layer.padding() - layer.kernel()) / layer.stride() + 1;
            long positions = side * side;
            long k2 = (long) layer.kernel() * layer.kernel();
            switch (layer.kind()) {
                case CONV, POINTWISE -> total += positions * k2 * channels * layer.channels();
                case DEPTHWISE -> total += positions * k2 * channels;
                case MAX_POOL -> { }
            }
            channels = layer.kind() == Kind.MAX_POOL ? channels : layer.channels();
        }
        return total + channels * classes;
    }

    /**
     * The receptive field of the last layer's units by the recurrence r_l = r_{l-1} + (k_l − 1)·j_{l-1},
     * j_l = j_{l-1}·s_l (r: field size in input pixels, j: distance in input pixels between neighbouring
     * units), and where the field of unit i starts: start_l = start_{l-1} − p_l·j_{l-1}, so unit i
     * sees input pixels start + i·j ... start + i·j + r − 1.
     */
    public record ReceptiveField(int size, int jump, int start) {
        /** The first and last input pixel (inclusive) that unit {@code index} of the last layer sees. */
        public int[] span(int index) {
            return new int[] {start + index * jump, start + index * jump + size - 1};
        }
    }

    public static ReceptiveField receptiveField(List<Layer> layers) {
        int size = 1;
        int jump = 1;
        int start = 0;
        for (Layer layer : layers) {
            size += (layer.kernel() - 1) * jump;
            start -= layer.padding() * jump;
            jump *= layer.stride();
        }
        return new ReceptiveField(size, jump, start);
    }

    /** The side of the last layer's feature maps for a square input of {@code size}. */
    public static int outputSide(List<Layer> layers, int size) {
        int side = size;
        for (Layer layer : layers) {
            side = (side + 2 * layer.padding() - layer.kernel()) / layer.stride() + 1;
        }
        return side;
    }

    /** The layers' names in order, for reports: "conv3x3-16", "dw3x3-16", "pw1x1-32", "maxpool2". */
    public static List<String> names(List<Layer> layers) {
        List<String> names = new ArrayList<>();
        for (Layer layer : layers) {
            names.add(switch (layer.kind()) {
                case CONV -> "conv3x3-" + layer.channels();
                case DEPTHWISE -> "dw3x3-" + layer.channels();
                case POINTWISE -> "pw1x1-" + layer.channels();
                case MAX_POOL -> "maxpool2";
            });
        }
        return names;
    }
}
