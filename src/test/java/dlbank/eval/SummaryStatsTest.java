package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SummaryStatsTest {

    @Test
    void fourSeedsOfMnistAccuracyByHand() {
        // The README's seeds 42, 1, 2, 3. Sum 3.9584 -> mean 0.9896.
        // Deviations 0.0006, -0.0010, 0.0006, -0.0002; squares 3.6e-7 + 1e-6 + 3.6e-7 + 4e-8 = 1.76e-6;
        // sd = √(1.76e-6 / 3) = √5.8667e-7 = 7.6594e-4; standard error sd/√4 = 3.8297e-4;
        // t_{0.975, 3} = 3.18245 -> half-width 1.21878e-3 -> [0.988381, 0.990819].
        SummaryStats stats = SummaryStats.of(0.9902, 0.9886, 0.9902, 0.9894);
        assertThat(stats.n()).isEqualTo(4);
        assertThat(stats.mean()).isCloseTo(0.9896, within(1e-12));
        assertThat(stats.sd()).isCloseTo(Math.sqrt(1.76e-6 / 3), within(1e-12));
        assertThat(stats.sd()).isCloseTo(7.6594e-4, within(1e-8));
        assertThat(stats.min()).isEqualTo(0.9886);
        assertThat(stats.max()).isEqualTo(0.9902);
        assertThat(stats.ci95HalfWidth()).isCloseTo(1.21878e-3, within(1e-8));
        assertThat(stats.ci95Low()).isCloseTo(0.988381, within(1e-6));
        assertThat(stats.ci95High()).isCloseTo(0.990819, within(1e-6));
    }

    @Test
    void aListGivesTheSameSummaryAsAnArray() {
        assertThat(SummaryStats.of(List.of(1, 2, 3))).isEqualTo(SummaryStats.of(1.0, 2.0, 3.0));
        // {1, 2, 3}: mean 2, sd 1, half-width t_{0.975, 2}·1/√3 = 4.30265/1.73205 = 2.48414.
        assertThat(SummaryStats.of(1.0, 2.0, 3.0).ci95High()).isCloseTo(2 + 2.48414, within(1e-5));
    }

    @Test
    void oneValueHasNoIntervalAndItsMapSaysNull() {
        SummaryStats stats = SummaryStats.of(0.99);
        assertThat(stats.mean()).isEqualTo(0.99);
        assertThat(stats.sd()).isNaN();
        assertThat(stats.ci95Low()).isNaN();
        assertThat(stats.ci95High()).isNaN();
        assertThat(stats.toMap()).containsEntry("n", 1).containsEntry("sd", null).containsEntry("ci95_low", null);
    }

    @Test
    void toMapHasTheReportKeysInOrder() {
        assertThat(SummaryStats.of(1.0, 2.0, 3.0).toMap())
                .containsOnlyKeys("n", "mean", "sd", "min", "max", "ci95_low", "ci95_high")
                .containsEntry("mean", 2.0).containsEntry("sd", 1.0).containsEntry("min", 1.0).containsEntry("max", 3.0);
        assertThat(SummaryStats.of(1.0, 2.0, 3.0).toMap().keySet())
                .containsExactly("n", "mean", "sd", "min", "max", "ci95_low", "ci95_high");
    }

    @Test
    void rejectsNoValuesAndNonFiniteOnes() {
        assertThatThrownBy(SummaryStats::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SummaryStats.of(1.0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
