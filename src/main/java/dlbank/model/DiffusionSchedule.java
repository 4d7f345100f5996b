package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The forward (noising) process of DDPM (Ho et al., 2020, Denoising Diffusion Probabilistic Models):
 * T steps with variances β_t rising linearly from 1e-4 to 0.02, and ᾱ_t = Π_{s≤t} (1 - β_s), so that
 * a noised image can be drawn in one go: x_t = √ᾱ_t · x_0 + √(1 - ᾱ_t) · ε with ε ~ N(0, I).
 * Steps are numbered 0..T-1 here (the paper's 1..T).
 */
public final class DiffusionSchedule {

    public static final int STEPS = 1000;
    private static final double BETA_FIRST = 1e-4;
    private static final double BETA_LAST = 0.02;

    private final double[] alphaBar = new double[STEPS];
    /** √ᾱ_t and √(1 - ᾱ_t) per step, as the engine's floats: every training batch looks them up. */
    private final float[] signal = new float[STEPS];
    private final float[] spread = new float[STEPS];

    public DiffusionSchedule() {
        double product = 1;
        for (int t = 0; t < STEPS; t++) {
            double beta = BETA_FIRST + (BETA_LAST - BETA_FIRST) * t / (STEPS - 1);
            product *= 1 - beta;
            alphaBar[t] = product;
            signal[t] = (float) Math.sqrt(product);
            spread[t] = (float) Math.sqrt(1 - product);
        }
    }

    /** ᾱ_t: the share of the signal's variance left at step t; 1 before step 0. */
    public double alphaBar(int t) {
        return t < 0 ? 1 : alphaBar[t];
    }

    /**
     * x_t for each example's own step.
     *
     * @param x0 (N, 1, 28, 28) clean images in [-1, 1]
     * @param t (N) steps, int64
     * @param noise (N, 1, 28, 28) standard normal
     */
    public NDArray noised(NDArray x0, NDArray t, NDArray noise) {
        NDArray[] c = coefficients(x0.getManager(), t);
        return x0.mul(c[0]).add(noise.mul(c[1]));
    }

    /**
     * The velocity v = √ᾱ_t · ε - √(1 - ᾱ_t) · x_0 (Salimans &amp; Ho, 2022, Progressive Distillation):
     * the target of a network that predicts v. From x_t and v both x_0 and ε follow:
     * x_0 = √ᾱ_t · x_t - √(1 - ᾱ_t) · v and ε = √(1 - ᾱ_t) · x_t + √ᾱ_t · v.
     */
    public NDArray velocity(NDArray x0, NDArray t, NDArray noise) {
        NDArray[] c = coefficients(x0.getManager(), t);
        return noise.mul(c[0]).sub(x0.mul(c[1]));
    }

    /** {√ᾱ_t, √(1 - ᾱ_t)} for each example's step, shaped (N, 1, 1, 1). */
    private NDArray[] coefficients(NDManager manager, NDArray t) {
        return new NDArray[] {manager.create(signal).get(new NDIndex("{}", t)).reshape(-1, 1, 1, 1),
                manager.create(spread).get(new NDIndex("{}", t)).reshape(-1, 1, 1, 1)};
    }

    /** One uniformly drawn step per example, from the engine's seeded generator. (N) int64 */
    public static NDArray randomSteps(NDManager manager, long count) {
        return manager.randomInteger(0, STEPS, new Shape(count), DataType.INT64);
    }

    /**
     * The steps a sampler with {@code count} steps visits, from the noisiest down: evenly spaced,
     * ending at step 0 (DDIM's "uniform" choice of sub-sequence, Song et al., 2021).
     */
    public static int[] samplingSteps(int count) {
        if (count < 1 || count > STEPS) {
            throw new IllegalArgumentException("steps must lie in 1.." + STEPS + ": " + count);
        }
        int[] steps = new int[count];
        for (int i = 0; i < count; i++) {
            steps[i] = (int) Math.round((double) (count - 1 - i) * (STEPS - 1) / Math.max(1, count - 1));
        }
        if (count == 1) {
            steps[0] = STEPS - 1;
        }
        return steps;
    }
}
