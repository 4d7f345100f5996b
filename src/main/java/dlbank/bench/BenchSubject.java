package dlbank.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlbank.UserException;
import dlbank.data.DataSet;
import dlbank.data.EncodedReviews;
import dlbank.data.ImageDataset;
import dlbank.data.ImdbSplit;
import dlbank.data.TextTokenizer;
import dlbank.data.Vocabulary;
import dlbank.experiment.task.ImdbRnnTask;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.MnistCnn;
import dlbank.model.MultiplyAdds;
import dlbank.model.TextClassifier;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What the benchmark trains: an experiment's model, loss and training data, and the model's
 * multiply-adds per example (to turn examples per second into floating-point operations per second).
 *
 * @param forwardMultiplyAdds counts the forward multiply-adds of one example, given the initialised block
 * @param stages the initialised block's forward pass in the pieces {@code bench --profile} times one by one
 */
public record BenchSubject(String id, String unit, Supplier<Block> block, IntFunction<Shape> batchShape, Loss loss,
                           FitLoop.Scorer scorer, Function<NDManager, FitLoop.Data> data,
                           Function<Block, Long> forwardMultiplyAdds, Function<Block, List<StepProfile.Stage>> stages) {

    /** The layers of task/mnist-cnn's CNN, as {@link MnistCnn#build} adds them. */
    private static final List<String> CNN_LAYERS = List.of("conv 32 3x3", "ReLU", "max-pool 2x2", "conv 64 3x3", "ReLU",
            "max-pool 2x2", "flatten", "dense 64", "ReLU", "dense 10");

    /** The experiments the benchmark knows: task/mnist-cnn and task/imdb-rnn. */
    public static BenchSubject of(String id, dlbank.data.DataHome home, Consumer<String> progress) {
        return switch (id) {
            case MnistCnnTask.ID -> mnistCnn(home, progress);
            case ImdbRnnTask.ID -> imdbLstm(home, progress);
            default -> throw UserException.usage("error.bench.unknown", MnistCnnTask.ID, ImdbRnnTask.ID, id);
        };
    }

    private static BenchSubject mnistCnn(dlbank.data.DataHome home, Consumer<String> progress) {
        ImageDataset train = ImageDataset.load(home, DataSet.MNIST, ImageDataset.Split.TRAIN, progress);
        return new BenchSubject(MnistCnnTask.ID, "img", MnistCnn::build, MnistCnn::inputShape,
                Loss.softmaxCrossEntropyLoss(), FitLoop.argmaxScorer(),
                manager -> new FitLoop.Data(train.images(manager), train.labels(manager)),
                block -> MultiplyAdds.forward((SequentialBlock) block, MnistCnn.inputShape(1)),
                BenchSubject::cnnStages);
    }

    private static List<StepProfile.Stage> cnnStages(Block block) {
        List<Block> layers = block.getChildren().values();
        if (layers.size() != CNN_LAYERS.size()) {
            throw new IllegalStateException("task/mnist-cnn's CNN has " + layers.size() + " layers; the profile names "
                    + CNN_LAYERS.size());
        }
        long[] multiplyAdds = MultiplyAdds.perChild((SequentialBlock) block, MnistCnn.inputShape(1));
        List<StepProfile.Stage> stages = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Block layer = layers.get(i);
            stages.add(stage(CNN_LAYERS.get(i), multiplyAdds[i],
                    (store, batch, previous) -> layer.forward(store, new NDList(previous), true).singletonOrThrow()));
        }
        return stages;
    }

    private static StepProfile.Stage stage(String name, long multiplyAdds, Apply apply) {
        return new StepProfile.Stage() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long multiplyAdds() {
                return multiplyAdds;
            }

            @Override
            public NDArray apply(ParameterStore store, NDArray batch, NDArray previous) {
                return apply.apply(store, batch, previous);
            }
        };
    }

    @FunctionalInterface
    private interface Apply {
        NDArray apply(ParameterStore store, NDArray batch, NDArray previous);
    }

    /** The task's LSTM (embedding 16, 50 units, length 100) on the encoded training reviews. */
    private static BenchSubject imdbLstm(dlbank.data.DataHome home, Consumer<String> progress) {
        int length = 100;
        int embedding = 16;
        int hidden = 50;
        ImdbSplit split = ImdbSplit.load(home, progress);
        Vocabulary vocabulary = Vocabulary.build(
                split.train().stream().map(review -> TextTokenizer.tokenize(review.text())).toList(),
                Vocabulary.DEFAULT_MAX_WORDS);
        EncodedReviews train = EncodedReviews.encode(split.train(), vocabulary, length, Vocabulary.Truncation.KEEP_LAST);
        TextClassifier.Config config = new TextClassifier.Config(TextClassifier.Cell.LSTM, TextClassifier.Pooling.LAST,
                vocabulary.size(), embedding, hidden);
        return new BenchSubject(ImdbRnnTask.ID, "review", () -> new TextClassifier(config),
                batch -> new Shape(batch, length), Loss.sigmoidBinaryCrossEntropyLoss(), FitLoop.binaryLogitScorer(),
                manager -> new FitLoop.Data(train.ids(manager), train.labels(manager)),
                block -> MultiplyAdds.lstm(length, embedding, hidden) + hidden,
                block -> {
                    TextClassifier model = (TextClassifier) block;
                    return List.of(
                            stage("embedding lookup", 0, (store, batch, previous) -> model.embedTokens(store, batch, true)),
                            stage("LSTM 50, 100 steps", MultiplyAdds.lstm(length, embedding, hidden),
                                    (store, batch, previous) -> model.recurrentStates(store, previous, true)),
                            stage("last state", 0, (store, batch, previous) -> TextClassifier.lastStates(batch, previous)),
                            stage("dense 1", hidden, (store, batch, previous) -> model.outputLogits(store, previous, true)));
                });
    }
}
