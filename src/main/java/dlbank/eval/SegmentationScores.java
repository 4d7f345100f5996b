package dlbank.eval;

/**
 * IoU and Dice of a segmentation per class, from pixel counts summed over a whole test set: for the
 * pixels P predicted as a class and the pixels T that truly are, IoU = |P ∩ T| / |P ∪ T| (the Jaccard
 * index) and Dice = 2·|P ∩ T| / (|P| + |T|) (the pixels' F1 score), so Dice = 2·IoU / (1 + IoU).
 * Class 0 is the background; the foreground is every other class taken together.
 */
public final class SegmentationScores {

    private final long[] intersection;
    private final long[] predicted;
    private final long[] truth;
    private long foregroundBoth;
    private long foregroundEither;

    public SegmentationScores(int classes) {
        intersection = new long[classes];
        predicted = new long[classes];
        truth = new long[classes];
    }

    /** One image: its true class per pixel and the predicted one (whole numbers stored as floats). */
    public void add(byte[] expected, float[] guessed) {
        for (int p = 0; p < expected.length; p++) {
            int guess = (int) guessed[p];
            predicted[guess]++;
            truth[expected[p]]++;
            intersection[guess] += guess == expected[p] ? 1 : 0;
            foregroundBoth += guess > 0 && expected[p] > 0 ? 1 : 0;
            foregroundEither += guess > 0 || expected[p] > 0 ? 1 : 0;
        }
    }

    public double iou(int c) {
        return intersection[c] / (double) (predicted[c] + truth[c] - intersection[c]);
    }

    public double dice(int c) {
        return 2.0 * intersection[c] / (predicted[c] + truth[c]);
    }

    /** The mean IoU over classes 1 and up (the background left out). */
    public double meanIou() {
        double sum = 0;
        for (int c = 1; c < intersection.length; c++) {
            sum += iou(c);
        }
        return sum / (intersection.length - 1);
    }

    /** The mean Dice over classes 1 and up. */
    public double meanDice() {
        double sum = 0;
        for (int c = 1; c < intersection.length; c++) {
            sum += dice(c);
        }
        return sum / (intersection.length - 1);
    }

    /** IoU of "any foreground class" against the background, whatever the class. */
    public double foregroundIou() {
        return foregroundBoth / (double) foregroundEither;
    }

    /** The largest |Dice − 2·IoU/(1 + IoU)| over the foreground classes: zero up to rounding. */
    public double diceIdentityError() {
        double worst = 0;
        for (int c = 1; c < intersection.length; c++) {
            worst = Math.max(worst, Math.abs(dice(c) - 2 * iou(c) / (1 + iou(c))));
        }
        return worst;
    }

    public int classes() {
        return intersection.length;
    }
}
