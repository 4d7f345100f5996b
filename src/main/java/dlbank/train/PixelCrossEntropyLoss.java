package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy of every pixel, averaged over pixels and images: the loss of semantic
 * segmentation, where each pixel is one classification. Labels (B, H, W) hold each pixel's class;
 * predictions (B, classes, H, W) are logits.
 */
public final class PixelCrossEntropyLoss extends Loss {

    public PixelCrossEntropyLoss() {
        super("PixelCrossEntropyLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray classes = labels.singletonOrThrow().toType(DataType.INT64, false).expandDims(1); // (B, 1, H, W)
        NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(1);               // (B, C, H, W)
        return logProbabilities.gather(classes, 1).mean().neg();
    }
}
