package dlbank.eval;

/**
 * Counts of (true class, predicted class) pairs, and the per-class metrics DJL lacks.
 *
 * <p>For class c: precision = TP / (TP + FP), the share of predictions of c that are right; recall
 * = TP / (TP + FN), the share of true c that are found; F1 = 2·P·R / (P + R), the harmonic mean of
 * the two. A ratio with a zero denominator (no predictions of c, or no examples of c) counts as 0,
 * as scikit-learn does by default.
 *
 * <p>Averages over classes: macro = the plain mean of the per-class values (every class counts the
 * same); micro = the metric of the summed TP, FP and FN (every example counts the same). In
 * single-label classification each error is one FP and one FN, so micro precision, recall and F1
 * all equal the accuracy.
 */
public final class ConfusionMatrix {

    private final int[][] counts;

    private ConfusionMatrix(int[][] counts) {
        this.counts = counts;
    }

    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " labels but " + predicted.length + " predictions");
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    public int classes() {
        return counts.length;
    }

    /** A copy of the counts: row = true class, column = predicted class. */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    public long total() {
        long total = 0;
        for (int[] row : counts) {
            for (int count : row) {
                total += count;
            }
        }
        return total;
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return ratio(correct, total());
    }

    public long truePositives(int c) {
        return counts[c][c];
    }

    /** Examples predicted as c that are not c. */
    public long falsePositives(int c) {
        long sum = 0;
        for (int actual = 0; actual < counts.length; actual++) {
            sum += actual == c ? 0 : counts[actual][c];
        }
        return sum;
    }

    /** Examples of c predicted as something else. */
    public long falseNegatives(int c) {
        long sum = 0;
        for (int predicted = 0; predicted < counts.length; predicted++) {
            sum += predicted == c ? 0 : counts[c][predicted];
        }
        return sum;
    }

    /** Number of true examples of class c. */
    public long support(int c) {
        return truePositives(c) + falseNegatives(c);
    }

    public double precision(int c) {
        return ratio(truePositives(c), truePositives(c) + falsePositives(c));
    }

    public double recall(int c) {
        return ratio(truePositives(c), truePositives(c) + falseNegatives(c));
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        return classMean(this::f1);
    }

    /** The unweighted mean of the per-class precisions. */
    public double macroPrecision() {
        return classMean(this::precision);
    }

    /** The unweighted mean of the per-class recalls. */
    public double macroRecall() {
        return classMean(this::recall);
    }

    private double classMean(java.util.function.IntToDoubleFunction perClass) {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += perClass.applyAsDouble(c);
        }
        return sum / counts.length;
    }

    /** The per-class F1 scores weighted by each class's support. */
    public double weightedF1() {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += f1(c) * support(c);
        }
        return total() == 0 ? 0 : sum / total();
    }

    /** Σ TP / Σ (TP + FP) over all classes. */
    public double microPrecision() {
        long truePositives = 0;
        long falsePositives = 0;
        for (int c = 0; c < counts.length; c++) {
            truePositives += truePositives(c);
            falsePositives += falsePositives(c);
        }
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** Σ TP / Σ (TP + FN) over all classes. */
    public double microRecall() {
        long truePositives = 0;
        long falseNegatives = 0;
        for (int c = 0; c < counts.length; c++) {
            truePositives += truePositives(c);
            falseNegatives += falseNegatives(c);
        }
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** The harmonic mean of micro precision and micro recall. */
    public double microF1() {
        double p = microPrecision();
        double r = microRecall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
