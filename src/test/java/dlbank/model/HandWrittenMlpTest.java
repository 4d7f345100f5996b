package dlbank.model;

import dlbank.eval.GradientCheck;
import dlbank.eval.GradientCheck.Stencil;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HandWrittenMlpTest {

    /** Five random inputs of 6 features, labels among 3 classes. */
    private static final Random RANDOM = new Random(7);
    private static final double[] X = RANDOM.doubles(5 * 6, -1, 1).toArray();
    private static final int[] LABELS = {0, 2, 1, 2, 0};

    @Test
    void everyGradientEntryMatchesFivePointFiniteDifferences() {
        HandWrittenMlp mlp = new HandWrittenMlp(6, 4, 3, 11);
        double[][] hand = mlp.gradients(X, LABELS);
        double[][] numerical = GradientCheck.numerical(() -> mlp.loss(X, LABELS), mlp.parameters(),
                Stencil.FIVE_POINT, 1e-3, 0, new Random(1));
        for (int p = 0; p < hand.length; p++) {
            GradientCheck.Difference difference = GradientCheck.compare(hand[p], numerical[p]);
            assertThat(difference.compared()).isEqualTo(hand[p].length);
            assertThat(difference.maxRelative()).as(HandWrittenMlp.NAMES.get(p)).isLessThan(1e-7);
        }
    }

    @Test
    void theLossOfUniformLogitsIsLogOfTheClassCount() {
        // All-zero weights: every class gets probability 1/3, so the cross-entropy is log 3.
        HandWrittenMlp mlp = new HandWrittenMlp(6, 4, 3, 11);
        for (double[] parameter : mlp.parameters()) {
            java.util.Arrays.fill(parameter, 0);
        }
        assertThat(mlp.loss(X, LABELS)).isCloseTo(Math.log(3), within(1e-15));
        // and the output bias gradient is the mean of (p - y) = 1/3 - (share of each class)
        assertThat(mlp.gradients(X, LABELS)[3]).containsExactly(new double[] {1.0 / 3 - 2.0 / 5, 1.0 / 3 - 1.0 / 5,
                1.0 / 3 - 2.0 / 5}, within(1e-15));
    }

    @Test
    void gradientDescentStepsLowerTheLoss() {
        HandWrittenMlp mlp = new HandWrittenMlp(6, 4, 3, 11);
        double before = mlp.loss(X, LABELS);
        for (int i = 0; i < 50; i++) {
            mlp.step(X, LABELS, 0.5);
        }
        assertThat(mlp.loss(X, LABELS)).isLessThan(before / 2);
        assertThat(mlp.predict(X)).containsExactly(LABELS);
    }
}
