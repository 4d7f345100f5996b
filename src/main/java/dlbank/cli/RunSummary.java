package dlbank.cli;

import dlbank.bank.TextWidth;
import dlbank.i18n.Messages;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The short table a finished run ends with: its main metrics and every claim with its verdict. */
final class RunSummary {

    private static final int MAX_METRICS = 12;

    private RunSummary() {}

    @SuppressWarnings("unchecked")
    static void print(PrintWriter out, Map<String, Object> report, Path runDir) {
        out.println();
        out.println(Messages.get("summary.finished", report.get("experiment"),
                duration(((Number) report.get("wall_seconds")).doubleValue())));
        Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");
        out.println("  " + Messages.get("summary.metric-heading"));
        // The names' column fits the longest name shown, so that the values stay in one column.
        int width = metrics.keySet().stream().limit(MAX_METRICS).mapToInt(String::length).max().orElse(0);
        String row = "  %-" + Math.max(32, width) + "s %s%n";
        int shown = 0;
        for (Map.Entry<String, Object> metric : metrics.entrySet()) {
            if (shown++ == MAX_METRICS) {
                out.println("  " + Messages.get("summary.more", metrics.size() - MAX_METRICS, "report.json"));
                break;
            }
            out.printf(row, metric.getKey(), format(((Number) metric.getValue()).doubleValue()));
        }
        if (report.get("skipped_steps") instanceof Number skipped) {
            out.println("  " + Messages.get("summary.skipped-steps", skipped.longValue()));
        }
        printClaims(out, report);
        out.println();
        out.println(Messages.get("summary.report", runDir.resolve("report.json")));
        out.flush();
    }

    /** The claims of one run with their verdicts and measured values; in Chinese, their Chinese text and note. */
    @SuppressWarnings("unchecked")
    static void printClaims(PrintWriter out, Map<String, Object> report) {
        out.println();
        out.println("  " + Messages.get("summary.claims"));
        for (Map<String, Object> claim : (List<Map<String, Object>>) report.get("claims")) {
            out.printf("  %s %s%n", pad("[" + verdict((Boolean) claim.get("held")) + "]", 13), localized(claim, "text"));
            Map<String, Object> measured = (Map<String, Object>) claim.get("measured");
            StringBuilder values = new StringBuilder();
            measured.forEach((key, value) -> values.append(values.length() == 0 ? "" : ", ").append(key).append(" = ")
                    .append(format(((Number) value).doubleValue())));
            out.printf("  %-13s %s%n", "", claim.containsKey("note")
                    ? Messages.get("summary.measured-note", values, localized(claim, "note"))
                    : Messages.get("summary.measured", values));
        }
        out.flush();
    }

    /** A series of seeds: every metric's mean, spread and interval, the claims on them, the tallies. */
    @SuppressWarnings("unchecked")
    static void printSeries(PrintWriter out, Map<String, Object> summary, Path seriesDir) {
        List<Object> seeds = (List<Object>) summary.get("seeds");
        out.println();
        out.println(Messages.get("series.over", summary.get("experiment"), seeds.size(), seeds));
        out.printf("  %s %s %s %s %s %s%n", pad(Messages.get("series.column.metric"), 30),
                padLeft(Messages.get("series.column.mean"), 10), padLeft(Messages.get("series.column.sd"), 10),
                padLeft(Messages.get("series.column.interval"), 23), padLeft(Messages.get("series.column.min"), 10),
                padLeft(Messages.get("series.column.max"), 10));
        Map<String, Object> metrics = (Map<String, Object>) summary.get("metrics");
        int shown = 0;
        for (Map.Entry<String, Object> metric : metrics.entrySet()) {
            if (shown++ == MAX_METRICS) {
                out.println("  " + Messages.get("summary.more", metrics.size() - MAX_METRICS, "summary.json"));
                break;
            }
            Map<String, Object> stats = (Map<String, Object>) metric.getValue();
            out.printf("  %-30s %10s %10s %23s %10s %10s%n", metric.getKey(), number(stats.get("mean")),
                    number(stats.get("sd")), "[" + number(stats.get("ci95_low")) + ", " + number(stats.get("ci95_high")) + "]",
                    number(stats.get("min")), number(stats.get("max")));
        }
        List<Map<String, Object>> claims = (List<Map<String, Object>>) summary.get("claims");
        if (!claims.isEmpty()) {
            out.println();
            out.println("  " + Messages.get("series.claims"));
            for (Map<String, Object> claim : claims) {
                out.printf("  %s %s%n", pad("[" + verdict((Boolean) claim.get("held")) + "]", 13), localized(claim, "text"));
                StringBuilder values = new StringBuilder();
                ((Map<String, Object>) claim.get("measured")).forEach((key, value) -> values
                        .append(values.length() == 0 ? "" : ", ").append(key).append(" = ").append(number(value)));
                out.printf("  %-13s %s%n", "", Messages.get("summary.measured", values));
            }
        }
        out.println();
        out.println("  " + Messages.get("series.per-seed"));
        for (Map<String, Object> tally : (List<Map<String, Object>>) summary.get("per_seed_claims")) {
            out.printf("  %s %s%n", pad(Messages.get("series.tally", tally.get("held_in"), tally.get("checked_in")), 13),
                    localized(tally, "text"));
        }
        out.println();
        out.println(Messages.get("series.summary", seriesDir.resolve("summary.json")));
        out.flush();
    }

    /** "held", "NOT HELD" or "not checked", in the output's language. */
    private static String verdict(Boolean held) {
        return Messages.get(held == null ? "verdict.not-checked" : held ? "verdict.held" : "verdict.not-held");
    }

    /** A claim's text or note: the Chinese one ({@code text_zh}, {@code note_zh}) in Chinese when there is one. */
    private static Object localized(Map<String, Object> claim, String field) {
        Object chinese = claim.get(field + "_zh");
        return Messages.chinese() && chinese != null && !chinese.toString().isBlank() ? chinese : claim.get(field);
    }

    /** Pads on the right to a display width: a Chinese character takes two columns. */
    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - TextWidth.of(text)));
    }

    private static String padLeft(String text, int width) {
        return " ".repeat(Math.max(0, width - TextWidth.of(text))) + text;
    }

    private static String number(Object value) {
        return value instanceof Number number ? String.format("%.4f", number.doubleValue()) : "-";
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e12) {
            return String.format("%,d", (long) value);
        }
        if (value != 0 && Math.abs(value) < 1e-3) {
            return String.format("%.2e", value); // an error of 1e-12 is not 0.0000
        }
        return Math.abs(value) >= 100 ? String.format("%,.1f", value) : String.format("%.4f", value);
    }

    static String duration(double seconds) {
        long total = Math.round(seconds);
        return total >= 60 ? String.format("%dm %02ds", total / 60, total % 60) : String.format("%.1f s", seconds);
    }
}
