package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Knowledge distillation's loss (Hinton, Vinyals &amp; Dean, 2015, Distilling the Knowledge in a
 * Neural Network): {@code α·T²·KL(softmax(t/T) ‖ softmax(s/T)) + (1−α)·CE(y, s)} for student logits
 * s, teacher logits t and true class y. The teacher's soft targets at temperature T carry how alike
 * it finds the classes ("this 7 looks a little like a 1"); T² keeps their gradients on the scale of
 * the hard loss's as T changes.
 *
 * <p>Labels come as one array (B, 1 + classes): the true class, then the teacher's logits, so that
 * the fit loop shuffles and slices them together with the images.
 */
public final class DistillationLoss extends Loss {

    private final float temperature;
    private final float softWeight;

    /**
     * @param temperature T, above 1 to soften the teacher's distribution
     * @param softWeight α, the share of the soft-target term
     */
    public DistillationLoss(float temperature, float softWeight) {
        super("DistillationLoss");
        this.temperature = temperature;
        this.softWeight = softWeight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray targets = labels.singletonOrThrow();              // (B, 1 + C)
        NDArray student = predictions.singletonOrThrow();         // (B, C)
        NDArray classes = targets.get(":, 0");
        NDArray teacher = targets.get(":, 1:");
        NDArray teacherLog = teacher.div(temperature).logSoftmax(1);
        NDArray studentLog = student.div(temperature).logSoftmax(1);
        NDArray kl = teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(new int[] {1}).mean();
        NDArray hard = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(classes), new NDList(student));
        return kl.mul(softWeight * temperature * temperature).add(hard.mul(1 - softWeight));
    }

    /** Correct predictions of a batch whose labels carry the true class in column 0. */
    public static FitLoop.Scorer scorer() {
        return (output, labels) -> output.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .eq(labels.get(":, 0")).sum();
    }
}
