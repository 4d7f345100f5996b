package dlbank.report;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference runs that ship inside the program: {@code src/main/resources/reference/<experiment id>/}
 * holds a full run's report.json, metrics.csv and pictures, copied there by {@code scripts/save-reference}
 * from a run on the build machine, and {@code reference.json} (the machine and the run folder it came
 * from). A fresh install shows them before anything has run on the user's machine.
 */
public final class ReferenceRuns {

    /** The file beside report.json that save-reference writes: machine, source folder, when. */
    public static final String ABOUT_FILE = "reference.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Optional<Map<String, Object>>> REPORTS = new ConcurrentHashMap<>();

    private ReferenceRuns() {}

    /** The reference run's report.json, if the program ships one for the experiment. */
    public static Optional<Map<String, Object>> report(String experimentId) {
        return REPORTS.computeIfAbsent(experimentId, id -> readJson(id, RunDirectory.REPORT_FILE));
    }

    /** reference.json: {"machine": ..., "source": ..., "saved": ...}, or empty. */
    public static Map<String, Object> about(String experimentId) {
        return readJson(experimentId, ABOUT_FILE).orElse(Map.of());
    }

    /**
     * The bytes of one of the reference run's files: report.json, metrics.csv, or a picture its report
     * lists among its artifacts; empty for any other name (so no name reaches the class path unchecked).
     */
    @SuppressWarnings("unchecked")
    public static Optional<byte[]> file(String experimentId, String name) {
        Optional<Map<String, Object>> report = report(experimentId);
        if (report.isEmpty()) {
            return Optional.empty();
        }
        List<Object> artifacts = (List<Object>) report.get().getOrDefault("artifacts", List.of());
        boolean listed = name.equals(RunDirectory.REPORT_FILE)
                || name.endsWith(".png") && artifacts.contains(name)
                || name.equals("metrics.csv") && artifacts.contains(name);
        return listed ? bytes(experimentId, name) : Optional.empty();
    }

    private static Optional<Map<String, Object>> readJson(String experimentId, String name) {
        return bytes(experimentId, name).map(bytes -> {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = JSON.readValue(bytes, Map.class);
                return map;
            } catch (IOException e) {
                throw new UncheckedIOException("reference run of " + experimentId + ": " + name + " is not JSON", e);
            }
        });
    }

    private static Optional<byte[]> bytes(String experimentId, String name) {
        if (!experimentId.matches("(task|lab)/[a-z0-9-]+") || name.contains("..") || name.startsWith("/")) {
            return Optional.empty();
        }
        try (InputStream in = ReferenceRuns.class.getResourceAsStream("/reference/" + experimentId + "/" + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
