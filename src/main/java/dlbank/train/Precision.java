package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/**
 * Number formats of mixed-precision training, emulated in fp32 where the engine cannot compute in
 * them: a value is rounded to the format and kept as an fp32 number, so the arithmetic around it
 * stays fp32 (as it does inside the accumulators of real fp16/bf16 hardware).
 *
 * <ul>
 *   <li>fp16 (IEEE half): 5 exponent bits, 11 significant bits; largest 65,504, smallest normal
 *       2^-14 ≈ 6.1e-5, smallest subnormal 2^-24 ≈ 6.0e-8. Rounded by the engine's own cast to
 *       float16 and back, so overflow to infinity and underflow to 0 are real.</li>
 *   <li>bf16 (bfloat16): fp32's 8 exponent bits, 8 significant bits; the range of fp32. Rounded by
 *       Veltkamp's split: c = x·(2^16 + 1), x_bf16 = c - (c - x), three fp32 operations that leave the
 *       8 leading significant bits of x, rounded to nearest (DJL here cannot hold bf16 arrays at all).</li>
 * </ul>
 */
public enum Precision {
    FP32, BF16, FP16;

    /** 2^16 + 1: splits off the 24 - 16 = 8 leading significant bits of an fp32 number. */
    private static final float VELTKAMP = 65_537f;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** x rounded to this format, as fp32 values; detached from autograd. */
    public NDArray round(NDArray x) {
        return switch (this) {
            case FP32 -> x.stopGradient();
            case FP16 -> x.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false);
            case BF16 -> {
                NDArray plain = x.stopGradient();
                NDArray c = plain.mul(VELTKAMP);
                yield c.sub(c.sub(plain));
            }
        };
    }

    /**
     * x rounded to this format in the forward pass, with the gradient passed through unchanged in the
     * backward pass (what a cast does to the gradient, up to the gradient's own rounding).
     */
    public NDArray roundStraightThrough(NDArray x) {
        if (this == FP32) {
            return x;
        }
        return x.add(round(x).sub(x).stopGradient());
    }

    /**
     * bf16 rounding by bits, round to nearest even: the reference the tests hold {@link #round} to.
     * Not for NaN or infinity.
     */
    public static float bf16ByBits(float x) {
        int bits = Float.floatToRawIntBits(x);
        int lsb = (bits >>> 16) & 1;
        bits += 0x7FFF + lsb;
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }
}
