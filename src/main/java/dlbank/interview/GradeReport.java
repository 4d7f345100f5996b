package dlbank.interview;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A grade in the two forms the commands show: plain text for the terminal and the interview
 * transcript, and a map for JSON ({@code score}, {@code covered}, {@code missed}, {@code red_flags},
 * {@code evidence}).
 */
public final class GradeReport {

    private GradeReport() {}

    /** The grade as terminal text; {@code evidence} may be empty (the interview's follow-ups show none). */
    public static String text(GradeResult result, List<Evidence> evidence) {
        boolean zh = result.language().equals("zh");
        StringBuilder text = new StringBuilder();
        int points = result.covered().size() + result.missed().size();
        text.append(zh ? String.format("得分 %d/100：覆盖 %d/%d 个关键点", result.score(), result.covered().size(), points)
                : String.format("Score %d/100: %d of %d key points", result.score(), result.covered().size(), points));
        if (!result.redFlags().isEmpty()) {
            int penalty = Grader.RED_FLAG_PENALTY * result.redFlags().size();
            text.append(zh ? String.format("，%d 个错误说法（−%d）", result.redFlags().size(), penalty)
                    : String.format(", %d red flag%s (−%d)", result.redFlags().size(), result.redFlags().size() == 1 ? "" : "s", penalty));
        }
        text.append('\n');
        if (!result.answerLanguage().equals(result.language())) {
            text.append(zh ? "（回答是英文的，按英文的关键点评分。）\n"
                    : "(The answer is in Chinese, so it was graded against the Chinese key points.)\n");
        }
        if (!result.covered().isEmpty()) {
            text.append(zh ? "已覆盖\n" : "Covered\n");
            for (GradeResult.Covered point : result.covered()) {
                text.append("  + ").append(point.label()).append(zh ? "  ← “" : "  <- \"").append(point.words())
                        .append(zh ? "”\n" : "\"\n");
            }
        }
        if (!result.missed().isEmpty()) {
            text.append(zh ? "未覆盖\n" : "Missed\n");
            for (GradeResult.Missed point : result.missed()) {
                text.append("  - ").append(point.label()).append('\n');
                if (!point.sentence().equals(point.label())) {
                    text.append(zh ? "      条目原文：" : "      the entry: ").append(point.sentence()).append('\n');
                }
            }
        }
        if (!result.redFlags().isEmpty()) {
            text.append(zh ? "错误说法\n" : "Red flags\n");
            for (GradeResult.RaisedFlag flag : result.redFlags()) {
                text.append(zh ? "  ! 你写了：“" : "  ! You wrote: \"").append(flag.words()).append(zh ? "”\n" : "\"\n");
                text.append(zh ? "      错误说法：" : "      the mistake: ").append(flag.wrong()).append('\n');
                text.append(zh ? "      正确：" : "      right: ").append(flag.correction()).append('\n');
            }
        }
        if (!evidence.isEmpty()) {
            text.append(zh ? "实测证据\n" : "Measured evidence\n");
            evidence.forEach(item -> text.append(evidenceText(item, zh)));
        }
        return text.toString();
    }

    private static String evidenceText(Evidence item, boolean zh) {
        String id = item.experimentId();
        return switch (item.status()) {
            case NOT_AVAILABLE -> zh ? "  " + id + "：实验尚未实现。\n" : "  " + id + ": not available yet.\n";
            case NO_RUN -> zh ? "  " + id + "：还没有运行记录；运行 dlbank run " + id + " 生成。\n"
                    : "  " + id + ": no saved run yet; produce it with: dlbank run " + id + "\n";
            case MEASURED -> {
                StringBuilder text = new StringBuilder("  ").append(id).append(" (")
                        .append(item.seeds() > 1 ? (zh ? item.seeds() + " 个种子的均值，" : "mean of " + item.seeds() + " seeds, ")
                                : (zh ? "单次运行 " : "run "))
                        .append(item.source().getFileName()).append(")");
                List<String> metrics = new ArrayList<>();
                item.metrics().forEach((name, value) -> metrics.add(name + " " + number(value)));
                text.append(metrics.isEmpty() ? "" : ": " + String.join(", ", metrics)).append('\n');
                for (Evidence.Claim claim : item.claims()) {
                    String verdict = claim.held() == null ? (zh ? "未检验" : "not checked")
                            : claim.held() ? (zh ? "成立" : "held") : (zh ? "不成立" : "NOT held");
                    text.append("    [").append(verdict).append("] ").append(claim.text()).append('\n');
                }
                yield text.toString();
            }
        };
    }

    /** The grade (and evidence) as a JSON-ready map. */
    public static Map<String, Object> toMap(GradeResult result, List<Evidence> evidence) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", result.entryId());
        map.put("language", result.language());
        map.put("answer_language", result.answerLanguage());
        map.put("score", result.score());
        map.put("covered", result.covered().stream().map(point -> ordered("label", point.label(), "weight",
                point.weight(), "words", point.words())).toList());
        map.put("missed", result.missed().stream().map(point -> ordered("label", point.label(), "weight",
                point.weight(), "sentence", point.sentence())).toList());
        map.put("red_flags", result.redFlags().stream().map(flag -> ordered("wrong", flag.wrong(), "correction",
                flag.correction(), "words", flag.words())).toList());
        map.put("red_flag_penalty", Grader.RED_FLAG_PENALTY);
        map.put("evidence", evidence.stream().map(item -> {
            Map<String, Object> entry = ordered("experiment", item.experimentId(), "status",
                    item.status().name().toLowerCase(Locale.ROOT), "source", item.source() == null ? null : item.source().toString());
            entry.put("seeds", item.seeds());
            entry.put("metrics", item.metrics());
            entry.put("claims", item.claims().stream().map(claim -> ordered("text", claim.text(), "held", claim.held(),
                    null, null)).toList());
            return entry;
        }).toList());
        return map;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2, String k3, Object v3) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        if (k3 != null) {
            map.put(k3, v3);
        }
        return map;
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e12 ? String.format("%,d", (long) value)
                : String.format("%.4f", value);
    }
}
