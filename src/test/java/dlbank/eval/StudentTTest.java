package dlbank.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StudentTTest {

    @Test
    void quantilesMatchTheTables() {
        // t_{0.975, ν} from any statistics table (two-sided 95%).
        assertThat(StudentT.quantile(0.975, 1)).isCloseTo(12.7062, within(1e-3));
        assertThat(StudentT.quantile(0.975, 2)).isCloseTo(4.3027, within(1e-3));
        assertThat(StudentT.quantile(0.975, 3)).isCloseTo(3.1824, within(1e-3));
        assertThat(StudentT.quantile(0.975, 4)).isCloseTo(2.7764, within(1e-3));
        assertThat(StudentT.quantile(0.975, 9)).isCloseTo(2.2622, within(1e-3));
        assertThat(StudentT.quantile(0.975, 29)).isCloseTo(2.0452, within(1e-3));
        assertThat(StudentT.quantile(0.975, 1000)).isCloseTo(1.9623, within(1e-3));
    }

    @Test
    void quantilesAgreeWithScipyToManyDigits() {
        // scipy.stats.t.ppf (SciPy 1.17).
        assertThat(StudentT.quantile(0.975, 1)).isCloseTo(12.706204736174694, within(1e-9));
        assertThat(StudentT.quantile(0.975, 9)).isCloseTo(2.262157162798205, within(1e-11));
        assertThat(StudentT.quantile(0.995, 1)).isCloseTo(63.656741162871526, within(1e-8));
        assertThat(StudentT.quantile(0.975, 2.5)).isCloseTo(3.5746548420036817, within(1e-11));
        // A million degrees of freedom: the normal's 1.959964, and t is a hair above it.
        assertThat(StudentT.quantile(0.975, 1e6)).isCloseTo(1.959966356814107, within(1e-8));
    }

    @Test
    void cauchyQuantilesHaveAClosedForm() {
        // With ν = 1, t is the Cauchy distribution: quantile(p) = tan(π (p - 1/2)).
        for (double p : new double[] {0.6, 0.9, 0.975, 0.999, 0.9999999}) {
            assertThat(StudentT.quantile(p, 1)).isCloseTo(Math.tan(Math.PI * (p - 0.5)),
                    within(1e-9 * Math.tan(Math.PI * (p - 0.5))));
        }
    }

    @Test
    void cdfIsSymmetricAndInvertsTheQuantile() {
        // ν = 2 has a closed form: F(t) = 1/2 + t / (2 √(2 + t²)); F(1) = 1/2 + 1/(2√3) = 0.788675.
        assertThat(StudentT.cdf(1, 2)).isCloseTo(0.5 + 1 / (2 * Math.sqrt(3)), within(1e-14));
        assertThat(StudentT.cdf(0, 7)).isEqualTo(0.5);
        assertThat(StudentT.cdf(-1.5, 3)).isCloseTo(1 - StudentT.cdf(1.5, 3), within(1e-14));
        assertThat(StudentT.cdf(1.5, 3)).isCloseTo(0.8847080673775886, within(1e-13)); // scipy.stats.t.cdf
        assertThat(StudentT.quantile(0.025, 9)).isCloseTo(-StudentT.quantile(0.975, 9), within(1e-14));
        assertThat(StudentT.cdf(StudentT.quantile(0.9, 17), 17)).isCloseTo(0.9, within(1e-13));
    }

    @Test
    void rejectsProbabilitiesOutsideTheOpenIntervalAndNonPositiveDegrees() {
        assertThatThrownBy(() -> StudentT.quantile(1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StudentT.quantile(0.975, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("degrees of freedom");
    }
}
