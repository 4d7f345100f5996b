package dlbank.train;

/**
 * Dynamic loss scaling for fp16 gradients (Micikevicius et al., 2018, Mixed Precision Training):
 * the loss is multiplied by a scale before the backward pass so that small gradients stay above
 * fp16's underflow, and the gradients are divided by it again before the update. When a step's
 * scaled gradients overflow (infinity or NaN), the step is skipped and the scale halved; after
 * {@code growthInterval} good steps in a row it doubles. PyTorch's GradScaler starts at 2^16 and
 * grows every 2,000 steps.
 */
public final class LossScaler {

    private final int growthInterval;
    private double scale;
    private int goodSteps;
    private int skipped;

    public LossScaler(double initialScale, int growthInterval) {
        this.scale = initialScale;
        this.growthInterval = growthInterval;
    }

    public double scale() {
        return scale;
    }

    /** Steps skipped so far because the scaled gradients overflowed. */
    public int skipped() {
        return skipped;
    }

    /**
     * Records whether this step's scaled gradients were all finite; returns whether to take the step.
     * The scale changes after the decision, for the next step.
     */
    public boolean update(boolean finite) {
        if (!finite) {
            skipped++;
            goodSteps = 0;
            scale /= 2;
            return false;
        }
        if (++goodSteps >= growthInterval) {
            goodSteps = 0;
            scale *= 2;
        }
        return true;
    }
}
