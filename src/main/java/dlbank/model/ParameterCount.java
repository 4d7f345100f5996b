package dlbank.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** The number of trainable values in an initialised block. */
public final class ParameterCount {

    private ParameterCount() {}

    public static long of(Block block) {
        long count = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            count += parameter.getValue().getArray().size();
        }
        return count;
    }
}
