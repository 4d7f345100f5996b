package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The normalizations that work on each example alone, for feature maps (N, C, H, W): group
 * normalization (Wu &amp; He, 2018, Group Normalization) splits the C channels into {@code groups}
 * groups and normalises each example's group over its channels and positions; with one group it is
 * layer normalization over (C, H, W) (Ba, Kiros &amp; Hinton, 2016, Layer Normalization). The RMS
 * variant (Zhang &amp; Sennrich, 2019, Root Mean Square Layer Normalization) divides by the root mean
 * square over (C, H, W) and subtracts no mean. Each then scales (and, except RMS, shifts) every
 * channel by learned γ and β. Nothing depends on the other examples of the batch, so training and
 * inference compute the same thing, at any batch size, batch 1 included.
 *
 * <p>Written from engine operations (DJL 0.36 has no group or RMS normalization block), so autograd
 * gives its backward pass.
 */
public final class GroupNorm extends AbstractBlock {

    static final float EPSILON = 1e-5f;

    private final int groups;
    private final boolean rms;
    private final Parameter gamma;
    private final Parameter beta;

    private GroupNorm(int groups, boolean rms) {
        this.groups = groups;
        this.rms = rms;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = rms ? null : addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    /** Group normalization with {@code groups} groups of channels. */
    public static GroupNorm groups(int groups) {
        return new GroupNorm(groups, false);
    }

    /** Layer normalization over (C, H, W): one group. */
    public static GroupNorm layer() {
        return new GroupNorm(1, false);
    }

    /** RMS normalization over (C, H, W): no mean subtracted, no shift. */
    public static GroupNorm rms() {
        return new GroupNorm(1, true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                    // (N, C, H, W)
        Shape shape = x.getShape();
        NDArray grouped = x.reshape(shape.get(0), groups, -1);                    // (N, G, C/G·H·W)
        NDArray centred = rms ? grouped : grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray normalised = centred.mul(centred.square().mean(new int[] {2}, true).add(EPSILON).pow(-0.5))
                .reshape(shape);
        // γ and β are stored as (1, C, 1, 1), so they broadcast without a reshape: a reshaped
        // parameter would be a new array in the parameter's long-lived manager at every step.
        NDArray out = normalised.mul(store.getValue(gamma, x.getDevice(), training));
        return new NDList(rms ? out : out.add(store.getValue(beta, x.getDevice(), training)));
    }

    @Override
    protected void prepare(Shape[] inputs) {
        long channels = inputs[0].get(1);
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        gamma.setShape(new Shape(1, channels, 1, 1));
        if (beta != null) {
            beta.setShape(new Shape(1, channels, 1, 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }
}
