package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The position information a {@link Transformer} can use that has no parameters: the sinusoidal table
 * of the 2017 paper, rotary position embedding (RoPE) and ALiBi's slopes, each with the plain
 * arithmetic it stands for, so the tensor version can be checked against it.
 */
public final class PositionCodes {

    /** The base of the geometric series of wavelengths, in both the 2017 paper and RoFormer. */
    private static final double BASE = 10_000;

    private PositionCodes() {}

    /**
     * Rows offset .. offset+length-1 of the sinusoidal table, (length, width) row-major:
     * PE(p, 2i) = sin(p / 10000^(2i/width)), PE(p, 2i+1) = cos(p / 10000^(2i/width)).
     */
    public static float[] sinusoidal(int offset, int length, int width) {
        float[] table = new float[length * width];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < width / 2; i++) {
                double angle = (offset + t) / Math.pow(BASE, 2.0 * i / width);
                table[t * width + 2 * i] = (float) Math.sin(angle);
                table[t * width + 2 * i + 1] = (float) Math.cos(angle);
            }
        }
        return table;
    }

    /**
     * Rotary position embedding (Su et al., 2021, RoFormer): for a vector x at position p, each pair
     * (x_i, x_{i+d/2}) is rotated by the angle p·θ_i with θ_i = 10000^(-2i/d). The halves pairing
     * (GPT-NeoX's, LLaMA's in Hugging Face) rather than neighbours (the paper's) is the same rotation
     * with the dimensions listed in another order.
     *
     * @param x (..., length, d) with d even: queries or keys of positions offset, offset+1, ...
     */
    public static NDArray rotate(NDArray x, int offset) {
        Shape shape = x.getShape();
        int length = (int) shape.get(shape.dimension() - 2);
        int d = (int) shape.get(shape.dimension() - 1);
        int half = d / 2;
        float[] cos = new float[length * half];
        float[] sin = new float[length * half];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < half; i++) {
                double angle = (offset + t) * Math.pow(BASE, -2.0 * i / d);
                cos[t * half + i] = (float) Math.cos(angle);
                sin[t * half + i] = (float) Math.sin(angle);
            }
        }
        NDArray c = x.getManager().create(cos, new Shape(length, half));
        NDArray s = x.getManager().create(sin, new Shape(length, half));
        NDList halves = x.split(2, shape.dimension() - 1);
        NDArray first = halves.get(0);
        NDArray second = halves.get(1);
        return NDArrays.concat(new NDList(first.mul(c).sub(second.mul(s)), second.mul(c).add(first.mul(s))), shape.dimension() - 1);
    }

    /** The same rotation of one vector in plain arithmetic: (x_i + i·x_{i+d/2}) times e^{i·p·θ_i}. */
    public static double[] rotateReference(double[] x, int position) {
        int half = x.length / 2;
        double[] out = new double[x.length];
        for (int i = 0; i < half; i++) {
            double angle = position * Math.pow(BASE, -2.0 * i / x.length);
            double re = x[i];
            double im = x[i + half];
            out[i] = re * Math.cos(angle) - im * Math.sin(angle);
            out[i + half] = re * Math.sin(angle) + im * Math.cos(angle);
        }
        return out;
    }

    /** ALiBi's slope of head h of H: 2^(-8(h+1)/H), a geometric series from 2^(-8/H) down to 2^-8. */
    public static double alibiSlope(int head, int heads) {
        return Math.pow(2, -8.0 * (head + 1) / heads);
    }
}
