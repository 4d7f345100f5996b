package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * The gradients that backward passes left in a block's trainable parameters, read and written as one
 * flat vector in parameter order: what gradient accumulation, data-parallel averaging and the
 * stability checks look at. DJL adds every backward pass's gradients to the ones already there, and
 * {@code Trainer.step()} zeroes them after the update; {@link #zero} does it without an update.
 */
public final class Gradients {

    private Gradients() {}

    /** Every trainable parameter's gradient, concatenated in parameter order. */
    public static float[] flat(Block block) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (NDArray weights : trainable(block)) {
            // Each getGradient() is a new handle on the gradient: close it, as DJL closes its own.
            try (NDArray gradient = weights.getGradient()) {
                float[] values = gradient.toFloatArray();
                parts.add(values);
                total += values.length;
            }
        }
        return dlbank.model.Weights.concat(parts, total);
    }

    /** Overwrites the gradients with {@code values} (the layout of {@link #flat}). */
    public static void set(Block block, float[] values) {
        int at = 0;
        for (NDArray weights : trainable(block)) {
            int size = (int) weights.size();
            JniUtils.zeroGrad((PtNDArray) weights);   // zero first: NaN·0 and NaN - NaN stay NaN
            try (NDArray gradient = weights.getGradient();
                 NDArray update = gradient.getManager().create(java.util.Arrays.copyOfRange(values, at, at + size),
                         gradient.getShape())) {
                gradient.addi(update);
            }
            at += size;
        }
        if (at != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + at + " gradient entries");
        }
    }

    /** Sets every gradient to 0 (NaN included), as a step would after its update. */
    public static void zero(Block block) {
        for (NDArray weights : trainable(block)) {
            JniUtils.zeroGrad((PtNDArray) weights);
        }
    }

    /** The Euclidean norm of all gradients together (the global norm that clipping by norm uses). */
    public static double globalNorm(float[] flat) {
        double sum = 0;
        for (float value : flat) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by maxNorm / ‖g‖ when their global norm ‖g‖ exceeds maxNorm (clipping by
     * norm, as DDPM's training did at 1.0: Ho et al., 2020), in place and on the engine. A norm that is
     * not finite is left for the step guard to skip.
     *
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(Block block, double maxNorm) {
        List<NDArray> weights = trainable(block);
        double sum = 0;
        for (NDArray weight : weights) {
            try (NDArray gradient = weight.getGradient(); NDArray squared = gradient.square(); NDArray total = squared.sum()) {
                sum += total.getFloat();
            }
        }
        double norm = Math.sqrt(sum);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float factor = (float) (maxNorm / norm);
            for (NDArray weight : weights) {
                try (NDArray gradient = weight.getGradient()) {
                    gradient.muli(factor);
                }
            }
        }
        return norm;
    }

    /** ‖a - b‖ / ‖b‖ in the Euclidean norm: how far a is from b, relative to b's size. */
    public static double relativeDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        double difference = 0;
        double size = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            difference += d * d;
            size += (double) b[i] * b[i];
        }
        return size == 0 ? Math.sqrt(difference) : Math.sqrt(difference / size);
    }

    /** The largest |a - b| over all entries, divided by the largest |b| (0 when b is all zeros and a equals it). */
    public static double relativeMaxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        double difference = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            difference = Math.max(difference, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs((double) b[i]));
        }
        return scale == 0 ? difference : difference / scale;
    }

    /** The arrays of the trainable parameters: their gradients are what backward passes fill. */
    private static List<NDArray> trainable(Block block) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getValue().requiresGradient()) {
                arrays.add(pair.getValue().getArray());
            }
        }
        return arrays;
    }
}
