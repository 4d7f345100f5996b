package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BinaryCurvesTest {

    // Three positives (0.9, 0.8, 0.3) and two negatives (0.8, 0.1); one positive ties a negative at 0.8.
    private static final double[] SCORES = {0.9, 0.8, 0.8, 0.3, 0.1};
    private static final boolean[] LABELS = {true, true, false, true, false};

    @Test
    void rocHasOnePointPerDistinctThresholdAndTheTieIsADiagonalStep() {
        // threshold 0.9: TP 1, FP 0 -> (0, 1/3); 0.8: TP 2, FP 1 -> (1/2, 2/3);
        // 0.3: TP 3, FP 1 -> (1/2, 1); 0.1: TP 3, FP 2 -> (1, 1)
        BinaryCurves.Curve roc = BinaryCurves.roc(SCORES, LABELS);
        assertThat(roc.x()).containsExactly(new double[] {0, 0, 0.5, 0.5, 1}, within(1e-12));
        assertThat(roc.y()).containsExactly(new double[] {0, 1.0 / 3, 2.0 / 3, 1, 1}, within(1e-12));
    }

    @Test
    void rankAucEqualsTheHandComputedValueAndTheTrapezoidArea() {
        // Ascending ranks: 0.1 -> 1, 0.3 -> 2, 0.8 and 0.8 -> 3.5 each, 0.9 -> 5.
        // Positives 0.9, 0.8, 0.3: R+ = 5 + 3.5 + 2 = 10.5; AUC = (10.5 - 3·4/2) / (3·2) = 4.5 / 6 = 0.75.
        assertThat(BinaryCurves.rankAuc(SCORES, LABELS)).isCloseTo(0.75, within(1e-12));
        Random random = new Random(3);
        double[] scores = new double[500];
        boolean[] labels = new boolean[500];
        for (int i = 0; i < scores.length; i++) {
            labels[i] = random.nextBoolean();
            scores[i] = Math.round((random.nextGaussian() + (labels[i] ? 1 : 0)) * 4) / 4.0; // many ties
        }
        assertThat(BinaryCurves.rankAuc(scores, labels)).isCloseTo(BinaryCurves.rocAuc(scores, labels), within(1e-12));
    }

    @Test
    void rocAucWithATieIsThreeQuartersAndEqualsTheMannWhitneyCount() {
        // Trapezoids: 0.5·(1/3 + 2/3)/2 = 0.25, then 0 (vertical), then 0.5·1 = 0.5 -> 0.75.
        // Pairs (positive, negative), 6 in all: 0.9>0.8, 0.9>0.1, 0.8=0.8 (1/2), 0.8>0.1, 0.3<0.8, 0.3>0.1
        // -> 4.5 / 6 = 0.75.
        assertThat(BinaryCurves.rocAuc(SCORES, LABELS)).isCloseTo(0.75, within(1e-12));
        assertThat(BinaryCurves.rocAuc(SCORES, LABELS)).isCloseTo(mannWhitney(SCORES, LABELS), within(1e-12));
    }

    @Test
    void rocAucEqualsTheMannWhitneyCountOnManyTiedScores() {
        Random random = new Random(7);
        double[] scores = new double[300];
        boolean[] labels = new boolean[300];
        for (int i = 0; i < scores.length; i++) {
            labels[i] = random.nextDouble() < 0.3;
            // Scores on a grid of 11 values, so ties are many; positives score a little higher.
            scores[i] = Math.min(10, random.nextInt(9) + (labels[i] ? 2 : 0)) / 10.0;
        }
        assertThat(BinaryCurves.rocAuc(scores, labels)).isCloseTo(mannWhitney(scores, labels), within(1e-12));
    }

    @Test
    void averagePrecisionSumsRecallStepsTimesPrecision() {
        // PR points: 0.9 -> (R 1/3, P 1); 0.8 -> (2/3, 2/3); 0.3 -> (1, 3/4); 0.1 -> (1, 3/5).
        // AP = 1/3·1 + 1/3·2/3 + 1/3·3/4 + 0·3/5 = 12/36 + 8/36 + 9/36 = 29/36 = 0.80556.
        BinaryCurves.Curve pr = BinaryCurves.precisionRecall(SCORES, LABELS);
        assertThat(pr.x()).containsExactly(new double[] {1.0 / 3, 2.0 / 3, 1, 1}, within(1e-12));
        assertThat(pr.y()).containsExactly(new double[] {1, 2.0 / 3, 0.75, 0.6}, within(1e-12));
        assertThat(BinaryCurves.averagePrecision(SCORES, LABELS)).isCloseTo(29.0 / 36, within(1e-12));
    }

    @Test
    void aPerfectRankingScoresOneAndAnInvertedOneScoresZero() {
        boolean[] labels = {true, true, false, false};
        double[] perfect = {0.9, 0.8, 0.2, 0.1};
        double[] inverted = {0.1, 0.2, 0.8, 0.9};
        assertThat(BinaryCurves.rocAuc(perfect, labels)).isEqualTo(1.0);
        assertThat(BinaryCurves.averagePrecision(perfect, labels)).isEqualTo(1.0);
        assertThat(BinaryCurves.rocAuc(inverted, labels)).isEqualTo(0.0);
        // Inverted: the two negatives first (R 0), then (R 1/2, P 1/3), (R 1, P 1/2) -> 1/6 + 1/4 = 5/12.
        assertThat(BinaryCurves.averagePrecision(inverted, labels)).isCloseTo(5.0 / 12, within(1e-12));
    }

    @Test
    void allScoresTiedGiveOneThresholdChanceAucAndPrevalenceAp() {
        float[] scores = {0.5f, 0.5f, 0.5f, 0.5f};
        boolean[] labels = {true, false, false, false};
        BinaryCurves.Curve roc = BinaryCurves.roc(scores, labels);
        assertThat(roc.x()).containsExactly(0, 1);
        assertThat(roc.y()).containsExactly(0, 1);
        assertThat(BinaryCurves.rocAuc(scores, labels)).isEqualTo(0.5);
        // One threshold: recall 1, precision 1/4 -> AP = 1/4, the share of positives.
        assertThat(BinaryCurves.averagePrecision(scores, labels)).isEqualTo(0.25);
    }

    @Test
    void rejectsMismatchedLengthsAndAMissingClass() {
        assertThatThrownBy(() -> BinaryCurves.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 scores but 1 labels");
        assertThatThrownBy(() -> BinaryCurves.averagePrecision(new double[] {0.1, 0.2}, new boolean[] {true, true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both classes");
        assertThatThrownBy(() -> BinaryCurves.roc(new double[] {0.1, 0.2}, new boolean[] {false, false}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 positive");
        assertThatThrownBy(() -> BinaryCurves.roc(new double[] {Double.NaN, 0.2}, new boolean[] {true, false}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    /** P(positive scores higher than negative), ties counted 1/2, by counting every pair. */
    private static double mannWhitney(double[] scores, boolean[] labels) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (labels[i] && !labels[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }
}
