package dlbank.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/** Copies trained values between two initialised blocks of the same architecture. */
public final class Weights {

    private Weights() {}

    /** Sets every parameter of {@code to} to the values of the same parameter of {@code from}. */
    public static void copy(Block from, Block to) {
        PairList<String, Parameter> source = from.getParameters();
        PairList<String, Parameter> target = to.getParameters();
        if (source.size() != target.size()) {
            throw new IllegalArgumentException("the blocks differ: " + source.size() + " vs " + target.size() + " parameters");
        }
        for (int i = 0; i < source.size(); i++) {
            if (!source.valueAt(i).getArray().getShape().equals(target.valueAt(i).getArray().getShape())) {
                throw new IllegalArgumentException("parameter " + source.keyAt(i) + " differs in shape");
            }
            target.valueAt(i).getArray().set(source.valueAt(i).getArray().toFloatArray());
        }
    }

    /** Every parameter's values (weights, biases, running statistics), concatenated in parameter order. */
    public static float[] flat(Block block) {
        java.util.List<float[]> parts = new java.util.ArrayList<>();
        int total = 0;
        for (int i = 0; i < block.getParameters().size(); i++) {
            float[] values = block.getParameters().valueAt(i).getArray().toFloatArray();
            parts.add(values);
            total += values.length;
        }
        return concat(parts, total);
    }

    /** The parts one after another in one array of {@code total} values. */
    public static float[] concat(java.util.List<float[]> parts, int total) {
        float[] flat = new float[total];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, flat, at, part.length);
            at += part.length;
        }
        return flat;
    }

    /** Sets every parameter from {@code values}, laid out as {@link #flat} returns them. */
    public static void set(Block block, float[] values) {
        int at = 0;
        for (int i = 0; i < block.getParameters().size(); i++) {
            ai.djl.ndarray.NDArray array = block.getParameters().valueAt(i).getArray();
            int size = (int) array.size();
            array.set(java.util.Arrays.copyOfRange(values, at, at + size));
            at += size;
        }
        if (at != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + at + " parameter entries");
        }
    }
}
