package dlbank.report;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.RunConfig;
import dlbank.experiment.Result;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a finished run's report: report.json, metrics.csv and the loss/accuracy curves. */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /** Writes the files and returns the report as written into report.json. */
    public static Map<String, Object> write(Path dir, Experiment experiment, RunConfig config, Result result,
                                            String device, double wallSeconds, long skippedSteps) {
        return write(dir, experiment.id(), experiment.title(), experiment.questions(), config, result, device, wallSeconds,
                skippedSteps);
    }

    /**
     * As above, for runs that are not registered experiments (the benchmark).
     *
     * @param skippedSteps optimizer updates skipped during the run because a gradient was NaN or infinite
     *                     ({@link dlbank.train.StepGuard}); figures can then differ from a machine that skipped none
     */
    public static Map<String, Object> write(Path dir, String id, String title, List<String> questions, RunConfig config,
                                            Result result, String device, double wallSeconds, long skippedSteps) {
        List<String> artifacts = new ArrayList<>(result.artifacts());
        if (!result.history().isEmpty()) {
            AtomicFiles.writeString(dir.resolve("metrics.csv"), toCsv(result.history()));
            artifacts.add("metrics.csv");
            artifacts.addAll(Charts.trainingCurves(dir, result.history()));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("experiment", id);
        report.put("title", title);
        report.put("questions", questions);
        report.put("seed", config.seed());
        report.put("mode", config.quick() ? "quick" : "full");
        Map<String, Object> fullConfig = new LinkedHashMap<>(config.toMap());
        fullConfig.putAll(result.config());
        report.put("config", fullConfig);
        // What the user asked for, apart from the effective values above: tells default runs from others.
        report.put("user_config", config.toMap());
        report.put("default_setting", config.isDefaultSetting());
        report.put("metrics", result.metrics());
        report.put("claims", claims(result.claims()));
        if (!result.tables().isEmpty()) {
            report.put("tables", result.tables());
        }
        report.put("artifacts", artifacts);
        report.put("skipped_steps", skippedSteps);
        report.put("versions", versions());
        report.put("machine", Machine.describe());
        report.put("device", device);
        report.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
        peakResidentMegabytes().ifPresent(peak -> report.put("peak_rss_mb", peak));
        report.put("finished", OffsetDateTime.now().toString());
        // report.json is written last: its presence marks the run as finished.
        AtomicFiles.write(dir.resolve(RunDirectory.REPORT_FILE), out -> JSON.writeValue(out, report));
        return report;
    }

    public static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("dlbank", ReportWriter.class.getPackage().getImplementationVersion() == null
                ? "dev" : ReportWriter.class.getPackage().getImplementationVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("djl", Engine.getDjlVersion());
        versions.put("pytorch", Engine.getInstance().getVersion());
        return versions;
    }

    /** The process's peak resident memory so far (VmHWM), on Linux. */
    public static java.util.Optional<Long> peakResidentMegabytes() {
        return dlbank.eval.ResidentMemory.peak().map(bytes -> bytes / (1024 * 1024));
    }

    private static List<Map<String, Object>> claims(List<Claim> claims) {
        return claims.stream().map(ReportWriter::claimMap).toList();
    }

    /** A claim as report.json and summary.json hold it. */
    public static Map<String, Object> claimMap(Claim claim) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", claim.text());
        map.put("text_zh", claim.textZh());
        map.put("measured", claim.measured());
        map.put("held", claim.held());
        if (!claim.note().isEmpty()) {
            map.put("note", claim.note());
            map.put("note_zh", claim.noteZh());
        }
        return map;
    }

    static String toCsv(List<Map<String, Object>> rows) {
        List<String> columns = new ArrayList<>();
        rows.forEach(row -> row.keySet().forEach(key -> {
            if (!columns.contains(key)) {
                columns.add(key);
            }
        }));
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                Object value = row.get(column);
                cells.add(value == null ? "" : csvCell(value));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString();
    }

    private static String csvCell(Object value) {
        String text = value instanceof Double d ? formatDouble(d) : value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    private static String formatDouble(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
