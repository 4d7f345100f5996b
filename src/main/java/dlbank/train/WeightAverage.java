package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;

/**
 * An exponential moving average of a network's weights, kept in a second block of the same
 * architecture: after each applied step, average = decay·average + (1 - decay)·weights. Sampling from
 * the average gives cleaner images than the last weights, for GANs (Yazıcı et al., 2019, The Unusual
 * Effectiveness of Averaging in GAN Training) and for diffusion models (Ho et al., 2020, used a decay
 * of 0.9999).
 */
public final class WeightAverage {

    private final Block live;
    private final Block average;
    private final float decay;
    private boolean warmUp;
    private long updates;

    /** @param average an initialised block of {@code live}'s architecture; its weights are the starting average */
    public WeightAverage(Block live, Block average, float decay) {
        this.live = live;
        this.average = average;
        this.decay = decay;
    }

    /**
     * From now on the n-th update uses the decay min(decay, (1 + n) / (10 + n)), as TensorFlow's
     * ExponentialMovingAverage does when given the step count: the starting weights and the first
     * steps fade out fast. Without it, after k updates the starting (random) weights still make up
     * decay^k of the average: 6.5% after 2,724 updates at 0.999.
     */
    public WeightAverage withWarmUp() {
        this.warmUp = true;
        return this;
    }

    public Block average() {
        return average;
    }

    /** The decay that the next update uses. */
    public float nextDecay() {
        return warmUp ? Math.min(decay, (1f + updates + 1) / (10f + updates + 1)) : decay;
    }

    /** One step of the average, in place, for every parameter. */
    public void update() {
        float decay = nextDecay();
        updates++;
        var weights = live.getParameters();
        var averaged = average.getParameters();
        for (int i = 0; i < weights.size(); i++) {
            NDArray target = averaged.valueAt(i).getArray();
            // The product would join the parameter's long-lived manager: close it at once.
            try (NDArray share = weights.valueAt(i).getArray().mul(1 - decay)) {
                target.muli(decay).addi(share);
            }
        }
    }
}
