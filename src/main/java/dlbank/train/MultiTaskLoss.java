package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * The loss of a network with two heads side by side in one output (B, classes + 1): softmax
 * cross-entropy of the first {@code classes} logits against a class label, plus {@code weight} times
 * the sigmoid binary cross-entropy of the last logit against a 0/1 label. Labels come as one array
 * (B, 2): the class, then the binary label.
 */
public final class MultiTaskLoss extends Loss {

    private static final Loss CLASSES = Loss.softmaxCrossEntropyLoss();
    private static final Loss BINARY = Loss.sigmoidBinaryCrossEntropyLoss();

    private final int classes;
    private final float weight;

    public MultiTaskLoss(int classes, float weight) {
        super("MultiTaskLoss");
        this.classes = classes;
        this.weight = weight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray targets = labels.singletonOrThrow();
        NDArray output = predictions.singletonOrThrow();
        NDArray first = CLASSES.evaluate(new NDList(targets.get(":, 0")), new NDList(output.get(":, 0:" + classes)));
        NDArray second = BINARY.evaluate(new NDList(targets.get(":, 1:2")), new NDList(output.get(":, " + classes + ":")));
        return first.add(second.mul(weight));
    }

    /** Correct class predictions of the first head (the live accuracy of the fit loop). */
    public FitLoop.Scorer firstHeadScorer() {
        return (output, labels) -> output.get(":, 0:" + classes).argMax(1).toType(DataType.FLOAT32, false)
                .eq(labels.get(":, 0")).sum();
    }
}
