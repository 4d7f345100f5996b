package dlbank.web;

import dlbank.report.ReferenceRuns;
import dlbank.report.RunDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How long a run will take, for its button: this machine's own last run in that mode when there is
 * one, else the build machine's (a full run: the reference run's wall time; a quick run: the time
 * measured there, in reference/quick-seconds.properties). No figure when none was measured.
 */
final class RunEstimates {

    private static final Properties QUICK = load();

    private RunEstimates() {}

    /** Seconds, or empty. */
    static Optional<Double> seconds(String experimentId, boolean quick) {
        for (Path dir : RunDirectory.runFolders(experimentId)) {
            if (!RunDirectory.isFinished(dir)) {
                continue;
            }
            Map<String, Object> report = RunDirectory.readReport(dir);
            boolean matches = quick ? "quick".equals(report.get("mode")) : Boolean.TRUE.equals(report.get("default_setting"));
            if (matches && report.get("wall_seconds") instanceof Number seconds) {
                return Optional.of(seconds.doubleValue());
            }
        }
        if (quick) {
            String measured = QUICK.getProperty(experimentId);
            return measured == null ? Optional.empty() : Optional.of(Double.parseDouble(measured));
        }
        return ReferenceRuns.report(experimentId).map(report -> report.get("wall_seconds"))
                .filter(Number.class::isInstance).map(value -> ((Number) value).doubleValue());
    }

    /** " · about 45 s" / " · 约 45 秒", or "" when nothing was measured. */
    static String label(String experimentId, boolean quick, Lang lang) {
        return seconds(experimentId, quick).map(seconds -> (lang.zh() ? " · 约 " : " · about ") + duration(seconds, lang))
                .orElse("");
    }

    /** 44.2 -> "44 s" / "44 秒"; 157 -> "2 min 37 s" / "2 分 37 秒"; 3,900 -> "1 h 5 min" / "1 小时 5 分". */
    static String duration(double seconds, Lang lang) {
        long s = Math.max(1, Math.round(seconds));
        if (s < 60) {
            return s + (lang.zh() ? " 秒" : " s");
        }
        if (s < 3600) {
            long minutes = s / 60;
            long rest = s % 60;
            return lang.zh() ? minutes + " 分" + (rest > 0 ? " " + rest + " 秒" : "")
                    : minutes + " min" + (rest > 0 ? " " + rest + " s" : "");
        }
        long hours = s / 3600;
        long minutes = Math.round((s % 3600) / 60.0);
        return lang.zh() ? hours + " 小时" + (minutes > 0 ? " " + minutes + " 分" : "")
                : hours + " h" + (minutes > 0 ? " " + minutes + " min" : "");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = RunEstimates.class.getResourceAsStream("/reference/quick-seconds.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
