package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A small U-Net that predicts the noise in a noised MNIST digit, for a denoising diffusion model
 * (Ronneberger et al., 2015, for the U shape; Ho et al., 2020, for its use in DDPM). Three sizes
 * (28, 14, 7) with {@code widths} channels, one residual block per size on the way down and up,
 * skip connections that concatenate, group normalisation and SiLU. The time step enters every
 * residual block as a per-channel shift, from sinusoidal features (as in the Transformer's
 * positions) through a small MLP; the class label is added to that embedding from a table whose
 * last row means "no label", which is what classifier-free guidance needs (Ho &amp; Salimans, 2022).
 *
 * <p>One input array per example, because the fit loop passes one: a row of 786 numbers, the 784
 * pixels of x_t, then t, then the label (10 = none); see {@link #pack}. Output: the predicted noise,
 * (N, 1, 28, 28).
 */
public final class DiffusionUNet extends AbstractBlock {

    public static final int PIXELS = 28 * 28;
    /** The label that means "unconditional": the table's 11th row. */
    public static final int NO_LABEL = 10;
    private static final int GROUPS = 8;
    private static final int TIME_FEATURES = 32;

    private final int[] widths;
    private final int embedding;
    private final Dense timeIn;
    private final Dense timeOut;
    private final Parameter labelTable;
    private final Conv input;
    private final Residual down28;
    private final Conv to14;
    private final Residual down14;
    private final Conv to7;
    private final Residual middle;
    private final Conv up7;
    private final Residual up14;
    private final Conv up14to28;
    private final Residual up28;
    private final Norm outNorm;
    private final Conv output;

    /** @param widths channels at 28x28, 14x14 and 7x7, each a multiple of 8 (the groups) */
    public DiffusionUNet(int[] widths) {
        this.widths = widths.clone();
        this.embedding = 4 * widths[0];
        int c1 = widths[0];
        int c2 = widths[1];
        int c3 = widths[2];
        timeIn = dense("time.in", TIME_FEATURES, embedding);
        timeOut = dense("time.out", embedding, embedding);
        labelTable = addParameter(Parameter.builder().setName("label.table").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(NO_LABEL + 1, embedding)).build());
        input = conv("input", 1, c1, 3, 1);
        down28 = residual("down28", c1, c1);
        to14 = conv("to14", c1, c2, 3, 2);
        down14 = residual("down14", c2, c2);
        to7 = conv("to7", c2, c3, 3, 2);
        middle = residual("middle", c3, c3);
        up7 = conv("up7", c3, c2, 3, 1);
        up14 = residual("up14", 2 * c2, c2);
        up14to28 = conv("up14", c2, c1, 3, 1);
        up28 = residual("up28", 2 * c1, c1);
        outNorm = norm("out.norm", c1);
        output = conv("output", c1, 1, 3, 1);
    }

    /** One row per example: x_t's 784 pixels, t, label. x (N, 1, 28, 28), t and labels (N). */
    public static NDArray pack(NDArray x, NDArray t, NDArray labels) {
        long n = x.getShape().get(0);
        return NDArrays.concat(new NDList(x.reshape(n, PIXELS), t.reshape(n, 1).toType(DataType.FLOAT32, false),
                labels.reshape(n, 1).toType(DataType.FLOAT32, false)), 1);
    }

    public int[] widths() {
        return widths.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = inputs.singletonOrThrow();                                   // (N, 786)
        long n = packed.getShape().get(0);
        NDManager manager = packed.getManager();
        NDArray x = packed.get(new NDIndex(":, 0:" + PIXELS)).reshape(n, 1, 28, 28);
        NDArray t = packed.get(new NDIndex(":, " + PIXELS));                          // (N)
        NDArray labels = packed.get(new NDIndex(":, " + (PIXELS + 1))).toType(DataType.INT64, false);
        Forward f = new Forward(store, training, manager);
        NDArray table = f.value(labelTable);
        NDArray emb = f.dense(timeOut, silu(f.dense(timeIn, timeFeatures(t, manager))))
                .add(labels.oneHot(NO_LABEL + 1).toType(DataType.FLOAT32, false).matMul(table));   // (N, E)
        NDArray e = silu(emb);
        NDArray h28 = f.residual(down28, f.conv(input, x), e);                          // (N, c1, 28, 28)
        NDArray h14 = f.residual(down14, f.conv(to14, h28), e);                         // (N, c2, 14, 14)
        NDArray h7 = f.residual(middle, f.conv(to7, h14), e);                           // (N, c3, 7, 7)
        NDArray u14 = f.conv(up7, upsample(h7));                                        // (N, c2, 14, 14)
        u14 = f.residual(up14, NDArrays.concat(new NDList(u14, h14), 1), e);
        NDArray u28 = f.conv(up14to28, upsample(u14));                                  // (N, c1, 28, 28)
        u28 = f.residual(up28, NDArrays.concat(new NDList(u28, h28), 1), e);
        return new NDList(f.conv(output, silu(f.norm(outNorm, u28))));                  // (N, 1, 28, 28)
    }

    /** sin and cos of t at 16 frequencies from 1 to 1/10,000, as the Transformer encodes positions. (N, 32) */
    private static NDArray timeFeatures(NDArray t, NDManager manager) {
        int half = TIME_FEATURES / 2;
        float[] frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = (float) Math.exp(-Math.log(10_000) * i / half);
        }
        NDArray angles = t.reshape(-1, 1).matMul(manager.create(frequencies, new Shape(1, half)));
        return NDArrays.concat(new NDList(angles.sin(), angles.cos()), 1);
    }

    private static NDArray silu(NDArray x) {
        return Activation.swish(x, 1f);
    }

    /** Nearest-neighbour doubling of height and width. */
    private static NDArray upsample(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    private record Dense(Parameter weight, Parameter bias) {}

    private record Conv(Parameter weight, Parameter bias, int stride, int padding) {}

    private record Norm(Parameter gamma, Parameter beta, int channels) {}

    /** Pre-activation residual block: norm, SiLU, conv; plus the embedding's shift; norm, SiLU, conv; plus the input. */
    private record Residual(Norm norm1, Conv conv1, Dense shift, Norm norm2, Conv conv2, Conv skip) {}

    /** The forward pass's access to the parameters' current values. */
    private record Forward(ParameterStore store, boolean training, NDManager manager) {
        NDArray value(Parameter parameter) {
            return store.getValue(parameter, manager.getDevice(), training);
        }

        NDArray dense(Dense dense, NDArray x) {
            return Linear.linear(x, value(dense.weight()), value(dense.bias())).singletonOrThrow();
        }

        NDArray conv(Conv conv, NDArray x) {
            return Conv2d.conv2d(x, value(conv.weight()), value(conv.bias()), new Shape(conv.stride(), conv.stride()),
                    new Shape(conv.padding(), conv.padding())).singletonOrThrow();
        }

        /** Group normalisation (Wu &amp; He, 2018): each example's channels in groups, normalised over group and pixels. */
        NDArray norm(Norm norm, NDArray x) {
            Shape shape = x.getShape();
            long perGroup = shape.size() / shape.get(0) / GROUPS;
            NDArray grouped = x.reshape(shape.get(0), GROUPS, perGroup);
            NDArray normalised = LayerNorm.layerNorm(grouped, new Shape(perGroup), manager.ones(new Shape(perGroup)),
                    manager.zeros(new Shape(perGroup)), 1e-5f).singletonOrThrow().reshape(shape);
            return normalised.mul(value(norm.gamma()).reshape(1, norm.channels(), 1, 1))
                    .add(value(norm.beta()).reshape(1, norm.channels(), 1, 1));
        }

        NDArray residual(Residual block, NDArray x, NDArray embedding) {
            NDArray h = conv(block.conv1(), silu(norm(block.norm1(), x)));
            long channels = h.getShape().get(1);
            h = h.add(dense(block.shift(), embedding).reshape(-1, channels, 1, 1));
            h = conv(block.conv2(), silu(norm(block.norm2(), h)));
            return h.add(block.skip() == null ? x : conv(block.skip(), x));
        }
    }

    private Parameter parameter(String name, Parameter.Type type, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).build());
    }

    private Dense dense(String name, int in, int out) {
        return new Dense(parameter(name + ".weight", Parameter.Type.WEIGHT, new Shape(out, in)),
                parameter(name + ".bias", Parameter.Type.BIAS, new Shape(out)));
    }

    private Conv conv(String name, int in, int out, int kernel, int stride) {
        return new Conv(parameter(name + ".weight", Parameter.Type.WEIGHT, new Shape(out, in, kernel, kernel)),
                parameter(name + ".bias", Parameter.Type.BIAS, new Shape(out)), stride, kernel / 2);
    }

    private Norm norm(String name, int channels) {
        return new Norm(parameter(name + ".gamma", Parameter.Type.GAMMA, new Shape(channels)),
                parameter(name + ".beta", Parameter.Type.BETA, new Shape(channels)), channels);
    }

    private Residual residual(String name, int in, int out) {
        return new Residual(norm(name + ".norm1", in), conv(name + ".conv1", in, out, 3, 1),
                dense(name + ".shift", embedding, out), norm(name + ".norm2", out), conv(name + ".conv2", out, out, 3, 1),
                in == out ? null : conv(name + ".skip", in, out, 1, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), 1, 28, 28)};
    }

    /** The parameter names in order, for tests. */
    List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        getParameters().forEach(pair -> names.add(pair.getKey()));
        return names;
    }
}
