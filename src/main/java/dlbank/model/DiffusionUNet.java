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
 * (Ronneberger et al., 2015, for the U shape; Ho et al., 2020, for its use in DDPM). One residual
 * block per resolution on the way down and one on the way up, skip connections that concatenate,
 * group normalisation and SiLU. With {@code patch} 2 the 28x28 image is first folded into 4 channels
 * of 14x14 (each 2x2 block of pixels becomes one position, as vision transformers cut patches) and
 * unfolded at the end: a quarter of the positions at the top level, where most of a small U-Net's
 * time goes on a CPU. The time step enters every residual block as a per-channel shift, from
 * sinusoidal features (as in the Transformer's positions) through a small MLP; the class label is
 * added to that embedding from a table whose last row means "no label", which is what
 * classifier-free guidance needs (Ho &amp; Salimans, 2022).
 *
 * <p>One input array per example, because the fit loop passes one: a row of 786 numbers, the 784
 * pixels of x_t, then t, then the label (10 = none); see {@link #pack}. Output: the predicted noise
 * (or velocity, see {@link Prediction}), (N, 1, 28, 28).
 */
public final class DiffusionUNet extends AbstractBlock {

    public static final int PIXELS = 28 * 28;
    /** The label that means "unconditional": the table's 11th row. */
    public static final int NO_LABEL = 10;
    private static final int GROUPS = 8;
    private static final int TIME_FEATURES = 32;

    /** What the network's output is: the noise ε (DDPM) or the velocity v (Salimans &amp; Ho, 2022). */
    public enum Prediction { NOISE, VELOCITY }

    private final int[] widths;
    private final int patch;
    private final Prediction prediction;
    private final int embedding;
    private final Dense timeIn;
    private final Dense timeOut;
    private final Parameter labelTable;
    private final Conv input;
    /** down[i]: the downsampling convolution into level i (none at level 0) and level i's residual block. */
    private final List<Conv> downsample = new ArrayList<>();
    private final List<Residual> down = new ArrayList<>();
    /** up[i] for i = levels - 2 .. 0: the convolution after upsampling into level i, and the block over it and the skip. */
    private final List<Conv> upsample = new ArrayList<>();
    private final List<Residual> up = new ArrayList<>();
    private final Norm outNorm;
    private final Conv output;

    /**
     * @param widths channels at each resolution from the top (28x28, or 14x14 with patch 2) down, each
     *               halving the size; multiples of 8 (the groups)
     * @param patch 1, or 2 to fold 2x2 pixel blocks into channels first
     */
    public DiffusionUNet(int[] widths, int patch) {
        this(widths, patch, Prediction.NOISE);
    }

    /** @param prediction what the output is trained to be */
    public DiffusionUNet(int[] widths, int patch, Prediction prediction) {
        if (patch != 1 && patch != 2) {
            throw new IllegalArgumentException("patch must be 1 or 2: " + patch);
        }
        this.widths = widths.clone();
        this.patch = patch;
        this.prediction = prediction;
        this.embedding = 4 * widths[0];
        int channels = patch * patch;
        timeIn = dense("time.in", TIME_FEATURES, embedding);
        timeOut = dense("time.out", embedding, embedding);
        labelTable = addParameter(Parameter.builder().setName("label.table").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(NO_LABEL + 1, embedding)).build());
        input = conv("input", channels, widths[0], 3, 1);
        for (int level = 0; level < widths.length; level++) {
            downsample.add(level == 0 ? null : conv("down" + level + ".resize", widths[level - 1], widths[level], 3, 2));
            down.add(residual("down" + level, widths[level], widths[level]));
        }
        for (int level = widths.length - 2; level >= 0; level--) {
            upsample.add(conv("up" + level + ".resize", widths[level + 1], widths[level], 3, 1));
            up.add(residual("up" + level, 2 * widths[level], widths[level]));
        }
        outNorm = norm("out.norm", widths[0]);
        output = conv("output", widths[0], channels, 3, 1);
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

    public int patch() {
        return patch;
    }

    public Prediction prediction() {
        return prediction;
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
        NDArray h = patch == 1 ? x : fold(x);                                                // (N, p², 28/p, 28/p)
        List<NDArray> skips = new ArrayList<>();
        h = f.conv(input, h);
        for (int level = 0; level < widths.length; level++) {
            if (level > 0) {
                h = f.conv(downsample.get(level), h);                                         // half the size
            }
            h = f.residual(down.get(level), h, e);
            skips.add(h);
        }
        for (int i = 0; i < up.size(); i++) {
            int level = widths.length - 2 - i;
            h = f.conv(upsample.get(i), h.repeat(2, 2).repeat(3, 2));                        // nearest-neighbour doubling
            h = f.residual(up.get(i), NDArrays.concat(new NDList(h, skips.get(level)), 1), e);
        }
        NDArray out = f.conv(output, silu(f.norm(outNorm, h)));
        return new NDList(patch == 1 ? out : unfold(out, n));                                // (N, 1, 28, 28)
    }

    /** (N, 1, 28, 28) to (N, 4, 14, 14): channel 2a + b holds the pixels at (2i + a, 2j + b). */
    static NDArray fold(NDArray x) {
        long n = x.getShape().get(0);
        return x.reshape(n, 14, 2, 14, 2).transpose(0, 2, 4, 1, 3).reshape(n, 4, 14, 14);
    }

    /** The inverse of {@link #fold}. */
    static NDArray unfold(NDArray x, long n) {
        return x.reshape(n, 2, 2, 14, 14).transpose(0, 3, 1, 4, 2).reshape(n, 1, 28, 28);
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
}
