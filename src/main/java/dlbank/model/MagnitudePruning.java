package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unstructured magnitude pruning (Han et al., 2015, Learning both Weights and Connections for
 * Efficient Neural Networks) with one global threshold: the given share of all weights of rank 2 or
 * more (convolution kernels and dense matrices; biases are kept), smallest in absolute value first,
 * is set to zero. The masks are kept so that fine-tuning can put them back after every step.
 */
public final class MagnitudePruning {

    /** The weights pruned and their 0/1 masks (same shapes), and the share of weights set to zero. */
    public record Masks(List<Parameter> weights, List<NDArray> masks, long pruned, long total) {
        public double sparsity() {
            return (double) pruned / total;
        }

        /** Multiplies every pruned weight by its mask, in place: pruned weights back to exactly 0. */
        public void apply() {
            for (int i = 0; i < weights.size(); i++) {
                weights.get(i).getArray().muli(masks.get(i));
            }
        }

        /** The share of the masked weights that are exactly 0 now (equals sparsity() while the masks hold). */
        public double zeroShare() {
            long zeros = 0;
            for (Parameter weight : weights) {
                for (float value : weight.getArray().toFloatArray()) {
                    zeros += value == 0f ? 1 : 0;
                }
            }
            return (double) zeros / total;
        }
    }

    private MagnitudePruning() {}

    /**
     * Masks that zero the {@code sparsity} share of smallest-magnitude weights of the block, over all
     * its weight tensors together (ties broken by position), created in {@code manager}.
     */
    public static Masks masks(Block block, double sparsity, NDManager manager) {
        List<Parameter> weights = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            if (array.getShape().dimension() >= 2) {
                weights.add(entry.getValue());
                values.add(array.toFloatArray());
            }
        }
        long total = values.stream().mapToLong(v -> v.length).sum();
        float[] magnitudes = new float[(int) total];
        int offset = 0;
        for (float[] v : values) {
            for (float value : v) {
                magnitudes[offset++] = Math.abs(value);
            }
        }
        long pruned = Math.round(sparsity * total);
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        float threshold = pruned == 0 ? -1 : sorted[(int) pruned - 1];
        // Everything below the threshold goes; of the values equal to it, only as many as needed.
        long below = 0;
        for (float m : magnitudes) {
            below += m < threshold ? 1 : 0;
        }
        long tiesToPrune = pruned - below;
        List<NDArray> masks = new ArrayList<>();
        for (int w = 0; w < weights.size(); w++) {
            float[] v = values.get(w);
            float[] mask = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                float m = Math.abs(v[i]);
                boolean prune = m < threshold || (m == threshold && tiesToPrune-- > 0);
                mask[i] = prune ? 0f : 1f;
            }
            masks.add(manager.create(mask, weights.get(w).getArray().getShape()));
        }
        return new Masks(weights, masks, pruned, total);
    }
}
