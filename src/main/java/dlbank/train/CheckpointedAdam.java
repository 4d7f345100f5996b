package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Adam (Kingma &amp; Ba, 2015) whose moment estimates and step counts can be saved and restored, so a
 * resumed run continues exactly where it stopped. DJL's own Adam keeps them private, and a run that
 * restarts them from zero takes different steps than the run it continues.
 *
 * <p>The update itself is the engine's fused Adam kernel, the same one DJL's Adam calls:
 * {@code m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; w -= lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε)}.
 */
public final class CheckpointedAdam extends Optimizer {

    private static final float DEFAULT_BETA1 = 0.9f; // Kingma & Ba's defaults, also Keras' and PyTorch's
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float beta1;
    private LearningRateSchedule schedule = step -> 1f;

    /** A factor on the learning rate by update number (1, 2, ...): warm-up, decay. */
    @FunctionalInterface
    public interface LearningRateSchedule {
        float factor(int step);

        /** From 1 down to 0 along half a cosine over {@code totalSteps} (Loshchilov &amp; Hutter, 2017, SGDR). */
        static LearningRateSchedule cosine(int totalSteps) {
            return step -> (float) (0.5 * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / totalSteps)));
        }
    }
    private final Map<String, NDArray> means = new TreeMap<>();
    private final Map<String, NDArray> variances = new TreeMap<>();
    private final Map<String, Integer> steps = new TreeMap<>();

    public CheckpointedAdam(float learningRate) {
        this(learningRate, -1);
    }

    /**
     * @param clipGradient each gradient value is clipped to [-clipGradient, clipGradient] before the
     *                     update (against the exploding gradients of recurrent nets); -1 = no clipping
     */
    public CheckpointedAdam(float learningRate, float clipGradient) {
        this(learningRate, clipGradient, DEFAULT_BETA1);
    }

    /** @param beta1 decay of the first moment; GANs train better with 0.5 (Radford et al., 2016) */
    public CheckpointedAdam(float learningRate, float clipGradient, float beta1) {
        super(new OptimizerBuilder<>() {
            @Override
            protected OptimizerBuilder self() {
                return this;
            }
        }.optClipGrad(clipGradient));
        this.learningRate = learningRate;
        this.beta1 = beta1;
    }

    public float learningRate() {
        return learningRate;
    }

    /**
     * Scales the learning rate by update number from now on. The step counts are saved with the
     * moments, so a resumed run continues on the same schedule.
     */
    public CheckpointedAdam withSchedule(LearningRateSchedule learningRateSchedule) {
        this.schedule = learningRateSchedule;
        return this;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int step = steps.merge(parameterId, 1, Integer::sum);
        double correction1 = 1.0 - Math.pow(beta1, step);
        double correction2 = 1.0 - Math.pow(BETA2, step);
        float rate = learningRate * schedule.factor(step);
        float correctedRate = (float) (rate * Math.sqrt(correction2) / correction1);
        NDArray mean = means.computeIfAbsent(parameterId, id -> detachedZeros(weight));
        NDArray variance = variances.computeIfAbsent(parameterId, id -> detachedZeros(weight));
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, grad, mean, variance), new NDList(weight),
                rate, correctedRate, getWeightDecay(), rescaleGrad, clipGrad,
                beta1, BETA2, EPSILON, true, false);
    }

    /** Bytes the optimizer holds for its moments (m and v of every parameter it has updated). */
    public long stateBytes() {
        long bytes = 0;
        for (Map<String, NDArray> moments : java.util.List.of(means, variances)) {
            for (NDArray array : moments.values()) {
                bytes += array.size() * array.getDataType().getNumOfBytes();
            }
        }
        return bytes;
    }

    private static NDArray detachedZeros(NDArray weight) {
        NDArray zeros = weight.zerosLike();
        zeros.detach(); // lives as long as the optimizer, not as the batch that created it
        return zeros;
    }

    /**
     * Writes every parameter's step count and moments. DJL gives each parameter a random id per
     * run, so the state is written under a stable name ({@code nameOf}: id to the parameter's path
     * in the block) and read back under the new run's ids.
     */
    public void save(DataOutputStream out, Function<String, String> nameOf) throws IOException {
        out.writeInt(steps.size());
        for (Map.Entry<String, Integer> entry : steps.entrySet()) {
            out.writeUTF(nameOf.apply(entry.getKey()));
            out.writeInt(entry.getValue());
            writeArray(out, means.get(entry.getKey()));
            writeArray(out, variances.get(entry.getKey()));
        }
    }

    /** Restores what {@link #save} wrote ({@code idOf}: name to this run's id) onto the manager's device. */
    public void load(DataInputStream in, NDManager manager, Function<String, String> idOf) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String id = idOf.apply(in.readUTF());
            steps.put(id, in.readInt());
            means.put(id, readArray(in, manager));
            variances.put(id, readArray(in, manager));
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray array = NDArray.decode(manager, bytes);
        array.detach();
        return array;
    }
}
