package dlbank.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * ROC (receiver operating characteristic) and precision-recall curves of a binary scorer, and the
 * areas under them.
 *
 * <p>A higher score means "more positive". Predicting positive for every score at or above a
 * threshold, each distinct score is one threshold, from the highest down: tied scores enter
 * together, so a tie between a positive and a negative is one diagonal step of the ROC curve, and
 * the trapezoid area counts it as 1/2, exactly as the Mann-Whitney probability P(score of a random
 * positive > score of a random negative) counts ties.
 *
 * <p>Average precision (AP) is the step-wise sum over thresholds of (R_k - R_{k-1}) · P_k, the
 * definition scikit-learn uses, not a trapezoid: the trapezoid rule over PR points is optimistic
 * because precision does not vary linearly between them.
 */
public final class BinaryCurves {

    /** Points of a curve, in order of decreasing threshold; the arrays belong to the caller. */
    public record Curve(double[] x, double[] y) {}

    private BinaryCurves() {}

    /**
     * (false positive rate, true positive rate) at each distinct threshold, with (0, 0) first; the
     * last point, predicting every example positive, is (1, 1).
     */
    public static Curve roc(double[] scores, boolean[] labels) {
        Counts counts = countAtThresholds(scores, labels);
        int points = counts.truePositives.length;
        double[] falsePositiveRate = new double[points + 1];
        double[] truePositiveRate = new double[points + 1];
        for (int k = 0; k < points; k++) {
            falsePositiveRate[k + 1] = (double) counts.falsePositives[k] / counts.negatives;
            truePositiveRate[k + 1] = (double) counts.truePositives[k] / counts.positives;
        }
        return new Curve(falsePositiveRate, truePositiveRate);
    }

    public static Curve roc(float[] scores, boolean[] labels) {
        return roc(toDouble(scores), labels);
    }

    /** Area under the ROC curve by the trapezoid rule: 1 for a perfect ranking, 1/2 for chance, 0 for inverted. */
    public static double rocAuc(double[] scores, boolean[] labels) {
        Curve curve = roc(scores, labels);
        double area = 0;
        for (int k = 1; k < curve.x.length; k++) {
            area += (curve.x[k] - curve.x[k - 1]) * (curve.y[k] + curve.y[k - 1]) / 2;
        }
        return area;
    }

    public static double rocAuc(float[] scores, boolean[] labels) {
        return rocAuc(toDouble(scores), labels);
    }

    /**
     * The area under the ROC curve computed another way, from ranks (Mann &amp; Whitney, 1947): with
     * tied scores given their average rank, AUC = (R₊ − n₊(n₊+1)/2) / (n₊·n₋), where R₊ is the sum of
     * the positives' ranks. It equals {@link #rocAuc}; the two serve as checks of each other.
     */
    public static double rankAuc(double[] scores, boolean[] labels) {
        Counts counts = countAtThresholds(scores, labels); // validates the input
        int[] order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i])).mapToInt(Integer::intValue).toArray();
        double positiveRanks = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1; // ranks start at 1
            for (int k = start; k <= end; k++) {
                positiveRanks += labels[order[k]] ? averageRank : 0;
            }
            start = end + 1;
        }
        double positives = counts.positives;
        return (positiveRanks - positives * (positives + 1) / 2) / (positives * counts.negatives);
    }

    public static double rankAuc(float[] scores, boolean[] labels) {
        return rankAuc(toDouble(scores), labels);
    }

    /**
     * (recall, precision) at each distinct threshold, highest first. Unlike scikit-learn's
     * precision_recall_curve, no extra (0, 1) point is added: every point here is a real threshold.
     */
    public static Curve precisionRecall(double[] scores, boolean[] labels) {
        Counts counts = countAtThresholds(scores, labels);
        int points = counts.truePositives.length;
        double[] recall = new double[points];
        double[] precision = new double[points];
        for (int k = 0; k < points; k++) {
            long predictedPositive = counts.truePositives[k] + counts.falsePositives[k]; // at least 1: a group is never empty
            recall[k] = (double) counts.truePositives[k] / counts.positives;
            precision[k] = (double) counts.truePositives[k] / predictedPositive;
        }
        return new Curve(recall, precision);
    }

    public static Curve precisionRecall(float[] scores, boolean[] labels) {
        return precisionRecall(toDouble(scores), labels);
    }

    /**
     * Average precision, sum over thresholds of (R_k - R_{k-1}) · P_k with R_0 = 0: the area under the
     * step-wise PR curve, reported as the PR AUC. A scorer that ranks at random scores about the
     * share of positives, not 1/2.
     */
    public static double averagePrecision(double[] scores, boolean[] labels) {
        Curve curve = precisionRecall(scores, labels);
        double sum = 0;
        double previousRecall = 0;
        for (int k = 0; k < curve.x.length; k++) {
            sum += (curve.x[k] - previousRecall) * curve.y[k];
            previousRecall = curve.x[k];
        }
        return sum;
    }

    public static double averagePrecision(float[] scores, boolean[] labels) {
        return averagePrecision(toDouble(scores), labels);
    }

    /** Cumulative true and false positives at each distinct threshold, highest first. */
    private record Counts(long[] truePositives, long[] falsePositives, long positives, long negatives) {}

    private static Counts countAtThresholds(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        long positives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            positives += labels[i] ? 1 : 0;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("both classes must be present: " + positives + " positive and "
                    + negatives + " negative examples");
        }
        int[] order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
        long[] truePositives = new long[scores.length];
        long[] falsePositives = new long[scores.length];
        int points = 0;
        long truePositive = 0;
        long falsePositive = 0;
        for (int rank = 0; rank < order.length; rank++) {
            int i = order[rank];
            if (labels[i]) {
                truePositive++;
            } else {
                falsePositive++;
            }
            // A point only where the next score differs: tied scores share one threshold.
            boolean lastOfTie = rank + 1 == order.length || scores[order[rank + 1]] != scores[i];
            if (lastOfTie) {
                truePositives[points] = truePositive;
                falsePositives[points] = falsePositive;
                points++;
            }
        }
        return new Counts(Arrays.copyOf(truePositives, points), Arrays.copyOf(falsePositives, points),
                positives, negatives);
    }

    private static double[] toDouble(float[] values) {
        double[] copy = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i];
        }
        return copy;
    }
}
