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
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A mixture-of-experts feed-forward layer with top-k routing (Shazeer et al., 2017, Outrageously Large
 * Neural Networks; Fedus, Zoph &amp; Shazeer, 2021, Switch Transformers): a router scores the experts for
 * each input, only the k best run on it, and their outputs are mixed with the router's renormalised
 * probabilities. The experts really run on their own rows only (a gather per expert), so the compute
 * per example is that of k experts, not of all of them.
 *
 * <p>Input and output (batch, width). In training the layer keeps the Switch load-balancing term of
 * its last forward pass, {@code E·Σ_i f_i·P_i} (f_i the share of routed slots that went to expert i,
 * P_i the mean router probability of expert i), for the loss to add; and it can count, over any
 * number of passes, how many slots each expert received.
 */
public final class MixtureOfExperts extends AbstractBlock {

    private final int width;
    private final int hidden;
    private final int experts;
    private final int topK;
    private final Parameter router;
    private final Parameter weight1;
    private final Parameter bias1;
    private final Parameter weight2;
    private final Parameter bias2;
    private NDArray balanceLoss;
    private long[] usage;

    /**
     * @param width input and output size
     * @param hidden each expert's hidden size
     * @param experts E, the number of experts
     * @param topK k, the experts each input is sent to
     */
    public MixtureOfExperts(int width, int hidden, int experts, int topK) {
        this.width = width;
        this.hidden = hidden;
        this.experts = experts;
        this.topK = topK;
        router = addParameter(Parameter.builder().setName("router").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(width, experts)).build());
        weight1 = addParameter(Parameter.builder().setName("experts_weight1").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(experts, width, hidden)).build());
        bias1 = addParameter(Parameter.builder().setName("experts_bias1").setType(Parameter.Type.BIAS)
                .optShape(new Shape(experts, hidden)).build());
        weight2 = addParameter(Parameter.builder().setName("experts_weight2").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(experts, hidden, width)).build());
        bias2 = addParameter(Parameter.builder().setName("experts_bias2").setType(Parameter.Type.BIAS)
                .optShape(new Shape(experts, width)).build());
    }

    /** Parameters: the router's width·E and E experts of 2·width·hidden + hidden + width each. */
    public long parameterFormula() {
        return (long) width * experts + (long) experts * (2L * width * hidden + hidden + width);
    }

    /** Multiply-adds per example: the router's width·E and k experts' 2·width·hidden. */
    public long multiplyAddsPerExample() {
        return (long) width * experts + (long) topK * 2 * width * hidden;
    }

    /** Multiply-adds of one expert on one example. */
    public long expertMultiplyAdds() {
        return 2L * width * hidden;
    }

    /** The load-balancing term of the last training pass (a scalar in that pass's manager), or null. */
    public NDArray balanceLoss() {
        return balanceLoss;
    }

    /** Starts counting the slots each expert receives, from zero. */
    public void countUsage() {
        usage = new long[experts];
    }

    /** Slots each expert received since {@link #countUsage}. */
    public long[] usage() {
        return usage.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                            // (B, d)
        NDManager manager = x.getManager();
        int batch = (int) x.getShape().get(0);
        NDArray probabilities = x.matMul(store.getValue(router, x.getDevice(), training)).softmax(1);   // (B, E)
        NDList top = probabilities.topK(topK, 1, true, true);
        NDArray gates = top.get(0).div(top.get(0).sum(new int[] {1}, true));                // (B, k), rows sum to 1
        long[] chosen = top.get(1).toType(DataType.INT64, false).toLongArray();             // (B·k) expert ids
        // Slots grouped by expert: the rows each expert runs on, and where each slot's output will be.
        List<List<Integer>> rowsOf = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            rowsOf.add(new ArrayList<>());
        }
        int[] slotExpert = new int[chosen.length];
        int[] slotRank = new int[chosen.length];
        for (int s = 0; s < chosen.length; s++) {
            slotExpert[s] = (int) chosen[s];
            slotRank[s] = rowsOf.get(slotExpert[s]).size();
            rowsOf.get(slotExpert[s]).add(s / topK);
        }
        NDArray w1 = store.getValue(weight1, x.getDevice(), training);
        NDArray b1 = store.getValue(bias1, x.getDevice(), training);
        NDArray w2 = store.getValue(weight2, x.getDevice(), training);
        NDArray b2 = store.getValue(bias2, x.getDevice(), training);
        NDList outputs = new NDList();
        int[] offset = new int[experts];
        int filled = 0;
        for (int e = 0; e < experts; e++) {
            offset[e] = filled;
            List<Integer> rows = rowsOf.get(e);
            if (rows.isEmpty()) {
                continue;
            }
            filled += rows.size();
            NDArray picked = x.get(new NDIndex("{}", manager.create(rows.stream().mapToLong(Integer::longValue).toArray())));
            NDIndex expert = new NDIndex().addIndices(e);
            NDArray h = Activation.relu(picked.matMul(w1.get(manager, expert)).add(b1.get(manager, expert)));
            outputs.add(h.matMul(w2.get(manager, expert)).add(b2.get(manager, expert)));    // (n_e, d)
        }
        long[] position = new long[chosen.length];
        for (int s = 0; s < chosen.length; s++) {
            position[s] = offset[slotExpert[s]] + slotRank[s];
        }
        NDArray all = outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(outputs, 0);     // (B·k, d), by expert
        NDArray perSlot = all.get(new NDIndex("{}", manager.create(position))).reshape(batch, topK, width);
        NDArray mixed = perSlot.mul(gates.expandDims(2)).sum(new int[] {1});                 // (B, d)
        long[] counts = new long[experts];
        for (int e = 0; e < experts; e++) {
            counts[e] = rowsOf.get(e).size();
        }
        if (usage != null) {
            for (int e = 0; e < experts; e++) {
                usage[e] += counts[e];
            }
        }
        if (training) {
            float[] share = new float[experts];
            for (int e = 0; e < experts; e++) {
                share[e] = (float) counts[e] / chosen.length;
            }
            balanceLoss = manager.create(share).mul(probabilities.mean(new int[] {0})).sum().mul(experts);
        }
        return new NDList(mixed);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
