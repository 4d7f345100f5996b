package dlbank.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sentence from a bank answer, in English and Chinese, and whether the numbers just measured
 * support it.
 *
 * @param text the claim in English, as the answer states it
 * @param textZh the same claim in Chinese
 * @param measured the values it was judged on
 * @param held true or false; null when it was not checked (for example at quick-mode size)
 * @param note why it was not checked, or a short comment, in English; may be empty
 * @param noteZh the note in Chinese; empty when the note is
 */
public record Claim(String text, String textZh, Map<String, Double> measured, Boolean held, String note,
                    String noteZh) {

    /** The usual reason a claim about a full run is not judged on a quick one. */
    public static final String QUICK = "not checked in quick mode: too little data and training to judge it";
    public static final String QUICK_ZH = "快速模式下不检验：数据和训练量太小，无法判断";

    public static Claim check(String text, String textZh, boolean held, Map<String, Double> measured) {
        return new Claim(text, textZh, new LinkedHashMap<>(measured), held, "", "");
    }

    public static Claim notChecked(String text, String textZh, Map<String, Double> measured, String why, String whyZh) {
        return new Claim(text, textZh, new LinkedHashMap<>(measured), null, why, whyZh);
    }

    /** Checked in full mode; in quick mode reported with its values but not judged. */
    public static Claim checkUnlessQuick(boolean quick, String text, String textZh, boolean held,
                                         Map<String, Double> measured) {
        return quick ? notChecked(text, textZh, measured, QUICK, QUICK_ZH) : check(text, textZh, held, measured);
    }

    /** Measured values in the order given: name, number, name, number, ... */
    public static Map<String, Double> values(Object... namesAndNumbers) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndNumbers.length; i += 2) {
            values.put((String) namesAndNumbers[i], ((Number) namesAndNumbers[i + 1]).doubleValue());
        }
        return values;
    }

    /** The claim's sentence in the language given ("zh" or "en"). */
    public String text(String language) {
        return "zh".equals(language) ? textZh : text;
    }

    /** "held", "NOT held" or "not checked". */
    public String verdict() {
        return held == null ? "not checked" : held ? "held" : "NOT held";
    }
}
