package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import java.util.List;

/**
 * L1 and L2 penalties on a block's weights (not its biases), added to the loss: λ·Σ|w| (Tibshirani,
 * 1996) and (λ/2)·Σw², whose gradients are λ·sign(w) and λ·w. With Adam this is L2 in the loss,
 * not decoupled weight decay (Loshchilov &amp; Hutter, 2019): the penalty's gradient is scaled like
 * any other.
 */
public final class WeightPenalty {

    private WeightPenalty() {}

    /** λ·Σ|w| over every weight tensor of the block. */
    public static FitLoop.Penalty l1(Block block, float lambda) {
        List<Parameter> weights = weights(block);
        return batch -> sum(weights, batch, weight -> weight.abs()).mul(lambda);
    }

    /** (λ/2)·Σw² over every weight tensor of the block. */
    public static FitLoop.Penalty l2(Block block, float lambda) {
        List<Parameter> weights = weights(block);
        return batch -> sum(weights, batch, weight -> weight.square()).mul(lambda / 2);
    }

    /**
     * L1's proximal step, run after each optimizer step: every weight moves {@code threshold} towards
     * zero and stops at zero (soft thresholding, as in ISTA; Beck &amp; Teboulle, 2009). Unlike the
     * sub-gradient λ·sign(w), which leaves weights jittering around zero, this makes them exactly 0.
     * With threshold = learning rate × λ it is the proximal form of the penalty λ·Σ|w|.
     */
    public static Runnable softThreshold(Block block, float threshold) {
        List<Parameter> weights = weights(block);
        return () -> {
            for (Parameter parameter : weights) {
                NDArray weight = parameter.getArray();
                // sign(w)·max(|w| − t, 0) is w minus w clipped to [−t, t]: one temporary array per step.
                try (NDArray clipped = weight.clip(-threshold, threshold)) {
                    weight.subi(clipped);
                }
            }
        };
    }

    /**
     * Decoupled weight decay, run after each optimizer step: every weight times (1 − {@code rate})
     * (Loshchilov &amp; Hutter, 2019). With rate = learning rate × λ it is a gradient step on (λ/2)·Σw²
     * that Adam's per-parameter scaling does not distort.
     */
    public static Runnable decay(Block block, float rate) {
        List<Parameter> weights = weights(block);
        return () -> {
            for (Parameter parameter : weights) {
                parameter.getArray().muli(1f - rate);
            }
        };
    }

    private static List<Parameter> weights(Block block) {
        return block.getParameters().values().stream()
                .filter(parameter -> parameter.getType() == Parameter.Type.WEIGHT).toList();
    }

    private static NDArray sum(List<Parameter> weights, NDManager batch,
                               java.util.function.UnaryOperator<NDArray> elementwise) {
        NDArray total = null;
        for (Parameter parameter : weights) {
            NDArray values = elementwise.apply(parameter.getArray());
            // Made from a parameter, it joins the parameter's long-lived manager: without this it
            // would leak once per batch. What is computed from it below lands in the batch's manager.
            values.attach(batch);
            NDArray part = values.sum();
            total = total == null ? part : total.add(part);
        }
        return total == null ? batch.zeros(new ai.djl.ndarray.types.Shape()) : total;
    }
}
