package dlbank.train;

import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe behind {@code dlbank doctor}: on any machine, and with the engine bug injected. */
class ConvBackwardProbeTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void countsEveryCaseOfEveryRound() {
        ConvBackwardProbe.Outcome outcome = ConvBackwardProbe.run(2);
        assertThat(outcome.cases()).isEqualTo(2 * 6 * 2 * 2);
        assertThat(outcome.rounds()).isEqualTo(2);
        // Whatever this machine's engine does, the verdict follows the cases.
        assertThat(outcome.healthy()).isEqualTo(outcome.notFinite().isEmpty());
    }

    @Test
    void theInjectedFirstUseBugShowsAsEveryCaseOfTheFirstRoundAndNoneLater() throws Exception {
        try (AutoCloseable injected = StepGuard.NanInjection.install(StepGuard.NanInjection.parse("first-use"))) {
            ConvBackwardProbe.Outcome outcome = ConvBackwardProbe.run(2);
            assertThat(outcome.healthy()).isFalse();
            assertThat(outcome.notFinite()).hasSize(24).allMatch(c -> c.round() == 1);
            assertThat(outcome.firstUseOnly()).isTrue();
        }
    }

    @Test
    void theChildsLineReadsBackToTheSameOutcome() {
        ConvBackwardProbe.Outcome outcome = ConvBackwardProbe.parse("probe 2 48 1x28x64@1 8x14x1@2");
        assertThat(outcome.cases()).isEqualTo(48);
        assertThat(outcome.notFinite()).containsExactly(new ConvBackwardProbe.Case(1, 28, 64, 1),
                new ConvBackwardProbe.Case(8, 14, 1, 2));
        assertThat(outcome.firstUseOnly()).isFalse();
        assertThat(ConvBackwardProbe.parse("onednn_verbose,v1,info")).isNull();
    }

    @Test
    void aBadInjectionSettingIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StepGuard.NanInjection.parse("sometimes"))
                .hasMessageContaining("is not 'first-use' or 'steps=N,M'");
    }
}
