package dlbank.experiment;

import dlbank.experiment.task.MnistCnnTask;
import dlbank.report.ModelChoice;
import dlbank.report.RunDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The trained task/mnist-cnn model (the specified architecture) that other experiments build on (the GAN's judge, the labs that
 * attack, compress, transfer or inspect it): the most accurate full-length saved run, or, when there is none,
 * one trained now inside the asking run's folder (kept there, so a resumed run reuses it).
 */
public final class MnistModels {

    private MnistModels() {}

    /**
     * The model an experiment used, for its report: which folder, trained with which seed, and how
     * accurate it is on the MNIST test set.
     *
     * @param modelDir the model folder to load
     * @param run where it came from: the saved run folder, or "trained for this run"
     */
    public record Source(Path modelDir, String run, long seed, double testAccuracy) {
        /** "runs/task/mnist-cnn/20261207-081740 (seed 42, test accuracy 0.9902)". */
        public String description() {
            return String.format("%s (seed %d, test accuracy %.4f)", run, seed, testAccuracy);
        }

        /** Writes the description into the result's config and the accuracy into its metrics. */
        public void reportTo(Result.Builder result) {
            result.config("mnist_cnn_model", description()).metric("mnist_cnn_model_test_accuracy", testAccuracy);
        }
    }

    /** The model to use; trains task/mnist-cnn into {@code <run>/mnist-cnn/} first if needed. */
    public static Source require(RunContext context) throws Exception {
        Path own = context.outputDir().resolve("mnist-cnn");
        Path ownModel = own.resolve("model");
        if (Files.isRegularFile(ownModel.resolve(dlbank.model.SavedModel.ARCHITECTURE_FILE))) {
            // A resumed run keeps the model it started with.
            return Files.isRegularFile(own.resolve(RunDirectory.REPORT_FILE)) ? savedRun(ownModel)
                    : new Source(ownModel, "trained for this run in " + own.getFileName(), context.config().seed(), Double.NaN);
        }
        if (!context.quick()) {
            Optional<Path> saved = ModelChoice.bestFullLength(MnistCnnTask.ID, MnistCnnTask.ARCHITECTURE);
            if (saved.isPresent()) {
                Source source = savedRun(saved.get());
                context.info("task/mnist-cnn model: " + source.description());
                return source;
            }
        }
        context.info("training task/mnist-cnn first (" + (context.quick() ? "quick" : "full") + " mode) into " + own);
        RunConfig config = new RunConfig(context.config().seed(), null, null, context.quick(),
                context.config().device(), 0, Map.of());
        Result trained = new MnistCnnTask().run(new RunContext(config, own, context.progress(), context.dataHome(),
                context.device(), false));
        Source source = new Source(ownModel, "trained for this run in " + own.getFileName(), config.seed(),
                trained.metrics().getOrDefault("test_accuracy", Double.NaN));
        // Kept beside the model, so that a resumed run reports the same source.
        dlbank.report.AtomicFiles.writeBytes(own.resolve(RunDirectory.REPORT_FILE), new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsBytes(Map.of("seed", source.seed(), "metrics", Map.of("test_accuracy", source.testAccuracy()),
                        "run", source.run())));
        context.info("task/mnist-cnn model: " + source.description());
        return source;
    }

    @SuppressWarnings("unchecked")
    private static Source savedRun(Path modelDir) {
        Path run = modelDir.getParent();
        Map<String, Object> report = RunDirectory.readReport(run);
        Object metrics = report.get("metrics");
        Object accuracy = metrics instanceof Map<?, ?> map ? ((Map<String, Object>) map).get("test_accuracy") : null;
        Object seed = report.get("seed");
        Object name = report.get("run");
        return new Source(modelDir, name instanceof String text ? text : run.toString(),
                seed instanceof Number number ? number.longValue() : -1,
                accuracy instanceof Number number ? number.doubleValue() : Double.NaN);
    }
}
