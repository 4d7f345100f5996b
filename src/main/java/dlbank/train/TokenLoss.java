package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Cross-entropy of token predictions, averaged over the positions that have a target: logits
 * (batch, length, vocabulary) against target ids (batch, length), where a target of -1 means "no
 * prediction here" (the unmasked positions of masked language modelling). For a causal language
 * model every position has a target, the next token, and the mean is the log of the perplexity.
 */
public final class TokenLoss extends Loss {

    public TokenLoss() {
        super("TokenLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray targets = labels.singletonOrThrow();                                      // (B, T)
        NDArray counted = targets.gte(0).toType(DataType.FLOAT32, false);
        return tokenLogProbabilities(predictions.singletonOrThrow(), targets).sum().neg().div(counted.sum().maximum(1));
    }

    /**
     * log p(target) at every position, (B, T), 0 where the target is -1: logits (B, T, V) against
     * target ids (B, T). Summed over a row, it is the log-probability of that row's targets.
     */
    public static NDArray tokenLogProbabilities(NDArray logits, NDArray targets) {
        NDArray counted = targets.gte(0).toType(DataType.FLOAT32, false);
        NDArray index = targets.maximum(0).toType(DataType.INT64, false).expandDims(-1);  // (B, T, 1)
        return logits.logSoftmax(-1).gather(index, -1).squeeze(-1).mul(counted);         // (B, T)
    }

    /**
     * Correct argmax predictions, scaled so that the fit loop's division by the number of sequences
     * gives the share of correct predictions among the positions that have a target.
     */
    public static FitLoop.Scorer scorer() {
        return (output, labels) -> {
            NDArray counted = labels.gte(0).toType(DataType.FLOAT32, false);
            NDArray correct = output.argMax(-1).toType(DataType.FLOAT32, false)
                    .eq(labels.toType(DataType.FLOAT32, false)).toType(DataType.FLOAT32, false).mul(counted).sum();
            return correct.mul(labels.getShape().get(0)).div(counted.sum().maximum(1));
        };
    }
}
