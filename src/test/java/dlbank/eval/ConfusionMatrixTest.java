package dlbank.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConfusionMatrixTest {

    // Ten examples of three classes, worked out by hand:
    //            predicted 0  1  2
    //   true 0             3  1  0
    //   true 1             0  2  1
    //   true 2             1  0  2
    private static final int[] ACTUAL = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 0, 1, 1, 1, 2, 0, 2, 2};

    @Test
    void countsAndPerClassMetricsMatchHandComputedValues() {
        ConfusionMatrix matrix = ConfusionMatrix.of(ACTUAL, PREDICTED, 3);
        assertThat(matrix.counts()).isDeepEqualTo(new int[][] {{3, 1, 0}, {0, 2, 1}, {1, 0, 2}});
        assertThat(matrix.accuracy()).isEqualTo(0.7);
        // class 0: TP 3, FP 1 (a true 2), FN 1 -> P = 3/4, R = 3/4, F1 = 3/4
        assertThat(matrix.precision(0)).isEqualTo(0.75);
        assertThat(matrix.recall(0)).isEqualTo(0.75);
        assertThat(matrix.f1(0)).isEqualTo(0.75);
        // class 1: TP 2, FP 1, FN 1 -> P = R = F1 = 2/3
        assertThat(matrix.f1(1)).isCloseTo(2.0 / 3, within(1e-12));
        // class 2: TP 2, FP 1, FN 1 -> 2/3 as well
        assertThat(matrix.precision(2)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(matrix.macroF1()).isCloseTo((0.75 + 2.0 / 3 + 2.0 / 3) / 3, within(1e-12));
        assertThat(matrix.support(1)).isEqualTo(3);
    }

    @Test
    void macroAndMicroAveragesMatchHandComputedValues() {
        ConfusionMatrix matrix = ConfusionMatrix.of(ACTUAL, PREDICTED, 3);
        // precisions 3/4, 2/3, 2/3; recalls 3/4, 2/3, 2/3 (supports 4, 3, 3)
        assertThat(matrix.macroPrecision()).isCloseTo((0.75 + 2.0 / 3 + 2.0 / 3) / 3, within(1e-12));
        assertThat(matrix.macroRecall()).isCloseTo((0.75 + 2.0 / 3 + 2.0 / 3) / 3, within(1e-12));
        assertThat(matrix.weightedF1()).isCloseTo((4 * 0.75 + 3 * 2.0 / 3 + 3 * 2.0 / 3) / 10, within(1e-12));
        // micro: Σ TP = 7, Σ FP = 3, Σ FN = 3 -> 7/10 each, the accuracy
        assertThat(matrix.microPrecision()).isEqualTo(0.7);
        assertThat(matrix.microRecall()).isEqualTo(0.7);
        assertThat(matrix.microF1()).isCloseTo(0.7, within(1e-15));
    }

    @Test
    void macroAndMicroDifferWhenARareClassIsHandledBadly() {
        // 8 of class 0 all right; 2 of class 1, one predicted as 0.
        ConfusionMatrix matrix = ConfusionMatrix.of(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1},
                new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 2);
        // class 0: P = 8/9, R = 1, F1 = 16/17; class 1: P = 1, R = 1/2, F1 = 2/3
        assertThat(matrix.macroF1()).isCloseTo((16.0 / 17 + 2.0 / 3) / 2, within(1e-12));
        assertThat(matrix.microF1()).isCloseTo(0.9, within(1e-12));
        assertThat(matrix.weightedF1()).isCloseTo((8 * 16.0 / 17 + 2 * 2.0 / 3) / 10, within(1e-12));
    }

    @Test
    void f1IsTheHarmonicMeanNotTheArithmeticMean() {
        // class 0: TP 1, FP 0, FN 3 -> precision 1, recall 1/4, F1 = 2·1·0.25/1.25 = 0.4 (the mean would be 0.625)
        ConfusionMatrix matrix = ConfusionMatrix.of(new int[] {0, 0, 0, 0, 1}, new int[] {0, 1, 1, 1, 1}, 2);
        assertThat(matrix.precision(0)).isEqualTo(1.0);
        assertThat(matrix.recall(0)).isEqualTo(0.25);
        assertThat(matrix.f1(0)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void aClassNeverPredictedHasPrecisionZeroNotNaN() {
        ConfusionMatrix matrix = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
        assertThat(matrix.precision(1)).isZero();
        assertThat(matrix.recall(1)).isZero();
        assertThat(matrix.f1(1)).isZero();
    }
}
