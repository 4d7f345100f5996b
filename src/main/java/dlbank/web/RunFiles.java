package dlbank.web;

import dlbank.experiment.ExperimentRegistry;
import dlbank.report.RunDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The only files the page serves from disk: a run's pictures, report and metrics, named by
 * experiment id, run folder and file name. Anything else is 404: {@code ..}, absolute paths,
 * encoded separators, names of other kinds, and symbolic links whose target lies outside
 * {@code runs/}.
 */
final class RunFiles {

    /** A folder name under runs/<id>/: a run (20261130-003918, -2 when two start in one second) or a seed series. */
    private static final Pattern RUN_NAME = Pattern.compile("[0-9]{8}-[0-9]{6}(-[0-9]{1,3})?(-seeds)?");
    /** One path segment: letters, digits, '_', '-', '.', not starting with '.'. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
    static final Map<String, String> TYPES = Map.of(
            "png", "image/png", "json", "application/json; charset=utf-8", "csv", "text/csv; charset=utf-8");

    private RunFiles() {}

    /** A run folder of a known experiment, or 404. */
    static Path runFolder(String experimentId, String run) {
        if (ExperimentRegistry.find(experimentId).isEmpty() || run == null || !RUN_NAME.matcher(run).matches()) {
            throw WebError.notFound("run " + experimentId + "/" + run);
        }
        Path dir = RunDirectory.experimentRoot(experimentId).resolve(run);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !inside(dir)) {
            throw WebError.notFound("run " + experimentId + "/" + run);
        }
        return dir;
    }

    /**
     * A file of a run: a picture, at most one sub-folder deep (samples/epoch-01.png), or a JSON or CSV
     * file at its top (report.json, metrics.csv), whose real location (symbolic links followed) lies
     * under runs/.
     */
    static Path file(String experimentId, String run, String relative) {
        Path dir = runFolder(experimentId, run);
        String[] segments = relative == null ? new String[0] : relative.split("/", -1);
        if (segments.length < 1 || segments.length > 2) {
            throw WebError.notFound("file " + relative);
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                throw WebError.notFound("file " + relative);
            }
        }
        // Pictures may sit one folder down (samples/epoch-01.png); the report and metrics only at the top.
        if (!TYPES.containsKey(extension(relative)) || segments.length == 2 && !relative.endsWith(".png")) {
            throw WebError.notFound("file " + relative);
        }
        Path file = dir.resolve(relative).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file) || !inside(file)) {
            throw WebError.notFound("file " + relative);
        }
        return file;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    /** True when the path's real location (every link followed) is under the real runs/ folder. */
    private static boolean inside(Path path) {
        try {
            return path.toRealPath().startsWith(RunDirectory.runsRoot().toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
