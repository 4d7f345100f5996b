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
        out.println();
        out.println("report: " + runDir.resolve("report.json"));
        out.flush();
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e12) {
            return String.format("%,d", (long) value);
        }
        return Math.abs(value) >= 100 ? String.format("%,.1f", value) : String.format("%.4f", value);
    }

    static String duration(double seconds) {
        long total = Math.round(seconds);
        return total >= 60 ? String.format("%dm %02ds", total / 60, total % 60) : String.format("%.1f s", seconds);
    }
}
