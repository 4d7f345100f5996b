package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.Trainer;
import dlbank.experiment.ProgressSink;
import dlbank.i18n.Messages;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies an optimizer step only when every gradient it would apply is finite; otherwise clears the
 * gradients, counts the step as skipped and lets training go on, the way mixed-precision loss scalers
 * skip overflow steps (Micikevicius et al., 2018). A NaN step that reached Adam would poison the
 * weights and its moment estimates for the rest of the run.
 *
 * <p>Why: on some x86 machines (an AMD EPYC with AVX-512, oneDNN 3.7.1 in libtorch 2.7.1) the engine's
 * convolution returns a NaN input gradient the first time each shape runs; see {@link ConvBackwardProbe}.
 * On a healthy engine nothing is ever skipped and the check changes no number: it only reads one sum.
 *
 * <p>Many skipped steps in a row mean the run itself diverged (a learning rate far too high, a NaN in
 * the data): {@link #exhausted()} then tells the loop to stop with its "diverged" message.
 *
 * <p>For tests and for checking the fix on a healthy machine, {@link NanInjection} poisons chosen steps'
 * gradients (the system property {@code dlbank.inject-nan} or the environment variable
 * {@code DLBANK_INJECT_NAN}: {@code first-use}, or {@code steps=3,17}).
 */
public final class StepGuard {

    /** Skipped steps in a row after which a run counts as diverged. */
    public static final int MAX_IN_A_ROW = 20;

    private static final AtomicLong SKIPPED_IN_PROCESS = new AtomicLong();

    private final String network;
    private final ProgressSink progress;
    private final boolean enabled;
    private long steps;
    private long skipped;
    private int inARow;

    private StepGuard(String network, ProgressSink progress, boolean enabled) {
        this.network = network;
        this.progress = progress;
        this.enabled = enabled;
    }

    /**
     * @param network what the trainer trains, for the line that reports a skip ("generator"); "" for the model
     * @param progress where that line goes; null for none
     */
    public static StepGuard of(String network, ProgressSink progress) {
        return new StepGuard(network, progress, true);
    }

    /** A guard that always steps: for labs that show what an unguarded step does (training stability). */
    public static StepGuard off() {
        return new StepGuard("", null, false);
    }

    /** Skipped steps in this process so far; a run's count is the difference across it. */
    public static long skippedInProcess() {
        return SKIPPED_IN_PROCESS.get();
    }

    /**
     * Steps {@code trainer} when all gradients of its trainable parameters are finite; otherwise zeroes
     * them and skips the update. Call it where {@code trainer.step()} would be called.
     *
     * @param inputShape the batch's input shape: the fault injection's "first use" is per shape
     * @return whether the update was applied
     */
    public boolean step(Trainer trainer, Shape inputShape) {
        steps++;
        if (!enabled) {
            trainer.step();
            return true;
        }
        List<NDArray> weights = trainableWeights(trainer);
        List<NDArray> gradients = new ArrayList<>(weights.size());
        weights.forEach(weight -> gradients.add(weight.getGradient()));
        try {
            NanInjection.current().poison(this, trainer, inputShape, steps, gradients);
            if (finite(gradients)) {
                inARow = 0;
                trainer.step();
                return true;
            }
            // The step's own zeroing never ran: set every gradient to zero, NaNs included (a product with 0
            // or a difference with itself would keep them).
            weights.forEach(weight -> JniUtils.zeroGrad((PtNDArray) weight));
        } finally {
            // Each getGradient() is a new handle on the parameter's gradient: close ours, as DJL closes its own.
            gradients.forEach(NDArray::close);
        }
        skipped++;
        inARow++;
        SKIPPED_IN_PROCESS.incrementAndGet();
        if (progress != null) {
            progress.info(Messages.get("progress.step-skipped", network.isEmpty() ? "" : network + " ", steps, skipped));
        }
        return false;
    }

    /** Steps taken or skipped so far. */
    public long steps() {
        return steps;
    }

    public long skipped() {
        return skipped;
    }

    /** Too many skipped steps in a row: the run diverged. */
    public boolean exhausted() {
        return inARow >= MAX_IN_A_ROW;
    }

    public int inARow() {
        return inARow;
    }

    /** Whether every gradient this trainer would apply is finite: the guard's check alone, for the profiler. */
    public static boolean gradientsFinite(Trainer trainer) {
        List<NDArray> gradients = new ArrayList<>();
        trainableWeights(trainer).forEach(weight -> gradients.add(weight.getGradient()));
        try {
            return finite(gradients);
        } finally {
            gradients.forEach(NDArray::close);
        }
    }

    /** The arrays of the parameters this trainer updates: trainable, and holding a gradient. */
    private static List<NDArray> trainableWeights(Trainer trainer) {
        List<NDArray> weights = new ArrayList<>();
        for (Parameter parameter : trainer.getModel().getBlock().getParameters().values()) {
            if (parameter.requiresGradient() && parameter.isInitialized() && parameter.getArray().hasGradient()) {
                weights.add(parameter.getArray());
            }
        }
        return weights;
    }

    /**
     * One sum per gradient, then one sum of those, read once: NaN and infinities propagate through a
     * sum, so the total is finite exactly when every value is (finite values large enough to overflow a
     * float sum, about 1e38, count as an overflow, as a loss scaler counts them).
     */
    static boolean finite(List<NDArray> gradients) {
        if (gradients.isEmpty()) {
            return true;
        }
        NDList sums = new NDList(gradients.size());
        for (NDArray gradient : gradients) {
            sums.add(gradient.sum());
        }
        try (NDArray total = NDArrays.stack(sums).sum()) {
            return Float.isFinite(total.getFloat());
        } finally {
            sums.close();
        }
    }

    /**
     * Poisons chosen steps' gradients with NaN, as the engine bug does: "first-use" poisons the first
     * step of each (network, input shape) in the process; "steps=3,17" the 3rd and 17th step of every
     * guard. Read once from {@code dlbank.inject-nan} or {@code DLBANK_INJECT_NAN}; tests set it directly.
     */
    public static final class NanInjection {
        private static volatile NanInjection current = parse(System.getProperty("dlbank.inject-nan",
                System.getenv().getOrDefault("DLBANK_INJECT_NAN", "")));

        private final String spec;
        private final boolean firstUse;
        private final Set<Long> steps;
        private final Set<String> seen = new HashSet<>();

        private NanInjection(String spec, boolean firstUse, Set<Long> steps) {
            this.spec = spec;
            this.firstUse = firstUse;
            this.steps = steps;
        }

        public static NanInjection none() {
            return new NanInjection("", false, Set.of());
        }

        /** As given: "", "first-use" or "steps=N,M" (for a child process's environment). */
        public String spec() {
            return spec;
        }

        /** "", "first-use" or "steps=N,M,..."; anything else is an error. */
        public static NanInjection parse(String spec) {
            String value = spec.trim();
            if (value.isEmpty() || value.equals("none")) {
                return none();
            }
            if (value.equals("first-use")) {
                return new NanInjection(value, true, Set.of());
            }
            if (value.startsWith("steps=")) {
                Set<Long> steps = new HashSet<>();
                for (String step : value.substring("steps=".length()).split(",")) {
                    steps.add(Long.parseLong(step.trim()));
                }
                return new NanInjection(value, false, steps);
            }
            throw new IllegalArgumentException("dlbank.inject-nan / DLBANK_INJECT_NAN: '" + spec
                    + "' is not 'first-use' or 'steps=N,M'");
        }

        public static NanInjection current() {
            return current;
        }

        /** Installs {@code injection} until the returned handle is closed (tests). */
        public static AutoCloseable install(NanInjection injection) {
            NanInjection before = current;
            current = injection;
            return () -> current = before;
        }

        public boolean active() {
            return firstUse || !steps.isEmpty();
        }

        /** True the first time this key is seen, when injecting at first use: the probe's faulty case. */
        public synchronized boolean firstUseOf(String key) {
            return firstUse && seen.add(key);
        }

        void poison(StepGuard guard, Trainer trainer, Shape inputShape, long step, List<NDArray> gradients) {
            if (!active() || gradients.isEmpty()) {
                return;
            }
            boolean hit = steps.contains(step) || firstUseOf(System.identityHashCode(trainer.getModel().getBlock())
                    + " " + guard.network + " " + inputShape);
            if (hit) {
                gradients.get(0).addi(Float.NaN);
            }
        }
    }
}
