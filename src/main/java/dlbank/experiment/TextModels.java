package dlbank.experiment;

import dlbank.experiment.lab.LlmDecodingLab;
import dlbank.experiment.task.ImdbRnnTask;
import dlbank.model.LanguageModel;
import dlbank.model.SavedModel;
import dlbank.model.SentimentModel;
import dlbank.report.ModelChoice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The trained text models that lab/post-training builds on: lab/llm-decoding's language model and
 * task/imdb-rnn's sentiment classifier. Each is the best full-length saved run's model or, when there
 * is none (and always in quick mode), one trained now inside the asking run's folder, kept there so a
 * resumed run reuses it.
 */
public final class TextModels {

    private TextModels() {}

    /** The language model's folder; trains lab/llm-decoding into {@code <run>/llm-decoding/} first if needed. */
    public static Path languageModel(RunContext context) throws Exception {
        return require(context, LlmDecodingLab.ID, LanguageModel.ARCHITECTURE, "llm-decoding", Map.of(),
                () -> new LlmDecodingLab());
    }

    /**
     * The sentiment classifier's folder; in quick mode, or when no full run has saved one, trains
     * task/imdb-rnn into {@code <run>/imdb-rnn/} (one GRU in quick mode, the task's four cells otherwise).
     */
    public static Path sentimentClassifier(RunContext context) throws Exception {
        return require(context, ImdbRnnTask.ID, SentimentModel.ARCHITECTURE, "imdb-rnn",
                context.quick() ? Map.of("cell", "gru") : Map.of(), ImdbRnnTask::new);
    }

    private static Path require(RunContext context, String id, String architecture, String folder,
                                Map<String, String> options, java.util.function.Supplier<Experiment> experiment)
            throws Exception {
        Path own = context.outputDir().resolve(folder);
        if (Files.isRegularFile(own.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE))) {
            return own.resolve("model");
        }
        if (!context.quick()) {
            Optional<Path> saved = ModelChoice.bestFullLength(id, architecture);
            if (saved.isPresent()) {
                context.info(id + " model: " + saved.get());
                return saved.get();
            }
        }
        context.info("training " + id + " first (" + (context.quick() ? "quick" : "full") + " mode) into " + own);
        RunConfig config = new RunConfig(context.config().seed(), null, null, context.quick(), context.config().device(), 0,
                options);
        experiment.get().run(new RunContext(config, own, context.progress(), context.dataHome(), context.device(), false));
        return own.resolve("model");
    }
}
