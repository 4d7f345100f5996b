package dlbank.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.UserException;
import dlbank.experiment.RunConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folders runs write into: {@code runs/<experiment id>/<yyyyMMdd-HHmmss>/} under the working
 * directory. A run folder holds {@code run.json} (the configuration, written first) and, once the
 * run finishes, {@code report.json}; a folder with the first and without the second is an
 * interrupted run that {@code --resume} continues.
 */
public final class RunDirectory {

    public static final String RUN_FILE = "run.json";
    public static final String REPORT_FILE = "report.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {}

    /** {@code runs/} in the working directory (the system property {@code dlbank.runs} moves it, for tests). */
    public static Path runsRoot() {
        return Path.of(System.getProperty("dlbank.runs", "runs")).toAbsolutePath();
    }

    public static Path experimentRoot(String experimentId) {
        return runsRoot().resolve(experimentId);
    }

    /** A new, empty folder for a run of the experiment, named by the current time. */
    public static Path create(String experimentId) {
        Path root = experimentRoot(experimentId);
        String stamp = LocalDateTime.now().format(STAMP);
        try {
            Files.createDirectories(root);
            for (int attempt = 1; ; attempt++) {
                Path dir = root.resolve(attempt == 1 ? stamp : stamp + "-" + attempt);
                try {
                    return Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // Two runs in one second: take the next suffix.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + root + ": " + e.getMessage(), e);
        }
    }

    /** Prepares a folder the user named with --out; refuses one that holds a finished run. */
    public static Path prepareUserFolder(Path dir) {
        if (Files.exists(dir.resolve(REPORT_FILE))) {
            throw UserException.usage("error.run.out-finished", dir);
        }
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw UserException.usage("error.run.out-create", dir, UserException.reason(e));
        }
    }

    public static boolean isFinished(Path dir) {
        return Files.isRegularFile(dir.resolve(REPORT_FILE));
    }

    public static boolean isInterrupted(Path dir) {
        return Files.isRegularFile(dir.resolve(RUN_FILE)) && !isFinished(dir);
    }

    /** The newest run folder of the experiment that started but did not finish. */
    public static Optional<Path> latestInterrupted(String experimentId) {
        return runFolders(experimentId).stream().filter(RunDirectory::isInterrupted).findFirst();
    }

    /** The newest finished run folder of the experiment. */
    public static Optional<Path> latestFinished(String experimentId) {
        return runFolders(experimentId).stream().filter(RunDirectory::isFinished).findFirst();
    }

    /** The newest finished full-mode run with the experiment's default settings (any seed). */
    public static Optional<Path> latestDefault(String experimentId) {
        return runFolders(experimentId).stream().filter(RunDirectory::isFinished)
                .filter(dir -> Boolean.TRUE.equals(readReport(dir).get("default_setting"))).findFirst();
    }

    /**
     * The run that {@code show} and the page present for the experiment: the newest finished run with
     * the default settings, else the newest finished run.
     */
    public static Optional<Path> latestShown(String experimentId) {
        return latestDefault(experimentId).or(() -> latestFinished(experimentId));
    }

    /** Run folders of the experiment (folders with run.json), newest first (names sort by time). */
    public static List<Path> runFolders(String experimentId) {
        return allFolders(experimentId).stream().filter(dir -> Files.isRegularFile(dir.resolve(RUN_FILE))).toList();
    }

    /** Every folder under runs/<id>/ (runs and seed series), newest first. */
    public static List<Path> allFolders(String experimentId) {
        Path root = experimentRoot(experimentId);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory)
                    .sorted(Comparator.comparing((Path path) -> path.getFileName().toString()).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes run.json: what runs, with which configuration, since when. */
    public static void writeRunFile(Path dir, String experimentId, RunConfig config) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("experiment", experimentId);
        run.put("config", config.toMap());
        run.put("started", java.time.OffsetDateTime.now().toString());
        AtomicFiles.write(dir.resolve(RUN_FILE), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, run));
    }

    /** The configuration an interrupted run started with. */
    @SuppressWarnings("unchecked")
    public static RunConfig readRunConfig(Path dir) {
        try {
            Map<String, Object> run = JSON.readValue(dir.resolve(RUN_FILE).toFile(), Map.class);
            if (run == null || !(run.get("config") instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("no \"config\" object");
            }
            RunConfig config = RunConfig.fromMap((Map<String, Object>) run.get("config"));
            if (config.epochs() != null && config.epochs() < 1 || config.batchSize() != null && config.batchSize() < 1
                    || config.patience() < 0 || config.device() == null) {
                throw new IllegalArgumentException("epochs " + config.epochs() + ", batch size " + config.batchSize()
                        + ", patience " + config.patience() + ", device " + config.device());
            }
            return config;
        } catch (UserException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw UserException.input("error.file.unreadable", dir.resolve(RUN_FILE), UserException.reason(e));
        }
    }

    /** report.json of a finished run, as a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readReport(Path dir) {
        Map<String, Object> report;
        try {
            report = JSON.readValue(dir.resolve(REPORT_FILE).toFile(), Map.class);
        } catch (IOException e) {
            throw UserException.input("error.file.unreadable", dir.resolve(REPORT_FILE), UserException.reason(e));
        }
        if (report == null) {
            throw UserException.input("error.report.malformed", dir.resolve(REPORT_FILE), "null");
        }
        return report;
    }
}
