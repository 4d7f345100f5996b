package dlbank.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunSummaryTest {

    @Test
    void smallNumbersAreShownInScientificNotationNotAsZero() {
        assertThat(RunSummary.format(4.31e-11)).isEqualTo("4.31e-11");
        assertThat(RunSummary.format(0)).isEqualTo("0");
        assertThat(RunSummary.format(0.917)).isEqualTo("0.9170");
        assertThat(RunSummary.format(12_730)).isEqualTo("12,730");
    }
}
