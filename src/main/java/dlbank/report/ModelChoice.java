package dlbank.report;

import dlbank.UserException;
import dlbank.experiment.RunConfig;
import dlbank.model.SavedModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which saved model {@code predict} uses when the user names none: the most accurate one from a
 * finished run with the experiment's default settings (full mode; nothing but the seed and the device
 * changed), so that a short experiment or another architecture run afterwards does not quietly
 * replace a good model; the newest saved model only when there is no such run. The description names
 * the folder, the seed, the test accuracy and why this one.
 *
 * @param modelDir the model folder
 * @param description what the model is, for the line {@code predict} prints
 */
public record ModelChoice(Path modelDir, String description) {

    /** The user's folder if given, else the best saved model of the experiment. */
    public static ModelChoice of(String experimentId, Path userFolder) {
        if (userFolder != null) {
            return new ModelChoice(userFolder, userFolder + " (given with --model)");
        }
        List<Path> withModel = finishedWithModel(experimentId);
        List<Path> defaults = withModel.stream().filter(ModelChoice::defaultSetting).toList();
        // Newest first, and max keeps the first of equals: of equally accurate runs, the newest.
        Optional<Path> best = defaults.stream().max(Comparator.comparingDouble(ModelChoice::testAccuracy));
        if (best.isPresent()) {
            return new ModelChoice(best.get().resolve("model"), String.format("%s (%s: the most accurate of %d %s "
                    + "with the default settings)", best.get().resolve("model"), summary(best.get()), defaults.size(),
                    defaults.size() == 1 ? "run" : "runs"));
        }
        Path newest = withModel.get(0);
        return new ModelChoice(newest.resolve("model"), String.format("%s (%s; the newest model: no run with the "
                + "default settings has one yet)", newest.resolve("model"), summary(newest)));
    }

    /**
     * For experiments without an accuracy (a generator, a denoiser): the user's folder, else the newest
     * full-length run's model, else the newest model.
     */
    public static ModelChoice ofAnyModel(String experimentId, Path userFolder) {
        if (userFolder != null) {
            return new ModelChoice(userFolder, userFolder + " (given with --model)");
        }
        List<Path> withModel = finishedWithModel(experimentId);
        Optional<Path> full = withModel.stream().filter(ModelChoice::fullLength).findFirst();
        Path chosen = full.orElse(withModel.get(0));
        return new ModelChoice(chosen.resolve("model"), chosen.resolve("model") + (full.isPresent()
                ? " (the newest full-length run)" : " (the newest model: no full-length run has one yet)"));
    }

    /** The most accurate full-length run's model folder of the given architecture, if there is one. */
    public static Optional<Path> bestFullLength(String experimentId, String architecture) {
        return RunDirectory.runFolders(experimentId).stream()
                .filter(RunDirectory::isFinished)
                .filter(run -> Files.isRegularFile(run.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE)))
                .filter(run -> architecture.equals(SavedModel.architecture(run.resolve("model"))))
                .filter(ModelChoice::fullLength)
                .max(Comparator.comparingDouble(ModelChoice::testAccuracy))
                .map(run -> run.resolve("model"));
    }

    /** True when a finished run of the experiment saved a model that {@link #of} or {@link #ofAnyModel} can choose. */
    public static boolean hasModel(String experimentId) {
        return RunDirectory.runFolders(experimentId).stream()
                .anyMatch(run -> RunDirectory.isFinished(run)
                        && Files.isRegularFile(run.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE)));
    }

    /** Finished runs that saved a model, newest first; a one-line error when there are none. */
    private static List<Path> finishedWithModel(String experimentId) {
        List<Path> withModel = RunDirectory.runFolders(experimentId).stream()
                .filter(RunDirectory::isFinished)
                .filter(run -> Files.isRegularFile(run.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE)))
                .toList();
        if (withModel.isEmpty()) {
            throw UserException.usage("error.model.none-trained", experimentId, RunDirectory.experimentRoot(experimentId));
        }
        return withModel;
    }

    /** Full mode with nothing but the seed and the device changed (reports before that flag: from their config). */
    @SuppressWarnings("unchecked")
    private static boolean defaultSetting(Path run) {
        Map<String, Object> report = RunDirectory.readReport(run);
        if (report.get("default_setting") instanceof Boolean flag) {
            return flag;
        }
        Object config = report.get("user_config");
        try {
            return config instanceof Map<?, ?> map && map.get("seed") != null
                    && RunConfig.fromMap((Map<String, Object>) map).isDefaultSetting() && "full".equals(report.get("mode"));
        } catch (RuntimeException e) {
            throw UserException.input("error.report.malformed", run.resolve(RunDirectory.REPORT_FILE), UserException.reason(e));
        }
    }

    /** "seed 42, test accuracy 0.9902". */
    private static String summary(Path run) {
        double accuracy = testAccuracy(run);
        return "seed " + RunDirectory.readReport(run).getOrDefault("seed", "?") + ", " + (Double.isInfinite(accuracy)
                ? "no test accuracy" : String.format("test accuracy %.4f", accuracy));
    }

    @SuppressWarnings("unchecked")
    private static boolean fullLength(Path run) {
        Map<String, Object> report = RunDirectory.readReport(run);
        Object user = report.get("user_config");
        Map<String, Object> config = user instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        return "full".equals(report.get("mode")) && config.get("epochs") == null && config.get("batch_size") == null;
    }

    @SuppressWarnings("unchecked")
    private static double testAccuracy(Path run) {
        Object metrics = RunDirectory.readReport(run).get("metrics");
        Object value = metrics instanceof Map<?, ?> map ? ((Map<String, Object>) map).get("test_accuracy") : null;
        // A run without the figure ranks last (Double.compare would put NaN above every number).
        return value instanceof Number number && !Double.isNaN(number.doubleValue()) ? number.doubleValue()
                : Double.NEGATIVE_INFINITY;
    }
}
