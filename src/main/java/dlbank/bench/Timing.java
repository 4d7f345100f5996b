package dlbank.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.Arrays;

/** Wall time of engine calls, measured so that it means something: warm-up first, every result forced, the median. */
public final class Timing {

    private Timing() {}

    /**
     * The median wall time of {@code repeats} calls, after as many warm-up calls. Each call makes its
     * arrays in a fresh sub-manager of {@code manager} (freed after it) and its result is read, which
     * waits for the work to finish.
     */
    public static double medianSeconds(NDManager manager, int repeats, java.util.function.Function<NDManager, NDArray> call) {
        double[] seconds = new double[repeats];
        for (int i = 0; i < 2 * repeats; i++) {
            try (NDManager scope = manager.newSubManager()) {
                long begin = System.nanoTime();
                call.apply(scope).get(new NDIndex("0")).sum().getFloat();
                long end = System.nanoTime();
                if (i >= repeats) {
                    seconds[i - repeats] = (end - begin) / 1e9;
                }
            }
        }
        Arrays.sort(seconds);
        return seconds[repeats / 2];
    }
}
