package dlbank.train;

import dlbank.UserException;
import dlbank.i18n.Messages;

/** The loss became NaN or infinite: training stops, and the last good checkpoint stays. */
public final class TrainingDivergedException extends UserException {

    /** @param lastGood where the last good state is, e.g. {@code Messages.text("error.diverged.checkpoint", 2, dir)} */
    public TrainingDivergedException(int epoch, long firstBatch, long lastBatch, double loss, Messages.Text lastGood) {
        super(DIVERGED, "error.diverged", Messages.text(Double.isNaN(loss) ? "error.diverged.nan" : "error.diverged.infinite"),
                epoch, firstBatch, lastBatch, lastGood);
    }

    /** {@code inARow} updates in a row were skipped for NaN or infinite gradients ({@link StepGuard}). */
    public TrainingDivergedException(int inARow, int epoch, long batch, Messages.Text lastGood) {
        super(DIVERGED, "error.diverged.skipped", inARow, epoch, batch, lastGood);
    }
}
