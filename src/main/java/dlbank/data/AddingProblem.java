package dlbank.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber, 1997; in the form of Le, Jaitly &amp; Hinton, 2015):
 * a sequence of T steps, each a random value in [0, 1) and a marker; exactly two steps are marked, one
 * in each half, and the target is the sum of the two marked values. To answer, a network must carry
 * the first marked value across at least T/2 steps. Always answering 1 (the mean) gives a mean
 * squared error of 1/6.
 *
 * @param inputs (N, T, 2) row-major: value, marker
 * @param targets (N) the sums
 */
public record AddingProblem(float[] inputs, float[] targets, int length) {

    /** The error of always answering the expected sum, 1: the variance of a sum of two U(0, 1). */
    public static final double BASELINE_MSE = 1.0 / 6.0;

    public int size() {
        return targets.length;
    }

    public static AddingProblem generate(int count, int length, long seed) {
        if (length < 2) {
            throw new IllegalArgumentException("the adding problem needs at least 2 steps, got " + length);
        }
        Random random = new Random(seed);
        float[] inputs = new float[count * length * 2];
        float[] targets = new float[count];
        int half = length / 2;
        for (int n = 0; n < count; n++) {
            int first = random.nextInt(half);
            int second = half + random.nextInt(length - half);
            float sum = 0;
            for (int t = 0; t < length; t++) {
                float value = random.nextFloat();
                int at = (n * length + t) * 2;
                inputs[at] = value;
                if (t == first || t == second) {
                    inputs[at + 1] = 1;
                    sum += value;
                }
            }
            targets[n] = sum;
        }
        return new AddingProblem(inputs, targets, length);
    }

    public NDArray inputs(NDManager manager) {
        return manager.create(inputs, new Shape(size(), length, 2));
    }

    public NDArray targets(NDManager manager) {
        return manager.create(targets, new Shape(size(), 1));
    }
}
