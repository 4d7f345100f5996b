package dlbank.report;

import dlbank.UserException;
import dlbank.model.SavedModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which saved model {@code predict} uses when the user names none: the most accurate one from a
 * finished full-length run (full mode, the experiment's own epochs and batch size), so that a short
 * experiment run afterwards does not quietly replace a good model; the newest saved model only when
 * there is no such run.
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
        List<Path> withModel = RunDirectory.runFolders(experimentId).stream()
                .filter(RunDirectory::isFinished)
                .filter(run -> Files.isRegularFile(run.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE)))
                .toList();
        if (withModel.isEmpty()) {
            throw UserException.usage("error.model.none-trained", experimentId,
                    RunDirectory.experimentRoot(experimentId));
        }
        Optional<Path> best = withModel.stream().filter(ModelChoice::fullLength)
                .max(Comparator.comparingDouble(ModelChoice::testAccuracy));
        if (best.isPresent()) {
            return new ModelChoice(best.get().resolve("model"), String.format("%s (test accuracy %.4f, the most accurate "
                    + "full-length run of %d with a model)", best.get().resolve("model"), testAccuracy(best.get()),
                    withModel.size()));
        }
        Path newest = withModel.get(0);
        return new ModelChoice(newest.resolve("model"), String.format("%s (test accuracy %.4f; the newest model: no "
                + "full-length run has one yet)", newest.resolve("model"), testAccuracy(newest)));
    }

    /**
     * For experiments without an accuracy (a generator, a denoiser): the user's folder, else the newest
     * full-length run's model, else the newest model.
     */
    public static ModelChoice ofAnyModel(String experimentId, Path userFolder) {
        if (userFolder != null) {
            return new ModelChoice(userFolder, userFolder + " (given with --model)");
        }
        List<Path> withModel = RunDirectory.runFolders(experimentId).stream()
                .filter(RunDirectory::isFinished)
                .filter(run -> Files.isRegularFile(run.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE)))
                .toList();
        if (withModel.isEmpty()) {
            throw UserException.usage("error.model.none-trained", experimentId,
                    RunDirectory.experimentRoot(experimentId));
        }
        Optional<Path> full = withModel.stream().filter(ModelChoice::fullLength).findFirst();
        Path chosen = full.orElse(withModel.get(0));
        return new ModelChoice(chosen.resolve("model"), chosen.resolve("model") + (full.isPresent()
                ? " (the newest full-length run)" : " (the newest model: no full-length run has one yet)"));
    }

    /** The most accurate full-length run's model folder of the given architecture, if there is one. */
    public static java.util.Optional<Path> bestFullLength(String experimentId, String architecture) {
        return RunDirectory.runFolders(experimentId).stream()
                .filter(RunDirectory::isFinished)
                .filter(run -> Files.isRegularFile(run.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE)))
                .filter(run -> architecture.equals(SavedModel.architecture(run.resolve("model"))))
                .filter(ModelChoice::fullLength)
                .max(Comparator.comparingDouble(ModelChoice::testAccuracy))
                .map(run -> run.resolve("model"));
    }

    @SuppressWarnings("unchecked")
    private static boolean fullLength(Path run) {
        Map<String, Object> report = RunDirectory.readReport(run);
        Map<String, Object> config = (Map<String, Object>) report.getOrDefault("user_config", Map.of());
        return "full".equals(report.get("mode")) && config.get("epochs") == null && config.get("batch_size") == null;
    }

    @SuppressWarnings("unchecked")
    private static double testAccuracy(Path run) {
        Object metrics = RunDirectory.readReport(run).get("metrics");
        Object value = metrics instanceof Map<?, ?> map ? ((Map<String, Object>) map).get("test_accuracy") : null;
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
