package dlbank.train;

import dlbank.UserException;

/** The loss became NaN or infinite: training stops, and the last good checkpoint stays. */
public final class TrainingDivergedException extends UserException {

    public TrainingDivergedException(int epoch, long firstBatch, long lastBatch, double loss, String lastGood) {
        super(DIVERGED, String.format(
                "training diverged: the loss became %s in epoch %d (batches %d-%d); %s (try a lower learning rate)",
                Double.isNaN(loss) ? "NaN" : "infinite", epoch, firstBatch, lastBatch, lastGood));
    }
}
