package dlbank.experiment;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.EncodedReviews;
import dlbank.data.ImdbSplit;
import dlbank.data.TextTokenizer;
import dlbank.data.Vocabulary;
import dlbank.eval.Predictions;
import dlbank.model.TextClassifier;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

import java.util.List;

/**
 * What the IMDb experiments share: the text pipeline from reviews to padded id rows, and training
 * one {@link TextClassifier} on them with the fit loop (checkpoints, resume, best epoch kept).
 */
public final class ImdbTraining {

    private ImdbTraining() {}

    /** How the reviews become rows of ids. */
    public record Encoding(int words, int length, Vocabulary.Truncation truncation, int validationReviews) {}

    /**
     * The encoded splits. The validation reviews are the last ones of the (shuffled) training split;
     * the vocabulary comes from the rest of the training split only.
     */
    public record Data(Vocabulary vocabulary, EncodedReviews train, EncodedReviews validation, EncodedReviews test,
                       String splitDescription, EncodedReviews.Stats stats) {}

    /**
     * How one classifier is trained.
     *
     * @param clipGradient each gradient value clipped to [-c, c]: recurrent nets' gradients can
     *                     explode (the SimpleRNN's validation loss jumped without it); -1 = none
     * @param bestByAccuracy keep the epoch with the highest validation accuracy, not the lowest validation loss
     */
    public record Training(int epochs, int batchSize, float learningRate, float clipGradient, boolean bestByAccuracy) {
        public Training(int epochs, int batchSize, float learningRate, float clipGradient) {
            this(epochs, batchSize, learningRate, clipGradient, false);
        }
    }

    /** A trained classifier (still open: the caller closes it) and what was measured on it. */
    public record Trained(Model model, FitLoop.Outcome outcome, double validationAccuracy, float[] testProbabilities,
                          long parameters, double trainSeconds) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    public static Data prepare(RunContext context, Encoding encoding) {
        long begin = System.nanoTime();
        ImdbSplit split = ImdbSplit.load(context.dataHome(), context::info);
        int validation = Math.min(encoding.validationReviews(), split.train().size() / 5);
        int fit = split.train().size() - validation;
        Vocabulary vocabulary = Vocabulary.build(
                split.train().subList(0, fit).stream().map(review -> TextTokenizer.tokenize(review.text())).toList(),
                encoding.words());
        EncodedReviews train = EncodedReviews.encode(split.train(), vocabulary, encoding.length(), encoding.truncation());
        EncodedReviews test = EncodedReviews.encode(split.test(), vocabulary, encoding.length(), encoding.truncation());
        EncodedReviews.Stats trainStats = train.stats(vocabulary.size());
        EncodedReviews.Stats testStats = test.stats(vocabulary.size());
        EncodedReviews.Stats stats = new EncodedReviews.Stats(trainStats.rows() + testStats.rows(),
                trainStats.malformedRows() + testStats.malformedRows(),
                trainStats.idsOutOfRange() + testStats.idsOutOfRange(),
                trainStats.realTokens() + testStats.realTokens(),
                trainStats.unknownTokens() + testStats.unknownTokens(),
                trainStats.truncatedRows() + testStats.truncatedRows());
        context.info(String.format("%s; %,d training (%,d of them held out for validation) and %,d test reviews; "
                        + "vocabulary %,d words + padding + unknown; %d tokens per review (%s), %.1f s",
                split.description(), split.train().size(), validation, split.test().size(), vocabulary.size() - 2,
                encoding.length(), encoding.truncation() == Vocabulary.Truncation.KEEP_LAST ? "the last ones kept"
                        : "the first ones kept", (System.nanoTime() - begin) / 1e9));
        return new Data(vocabulary, train.range(0, fit), train.range(fit, train.size()), test, split.description(), stats);
    }

    /**
     * Trains one classifier, seeded by the run's seed, keeping the epoch with the lowest validation
     * loss; {@code name} names its checkpoint folder so several models of one run resume separately.
     */
    public static Trained train(RunContext context, Data data, TextClassifier.Config config, Training training,
                                String name) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        CheckpointedAdam optimizer = new CheckpointedAdam(training.learningRate(), training.clipGradient());
        Model model = Model.newInstance("imdb-" + name, context.device());
        try {
            model.setBlock(new TextClassifier(config));
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()});
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(training.batchSize(), data.train().length()));
                NDManager manager = trainer.getManager();
                FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.binaryLogitScorer(), context.progress(), "review");
                FitLoop.Data validation = new FitLoop.Data(data.validation().ids(manager), data.validation().labels(manager));
                FitLoop.Outcome outcome = loop.fit(
                        new FitLoop.Data(data.train().ids(manager), data.train().labels(manager)), validation,
                        new FitLoop.Settings(training.epochs(), training.batchSize(), context.config().seed(),
                                context.config().patience(), context.checkpointDir().resolve(name), context.resume(),
                                true, training.bestByAccuracy()));
                double validationAccuracy = loop.evaluate(validation, 500).accuracy();
                float[] test = Predictions.positiveProbabilities(model.getBlock(), manager, data.test().ids(manager), 500);
                double seconds = outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).sum();
                return new Trained(model, outcome, validationAccuracy, test, dlbank.model.ParameterCount.of(model.getBlock()), seconds);
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
