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
}
