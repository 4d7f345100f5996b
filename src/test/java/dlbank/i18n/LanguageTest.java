package dlbank.i18n;

import dlbank.UserException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The language from --lang, else from the text of LC_ALL, LC_MESSAGES and LANG. */
class LanguageTest {

    @Test
    void theFirstLocaleVariableThatIsSetDecides() {
        assertThat(Language.fromEnvironment(Map.of("LANG", "zh_CN.UTF-8"))).isEqualTo("zh");
        assertThat(Language.fromEnvironment(Map.of("LANG", "zh_TW.Big5"))).isEqualTo("zh");
        assertThat(Language.fromEnvironment(Map.of("LANG", "C"))).isEqualTo("en");
        assertThat(Language.fromEnvironment(Map.of("LANG", "en_US.UTF-8"))).isEqualTo("en");
        assertThat(Language.fromEnvironment(Map.of("LC_ALL", "C.UTF-8", "LANG", "zh_CN.UTF-8"))).isEqualTo("en");
        assertThat(Language.fromEnvironment(Map.of("LC_MESSAGES", "zh_CN.GB18030", "LANG", "en_GB.UTF-8")))
                .isEqualTo("zh");
        assertThat(Language.fromEnvironment(Map.of("LC_ALL", "", "LANG", "zh_SG.UTF-8"))).as("an empty one is unset")
                .isEqualTo("zh");
    }

    @Test
    void anExplicitChoiceWinsAndABadOneIsAUsageError() {
        assertThat(Language.resolve("ZH")).isEqualTo("zh");
        assertThat(Language.resolve("en")).isEqualTo("en");
        assertThatThrownBy(() -> Language.resolve("fr")).isInstanceOf(UserException.class)
                .hasMessage("--lang fr: expected zh or en");
    }
}
