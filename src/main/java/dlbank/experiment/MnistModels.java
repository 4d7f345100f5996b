package dlbank.experiment;

import dlbank.experiment.task.MnistCnnTask;
import dlbank.report.ModelChoice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The trained task/mnist-cnn model (the specified architecture) that other experiments build on (the GAN's judge, the labs that
 * attack, compress or transfer it): the most accurate full-length saved run, or, when there is none,
 * one trained now inside the asking run's folder (kept there, so a resumed run reuses it).
 */
public final class MnistModels {

    private MnistModels() {}

    /** The model folder to use; trains task/mnist-cnn into {@code <run>/mnist-cnn/} first if needed. */
    public static Path require(RunContext context) throws Exception {
        Path own = context.outputDir().resolve("mnist-cnn");
        if (Files.isRegularFile(own.resolve("model").resolve(dlbank.model.SavedModel.ARCHITECTURE_FILE))) {
            return own.resolve("model");
        }
        if (!context.quick()) {
            Optional<Path> saved = ModelChoice.bestFullLength(MnistCnnTask.ID, MnistCnnTask.ARCHITECTURE);
            if (saved.isPresent()) {
                context.info("task/mnist-cnn model: " + saved.get());
                return saved.get();
            }
        }
        context.info("training task/mnist-cnn first (" + (context.quick() ? "quick" : "full") + " mode) into " + own);
        RunConfig config = new RunConfig(context.config().seed(), null, null, context.quick(),
                context.config().device(), 0, Map.of());
        new MnistCnnTask().run(new RunContext(config, own, context.progress(), context.dataHome(), context.device(), false));
        return own.resolve("model");
    }
}
