package dlbank.i18n;

import dlbank.UserException;

import java.util.Locale;
import java.util.Map;

/**
 * The language of dlbank's output, "zh" or "en": --lang if given, else Chinese for a zh_* locale,
 * else English. The locale is read as text from LC_ALL, LC_MESSAGES and LANG (the first one set), so
 * {@code LANG=zh_CN.UTF-8} chooses Chinese even on a machine where that locale is not installed (the
 * JVM then falls back to the C locale and would report English).
 */
public final class Language {

    private Language() {}

    /** The language for an explicit --lang value (null: none given), else the environment's. */
    public static String resolve(String option) {
        if (option != null) {
            if (!isValid(option)) {
                throw UserException.usage("error.lang", option);
            }
            return option.toLowerCase(Locale.ROOT);
        }
        return fromEnvironment(System.getenv());
    }

    public static boolean isValid(String option) {
        String lang = option.toLowerCase(Locale.ROOT);
        return lang.equals("en") || lang.equals("zh");
    }

    /** The first of LC_ALL, LC_MESSAGES, LANG that is set decides; without them, the JVM's default locale. */
    public static String fromEnvironment(Map<String, String> environment) {
        for (String variable : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return value.toLowerCase(Locale.ROOT).startsWith("zh") ? "zh" : "en";
            }
        }
        return Locale.getDefault().getLanguage().equals("zh") ? "zh" : "en";
    }
}
