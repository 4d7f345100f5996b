package dlbank.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

import java.util.List;

/**
 * Counts the multiply-adds of one forward pass of an initialised sequential block for one example:
 * a convolution costs output positions x output channels x kernel area x input channels, a dense
 * layer inputs x outputs per position; activations and pooling are not counted. A training step
 * costs about three forward passes (the backward pass computes gradients for the inputs and for the
 * weights), and one multiply-add is two floating-point operations.
 */
public final class MultiplyAdds {

    private MultiplyAdds() {}

    /** @param singleInput the shape of a batch of one, e.g. (1, 1, 28, 28) */
    public static long forward(SequentialBlock block, Shape singleInput) {
        long total = 0;
        for (long count : perChild(block, singleInput)) {
            total += count;
        }
        return total;
    }

    /** The multiply-adds of each child, in order (0 for activations, pooling, reshapes). */
    public static long[] perChild(SequentialBlock block, Shape singleInput) {
        List<Block> children = block.getChildren().values();
        long[] counts = new long[children.size()];
        Shape shape = singleInput;
        for (int i = 0; i < counts.length; i++) {
            Block child = children.get(i);
            Shape output = child.getOutputShapes(new Shape[] {shape})[0];
            if (child instanceof Convolution || child instanceof Linear) {
                Shape weight = child.getParameters().get("weight").getArray().getShape(); // (out, in, kernel...)
                // Every output value is one dot product of length in x kernel area.
                counts[i] = output.size() * (weight.size() / weight.get(0));
            }
            shape = output;
        }
        return counts;
    }

    /**
     * One LSTM layer over a sequence: at every step four gates, each a dense map of the input and
     * of the previous state, {@code 4 * hidden * (input + hidden)} multiply-adds per step.
     */
    public static long lstm(int steps, int input, int hidden) {
        return (long) steps * 4 * hidden * (input + hidden);
    }

    /** Floating-point operations of one training step per example: forward + backward ~ 3 x forward. */
    public static double trainingFlopsPerExample(long forwardMultiplyAdds) {
        return 2.0 * 3.0 * forwardMultiplyAdds;
    }
}
