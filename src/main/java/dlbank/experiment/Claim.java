package dlbank.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sentence from a bank answer and whether the numbers just measured support it.
 *
 * @param text the claim, as the answer states it
 * @param measured the values it was judged on
 * @param held true or false; null when it was not checked (for example at quick-mode size)
 * @param note why it was not checked, or a short comment; may be empty
 */
public record Claim(String text, Map<String, Double> measured, Boolean held, String note) {

    public static Claim check(String text, boolean held, Map<String, Double> measured) {
        return new Claim(text, new LinkedHashMap<>(measured), held, "");
    }

    public static Claim notChecked(String text, Map<String, Double> measured, String why) {
        return new Claim(text, new LinkedHashMap<>(measured), null, why);
    }

    /** Measured values in the order given: name, number, name, number, ... */
    public static Map<String, Double> values(Object... namesAndNumbers) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndNumbers.length; i += 2) {
            values.put((String) namesAndNumbers[i], ((Number) namesAndNumbers[i + 1]).doubleValue());
        }
        return values;
    }

    /** "held", "NOT held" or "not checked". */
    public String verdict() {
        return held == null ? "not checked" : held ? "held" : "NOT held";
    }
}
