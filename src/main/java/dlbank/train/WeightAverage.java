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

    /** @param average an initialised block of {@code live}'s architecture; its weights are the starting average */
    public WeightAverage(Block live, Block average, float decay) {
        this.live = live;
        this.average = average;
        this.decay = decay;
    }

    public Block average() {
        return average;
    }

    /** One step of the average, in place, for every parameter. */
    public void update() {
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
