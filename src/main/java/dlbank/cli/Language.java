package dlbank.cli;

import dlbank.UserException;

import java.util.Locale;

/** The bank's language: --lang if given, else Chinese for a zh_* locale, else English. */
final class Language {

    private Language() {}

    static String resolve(String option) {
        if (option != null) {
            String lang = option.toLowerCase(Locale.ROOT);
            if (!lang.equals("en") && !lang.equals("zh")) {
                throw UserException.usage("--lang " + option + ": expected zh or en");
            }
            return lang;
        }
        for (String variable : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.toLowerCase(Locale.ROOT).startsWith("zh") ? "zh" : "en";
            }
        }
        return Locale.getDefault().getLanguage().equals("zh") ? "zh" : "en";
    }
}
