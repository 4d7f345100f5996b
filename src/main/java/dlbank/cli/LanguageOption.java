package dlbank.cli;

import dlbank.i18n.Language;
import picocli.CommandLine.Option;

/** {@code --lang zh|en} for the commands that show the bank. */
final class LanguageOption {

    @Option(names = "--lang", paramLabel = "zh|en",
            description = "Language: zh or en (default: zh when the locale is zh_*, else en).")
    String lang;

    /** The chosen language, or the locale's. */
    String resolve() {
        return Language.resolve(lang);
    }
}
