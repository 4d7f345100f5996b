package dlbank.eval;

import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Numerical gradients by finite differences, and how far another gradient lies from them.
 *
 * <p>The central difference {@code (L(θ+ε) − L(θ−ε)) / 2ε} has a truncation error of order ε²;
 * the five-point stencil {@code (8·(L(θ+h) − L(θ−h)) − (L(θ+2h) − L(θ−2h))) / 12h} one of order
 * h⁴, so it can use a larger step, which divides the rounding error of the loss by less. Both need
 * their loss evaluations per parameter: the cost that backpropagation avoids.
 */
public final class GradientCheck {

    /** A finite-difference formula. */
    public enum Stencil {
        /** (L(θ+ε) − L(θ−ε)) / 2ε: two losses per parameter, error O(ε²). */
        CENTRAL,
        /** (8·(L(θ+h) − L(θ−h)) − (L(θ+2h) − L(θ−2h))) / 12h: four losses per parameter, error O(h⁴). */
        FIVE_POINT
    }

    /**
     * How far one gradient tensor lies from a reference.
     *
     * @param normRelative ‖a − b‖ / max(‖a‖, ‖b‖) over the compared entries
     * @param maxRelative the largest |a − b| / max(|a|, |b|) over entries not both exactly zero
     * @param maxAbsolute the largest |a − b|
     * @param compared the number of entries compared
     */
    public record Difference(double normRelative, double maxRelative, double maxAbsolute, long compared) {}

    private GradientCheck() {}

    /**
     * ∂L/∂θ by finite differences, perturbing each entry of {@code parameters} in place and
     * restoring it.
     *
     * @param loss evaluates the loss at the current parameters
     * @param step ε of the central difference, h of the five-point stencil
     * @param samplePerTensor at most this many entries per tensor, chosen at random; 0 = every entry
     * @return the numerical gradient, NaN where an entry was not sampled
     */
    public static double[][] numerical(DoubleSupplier loss, double[][] parameters, Stencil stencil, double step,
                                       int samplePerTensor, Random random) {
        double[][] gradient = new double[parameters.length][];
        for (int p = 0; p < parameters.length; p++) {
            double[] values = parameters[p];
            gradient[p] = new double[values.length];
            java.util.Arrays.fill(gradient[p], Double.NaN);
            for (int i : entries(values.length, samplePerTensor, random)) {
                double kept = values[i];
                gradient[p][i] = switch (stencil) {
                    case CENTRAL -> (at(loss, values, i, kept + step) - at(loss, values, i, kept - step)) / (2 * step);
                    case FIVE_POINT -> (8 * (at(loss, values, i, kept + step) - at(loss, values, i, kept - step))
                            - (at(loss, values, i, kept + 2 * step) - at(loss, values, i, kept - 2 * step))) / (12 * step);
                };
                values[i] = kept;
            }
        }
        return gradient;
    }

    /** The loss with one entry set to {@code value} (the caller restores it). */
    private static double at(DoubleSupplier loss, double[] values, int index, double value) {
        values[index] = value;
        return loss.getAsDouble();
    }

    private static int[] entries(int size, int sample, Random random) {
        if (sample <= 0 || sample >= size) {
            return java.util.stream.IntStream.range(0, size).toArray();
        }
        int[] all = java.util.stream.IntStream.range(0, size).toArray();
        for (int i = 0; i < sample; i++) {
            int j = i + random.nextInt(size - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        return java.util.Arrays.copyOf(all, sample);
    }

    /** How far {@code gradient} lies from {@code reference}, over the entries where the reference is not NaN. */
    public static Difference compare(double[] gradient, double[] reference) {
        double squaredDifference = 0;
        double squaredGradient = 0;
        double squaredReference = 0;
        double maxRelative = 0;
        double maxAbsolute = 0;
        long compared = 0;
        for (int i = 0; i < gradient.length; i++) {
            if (Double.isNaN(reference[i])) {
                continue;
            }
            double difference = Math.abs(gradient[i] - reference[i]);
            double scale = Math.max(Math.abs(gradient[i]), Math.abs(reference[i]));
            squaredDifference += difference * difference;
            squaredGradient += gradient[i] * gradient[i];
            squaredReference += reference[i] * reference[i];
            maxAbsolute = Math.max(maxAbsolute, difference);
            if (scale > 0) {
                maxRelative = Math.max(maxRelative, difference / scale);
            }
            compared++;
        }
        double norm = Math.sqrt(Math.max(squaredGradient, squaredReference));
        return new Difference(norm == 0 ? 0 : Math.sqrt(squaredDifference) / norm, maxRelative, maxAbsolute, compared);
    }
}
