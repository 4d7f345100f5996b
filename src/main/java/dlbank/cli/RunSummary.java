package dlbank.cli;

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
        out.printf("%s finished in %s%n", report.get("experiment"), duration(((Number) report.get("wall_seconds")).doubleValue()));
        Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");
        out.println("  metric                             value");
        int shown = 0;
        for (Map.Entry<String, Object> metric : metrics.entrySet()) {
            if (shown++ == MAX_METRICS) {
                out.printf("  ... %d more in report.json%n", metrics.size() - MAX_METRICS);
                break;
            }
            out.printf("  %-32s %s%n", metric.getKey(), format(((Number) metric.getValue()).doubleValue()));
        }
        printClaims(out, report);
        out.println();
        out.println("report: " + runDir.resolve("report.json"));
        out.flush();
    }

    /** The claims of one run with their verdicts and measured values. */
    @SuppressWarnings("unchecked")
    static void printClaims(PrintWriter out, Map<String, Object> report) {
        out.println();
        out.println("  claims");
        for (Map<String, Object> claim : (List<Map<String, Object>>) report.get("claims")) {
            Boolean held = (Boolean) claim.get("held");
            String verdict = held == null ? "not checked" : held ? "held" : "NOT HELD";
            out.printf("  %-13s %s%n", "[" + verdict + "]", claim.get("text"));
            Map<String, Object> measured = (Map<String, Object>) claim.get("measured");
            StringBuilder values = new StringBuilder();
            measured.forEach((key, value) -> values.append(values.length() == 0 ? "" : ", ").append(key).append(" = ")
                    .append(format(((Number) value).doubleValue())));
            out.printf("  %-13s measured: %s%s%n", "", values, claim.containsKey("note") ? "; " + claim.get("note") : "");
        }
        out.flush();
    }

    /** A series of seeds: every metric's mean, spread and interval, the claims on them, the tallies. */
    @SuppressWarnings("unchecked")
    static void printSeries(PrintWriter out, Map<String, Object> summary, Path seriesDir) {
        List<Object> seeds = (List<Object>) summary.get("seeds");
        out.println();
        out.printf("%s over %d seeds %s%n", summary.get("experiment"), seeds.size(), seeds);
        out.printf("  %-30s %10s %10s %23s %10s %10s%n", "metric", "mean", "sd", "95% interval", "min", "max");
        Map<String, Object> metrics = (Map<String, Object>) summary.get("metrics");
        int shown = 0;
        for (Map.Entry<String, Object> metric : metrics.entrySet()) {
            if (shown++ == MAX_METRICS) {
                out.printf("  ... %d more in summary.json%n", metrics.size() - MAX_METRICS);
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
            out.println("  claims on the summary");
            for (Map<String, Object> claim : claims) {
                Boolean held = (Boolean) claim.get("held");
                out.printf("  %-13s %s%n", "[" + (held == null ? "not checked" : held ? "held" : "NOT HELD") + "]",
                        claim.get("text"));
                StringBuilder values = new StringBuilder();
                ((Map<String, Object>) claim.get("measured")).forEach((key, value) -> values
                        .append(values.length() == 0 ? "" : ", ").append(key).append(" = ").append(number(value)));
                out.printf("  %-13s measured: %s%n", "", values);
            }
        }
        out.println();
        out.println("  single-run claims, per seed");
        for (Map<String, Object> tally : (List<Map<String, Object>>) summary.get("per_seed_claims")) {
            out.printf("  %-13s %s%n", "[" + tally.get("held_in") + " of " + tally.get("checked_in") + "]", tally.get("text"));
        }
        out.println();
        out.println("summary: " + seriesDir.resolve("summary.json"));
        out.flush();
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
