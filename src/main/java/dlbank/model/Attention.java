package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Scaled dot-product attention (Vaswani et al., 2017, Attention Is All You Need):
 * {@code softmax(Q·Kᵀ / √d) · V}. The weights are computed from the inputs on every call; the
 * learned parts of a model around it are the projections that make Q, K and V.
 */
public final class Attention {

    /** Added to the score of a masked position: its weight becomes 0 after the softmax. */
    private static final float MASKED = -1e9f;

    private Attention() {}

    /**
     * @param queries (N, Lq, d)
     * @param keys (N, Lk, d)
     * @param values (N, Lk, dv)
     * @param mask (N, Lk) with 1 for positions that may be attended to and 0 for padding; or null
     * @return the outputs (N, Lq, dv) and the weights (N, Lq, Lk), each row of weights summing to 1
     */
    public static NDList scaledDotProduct(NDArray queries, NDArray keys, NDArray values, NDArray mask) {
        long d = queries.getShape().get(2);
        NDArray scores = queries.batchMatMul(keys.transpose(0, 2, 1)).div(Math.sqrt(d)); // (N, Lq, Lk)
        if (mask != null) {
            // (N, 1, Lk): 0 where allowed, a large negative number where padded.
            scores = scores.add(mask.expandDims(1).sub(1).mul(-MASKED));
        }
        NDArray weights = scores.softmax(2);
        return new NDList(weights.batchMatMul(values), weights);
    }
}
