package dlbank.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import dlbank.UserException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rough upper estimate of the memory one training step needs, checked before training starts so
 * that a huge {@code --batch-size} gets one line instead of a machine that swaps or an out-of-memory
 * kill minutes later.
 *
 * <p>Per example: every layer's output of a sequential model (kept for the backward pass), counted
 * three times (the output, its gradient, and one temporary); per model: every parameter four times
 * (weights, gradient, Adam's two moments); all in fp32. A block that is not sequential counts only
 * its input and output, so the estimate is then low rather than high.
 */
public final class MemoryEstimate {

    private static final int FLOAT_BYTES = 4;
    private static final int COPIES_PER_ACTIVATION = 3;
    private static final int COPIES_PER_PARAMETER = 4;

    private MemoryEstimate() {
    }

    /** Bytes needed to train {@code block} on batches of {@code batch} examples of shape {@code example}. */
    public static long trainingBytes(Block block, Shape example, long batch) {
        long perExample = example.size() + activations(block, example);
        long parameters = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            if (parameter.getValue().isInitialized()) {
                parameters += parameter.getValue().getArray().getShape().size();
            }
        }
        return batch * perExample * FLOAT_BYTES * COPIES_PER_ACTIVATION + parameters * FLOAT_BYTES * COPIES_PER_PARAMETER;
    }

    /** Floats of every layer output for one example (leading batch dimension 1). */
    private static long activations(Block block, Shape example) {
        Shape shape = new Shape(1).addAll(example);
        try {
            if (block instanceof SequentialBlock sequential) {
                long sum = 0;
                for (Pair<String, Block> child : sequential.getChildren()) {
                    shape = child.getValue().getOutputShapes(new Shape[] {shape})[0];
                    sum += shape.size();
                }
                return sum;
            }
            return block.getOutputShapes(new Shape[] {shape})[0].size();
        } catch (RuntimeException e) {
            return 0;   // a block whose shapes cannot be inferred: count its input only
        }
    }

    /** Memory this process may still use: the machine's available memory, bounded by nothing else. */
    public static long availableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to what the JVM reports
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getFreeMemorySize();
    }

    /** Refuses (one line, exit 2) a batch size whose estimated training memory exceeds the available memory. */
    public static void check(Block block, Shape example, long batch) {
        check(block, example, batch, availableBytes());
    }

    static void check(Block block, Shape example, long batch, long available) {
        long needed = trainingBytes(block, example, batch);
        if (needed > available) {
            throw UserException.usage("error.batch.memory", batch, gib(needed), gib(available));
        }
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
