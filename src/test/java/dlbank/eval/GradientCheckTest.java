package dlbank.eval;

import dlbank.eval.GradientCheck.Stencil;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GradientCheckTest {

    @Test
    void finiteDifferencesOfAKnownFunctionMatchItsDerivative() {
        // f(a, b) = sin(a0)·b0 + a1³ ; ∂f/∂a0 = cos(a0)·b0, ∂f/∂a1 = 3·a1², ∂f/∂b0 = sin(a0)
        double[][] theta = {{0.3, -1.2}, {2.0}};
        double[][] expected = {{Math.cos(0.3) * 2.0, 3 * 1.44}, {Math.sin(0.3)}};
        for (Stencil stencil : Stencil.values()) {
            double step = stencil == Stencil.CENTRAL ? 1e-6 : 1e-3;
            double[][] numerical = GradientCheck.numerical(() -> Math.sin(theta[0][0]) * theta[1][0]
                    + Math.pow(theta[0][1], 3), theta, stencil, step, 0, new Random(1));
            for (int p = 0; p < theta.length; p++) {
                assertThat(numerical[p]).as(stencil.name()).containsExactly(expected[p], within(1e-9));
            }
        }
        assertThat(theta[0]).as("every entry restored").containsExactly(0.3, -1.2);
    }

    @Test
    void samplingLeavesTheOtherEntriesNaNAndCompareSkipsThem() {
        double[][] theta = {new double[100]};
        double[][] numerical = GradientCheck.numerical(() -> 0, theta, Stencil.CENTRAL, 1e-6, 10, new Random(3));
        assertThat(java.util.Arrays.stream(numerical[0]).filter(Double::isNaN).count()).isEqualTo(90);
        assertThat(GradientCheck.compare(new double[100], numerical[0]).compared()).isEqualTo(10);
    }

    @Test
    void compareGivesNormWiseAndPerEntryRelativeErrors() {
        // a = (1, 0.001, 0), b = (1, 0.002, 0): per entry |a−b|/max = 0, 0.5, skipped (both zero)
        GradientCheck.Difference difference = GradientCheck.compare(new double[] {1, 0.001, 0}, new double[] {1, 0.002, 0});
        assertThat(difference.maxRelative()).isCloseTo(0.5, within(1e-12));
        assertThat(difference.maxAbsolute()).isCloseTo(0.001, within(1e-15));
        // ‖a−b‖ = 0.001, max(‖a‖, ‖b‖) = √(1 + 4e-6)
        assertThat(difference.normRelative()).isCloseTo(0.001 / Math.sqrt(1 + 4e-6), within(1e-15));
        assertThat(difference.compared()).isEqualTo(3);
    }
}
