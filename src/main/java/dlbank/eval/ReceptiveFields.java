package dlbank.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;

/**
 * The receptive field measured rather than computed: the gradient of one feature-map unit with
 * respect to the input is non-zero exactly on the input pixels that can change it (Luo et al., 2016,
 * Understanding the Effective Receptive Field in Deep Convolutional Neural Networks), and how that
 * gradient's mass spreads over the field gives the effective receptive field.
 */
public final class ReceptiveFields {

    private ReceptiveFields() {}

    /**
     * |∂ unit / ∂ input| summed over the images: the unit is the sum over channels of the last feature
     * map at (centre, centre). Returns 28x28 values, row-major.
     */
    public static float[] gradientMap(Block features, NDArray images, int centre) {
        NDArray gradient = Attacks.inputGradient(features, images,
                maps -> maps.get(new NDIndex(":, :, {}, {}", centre, centre)).sum());
        if (!finite(gradient)) {
            // The engine's first backward pass through a new convolution shape can come back NaN (DESIGN.md); once more.
            gradient = Attacks.inputGradient(features, images, maps -> maps.get(new NDIndex(":, :, {}, {}", centre, centre)).sum());
        }
        return gradient.abs().sum(new int[] {0, 1}).toFloatArray();
    }

    private static boolean finite(NDArray array) {
        return !array.isNaN().logicalOr(array.isInfinite()).any().getBoolean();
    }

    /** First and last row (or column) where the map is not zero. */
    public static int[] support(float[] map, boolean rows) {
        int side = (int) Math.round(Math.sqrt(map.length));
        int first = -1;
        int last = -1;
        for (int i = 0; i < side; i++) {
            boolean any = false;
            for (int j = 0; j < side; j++) {
                any |= (rows ? map[i * side + j] : map[j * side + i]) != 0f;
            }
            if (any) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return new int[] {first, last};
    }

    /** Share of the map's total in the central square of side 2, 4, ... of the field [from, to] (even side). */
    public static double[] centralShare(float[] map, int[] span) {
        int side = (int) Math.round(Math.sqrt(map.length));
        double total = 0;
        for (float value : map) {
            total += value;
        }
        int fieldSide = span[1] - span[0] + 1;
        double[] share = new double[fieldSide / 2];
        for (int half = 1; half <= share.length; half++) {
            int from = span[0] + fieldSide / 2 - half;
            int to = span[0] + fieldSide / 2 + half - 1;
            double inside = 0;
            for (int i = Math.max(0, from); i <= Math.min(side - 1, to); i++) {
                for (int j = Math.max(0, from); j <= Math.min(side - 1, to); j++) {
                    inside += map[i * side + j];
                }
            }
            share[half - 1] = inside / total;
        }
        return share;
    }

    /** The smallest central square's side whose share reaches {@code level}. */
    public static int sideHolding(double[] share, double level) {
        for (int i = 0; i < share.length; i++) {
            if (share[i] >= level) {
                return 2 * (i + 1);
            }
        }
        return 2 * share.length;
    }
}
