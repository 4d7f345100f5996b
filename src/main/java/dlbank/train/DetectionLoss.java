package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * The loss of a one-stage detector that predicts per grid cell (dlbank.model.DigitDetector): binary
 * cross-entropy of the objectness logit over every cell, and for the cells trained on an object the
 * L1 distance of the four predicted box distances and the cross-entropy of the class logits. Each
 * term is summed and divided by the number of such cells, as FCOS normalises, so that the many empty
 * cells do not drown the few that hold an object.
 *
 * <p>Labels: (B, grid, grid, 6) = objectness, 4 distances, class. Predictions: (B, 15, grid, grid).
 */
public final class DetectionLoss extends Loss {

    public DetectionLoss() {
        super("DetectionLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray targets = labels.singletonOrThrow();                              // (B, G, G, 6)
        NDArray output = predictions.singletonOrThrow().transpose(0, 2, 3, 1);    // (B, G, G, 15)
        NDArray object = targets.get("..., 0");                                   // (B, G, G)
        NDArray count = object.sum().maximum(1f);
        NDArray logit = output.get("..., 0");
        // log(1 + e^x) − x·z, written so that it never overflows: max(x, 0) − x·z + log(1 + e^−|x|).
        NDArray objectness = logit.maximum(0f).sub(logit.mul(object)).add(logit.abs().neg().exp().add(1f).log()).sum();
        NDArray box = output.get("..., 1:5").sub(targets.get("..., 1:5")).abs().sum(new int[] {3}).mul(object).sum();
        NDArray classes = targets.get("..., 5").toType(DataType.INT32, false).oneHot(10);    // (B, G, G, 10)
        NDArray crossEntropy = output.get("..., 5:").logSoftmax(3).mul(classes).sum(new int[] {3}).neg().mul(object).sum();
        return objectness.add(box).add(crossEntropy).div(count);
    }
}
