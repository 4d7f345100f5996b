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
     * map at (centre, centre). Returns the input's H·W values, row-major.
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

    /**
     * The smallest square centred on the field [from, to] (the same span on both axes) that holds at
     * least {@code level} of the map's total: its side, 1, 3, 5, ... for a field of odd side and 2, 4,
     * 6, ... for an even one.
     */
    public static int sideHolding(float[] map, int[] span, double level) {
        int side = (int) Math.round(Math.sqrt(map.length));
        double total = 0;
        for (float value : map) {
            total += value;
        }
        int fieldSide = span[1] - span[0] + 1;
        for (int square = 2 - fieldSide % 2; square < fieldSide; square += 2) {
            int from = span[0] + (fieldSide - square) / 2;
            double inside = 0;
            for (int i = Math.max(0, from); i <= Math.min(side - 1, from + square - 1); i++) {
                for (int j = Math.max(0, from); j <= Math.min(side - 1, from + square - 1); j++) {
                    inside += map[i * side + j];
                }
            }
            if (inside >= level * total) {
                return square;
            }
        }
        return fieldSide;
    }
}
