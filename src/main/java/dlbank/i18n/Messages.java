package dlbank.i18n;

import java.util.Locale;
import java.util.ResourceBundle;

/**
 * dlbank's own words in Chinese and English: one-line errors, the run summary, list's legend, the
 * quiz prompts, the progress lines. The texts live in {@code dlbank/messages.properties} (English)
 * and {@code dlbank/messages_zh.properties} (UTF-8); {@code {0}}, {@code {1}}, ... stand for the
 * arguments. Technical identifiers (ids, metric names, file names) are arguments, never translated.
 *
 * <p>The language is set once per command (the CLI does it from --lang or the locale); English until
 * then. Arguments are put in with {@link String#valueOf}, not {@link java.text.MessageFormat}: the texts
 * quote ids with apostrophes ('dlbank list'), which MessageFormat would swallow, and numbers keep the
 * form they have in the English texts (10000, not 10,000).
 */
public final class Messages {

    private static final String BUNDLE = "dlbank.messages";
    private static final ResourceBundle ENGLISH = bundle("en");
    private static final ResourceBundle CHINESE = bundle("zh");

    private static volatile String language = "en";

    private Messages() {}

    /** A message not yet put into words: a key and its arguments, told in the language asked for. */
    public record Text(String key, Object... args) {
        public String in(String language) {
            return Messages.in(language, key, args);
        }

        @Override
        public String toString() {
            return in(Messages.language());
        }
    }

    /** "zh" or "en". */
    public static String language() {
        return language;
    }

    public static boolean chinese() {
        return language.equals("zh");
    }

    /** Sets the language of everything printed from now on: "zh" or "en". */
    public static void use(String newLanguage) {
        if (!newLanguage.equals("zh") && !newLanguage.equals("en")) {
            throw new IllegalArgumentException("language " + newLanguage + ": expected zh or en");
        }
        language = newLanguage;
    }

    /** The message in the current language. */
    public static String get(String key, Object... args) {
        return in(language, key, args);
    }

    /** The message in English: what exceptions carry as their message, for logs. */
    public static String english(String key, Object... args) {
        return in("en", key, args);
    }

    public static Text text(String key, Object... args) {
        return new Text(key, args);
    }

    /**
     * The message in the given language. A key missing from the catalogue is shown as it is: code that
     * still passes an English sentence instead of a key keeps working (in English); MessagesTest finds
     * such calls.
     */
    public static String in(String language, String key, Object... args) {
        ResourceBundle bundle = language.equals("zh") ? CHINESE : ENGLISH;
        String pattern = bundle.containsKey(key) ? bundle.getString(key) : key;
        return fill(pattern, language, args);
    }

    /** True when the catalogue has this key. */
    public static boolean has(String key) {
        return ENGLISH.containsKey(key);
    }

    /** The catalogue of one language, for tests. */
    public static ResourceBundle bundle(String language) {
        return bundle(BUNDLE, language);
    }

    /**
     * A properties bundle (UTF-8, as Java 9+ reads them) in "zh" or "en": {@code name_zh} over {@code name},
     * or {@code name} alone, whatever the JVM's default locale.
     */
    public static ResourceBundle bundle(String name, String language) {
        return ResourceBundle.getBundle(name, language.equals("zh") ? Locale.CHINESE : Locale.ROOT,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /**
     * Replaces {0}, {1}, ... with the arguments (a placeholder without an argument stays as it is);
     * nested {@link Text}s are told in the same language.
     */
    private static String fill(String pattern, String language, Object[] args) {
        if (args.length == 0 || pattern.indexOf('{') < 0) {
            return pattern;
        }
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            int close = c == '{' ? pattern.indexOf('}', i) : -1;
            if (close > i + 1 && close - i < 4 && pattern.substring(i + 1, close).chars().allMatch(Character::isDigit)
                    && Integer.parseInt(pattern.substring(i + 1, close)) < args.length) {
                Object arg = args[Integer.parseInt(pattern.substring(i + 1, close))];
                out.append(arg instanceof Text text ? text.in(language) : String.valueOf(arg));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
