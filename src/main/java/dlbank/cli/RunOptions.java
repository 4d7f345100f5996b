package dlbank.cli;

import dlbank.UserException;
import dlbank.experiment.RunConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options every training command shares; each maps one to one onto a {@link RunConfig} field. */
final class RunOptions {

    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the training data (default: the experiment's, e.g. 5 for task/mnist-cnn).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Examples per gradient step (default: the experiment's, e.g. 64).")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds weights, shuffling and sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick", description = "Small data and few steps: seconds instead of minutes.")
    boolean quick;

    @Mixin
    DeviceOption device;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
            description = "Stop after N epochs without a lower validation loss (default: ${DEFAULT-VALUE} = never).")
    int patience;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Which model: mlp or dcgan for task/mnist-gan (default: dcgan); "
                    + "specified or improved for task/mnist-cnn (default: specified).")
    String model;

    @Option(names = "--cell", paramLabel = "CELL",
            description = "Recurrent layer of task/imdb-rnn: simple, lstm, gru, bilstm or all (default: all).")
    String cell;

    @Option(names = "--length", paramLabel = "N",
            description = "Tokens kept per review in task/imdb-rnn (default: 100, as in the task).")
    Integer length;

    @Option(names = "--pooling", paramLabel = "HOW",
            description = "How task/imdb-rnn reads the recurrent states: last (the true last token), mean "
                    + "(over real tokens) or attention (default: last).")
    String pooling;

    @Option(names = "--embedding", paramLabel = "N",
            description = "Embedding size of task/imdb-rnn (default: 16, as in the task).")
    Integer embedding;

    @Option(names = "--hidden", paramLabel = "N",
            description = "Recurrent units of task/imdb-rnn (default: 50, as in the task).")
    Integer hidden;

    @Option(names = "--dropout", paramLabel = "P",
            description = "task/imdb-rnn: share of embedded inputs and of the pooled vector dropped in training "
                    + "(default: 0, as in the task).")
    Double dropout;

    @Option(names = "--noise", paramLabel = "SIGMA",
            description = "Gaussian noise level of task/denoising-autoencoder, on [0, 1] pixels (default: 0.5).")
    Double noise;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report folder (default: runs/<id>/<yyyyMMdd-HHmmss>/).")
    Path out;

    RunConfig toConfig() {
        if (epochs != null && epochs < 1) {
            throw UserException.usage("error.option.at-least-one", "epochs", epochs);
        }
        if (batchSize != null && batchSize < 1) {
            throw UserException.usage("error.option.at-least-one", "batch-size", batchSize);
        }
        if (patience < 0) {
            throw UserException.usage("error.option.patience", patience);
        }
        Map<String, String> options = new LinkedHashMap<>();
        put(options, "model", model);
        put(options, "cell", cell);
        put(options, "length", length);
        put(options, "pooling", pooling);
        put(options, "embedding", embedding);
        put(options, "hidden", hidden);
        put(options, "dropout", dropout);
        put(options, "noise", noise);
        return new RunConfig(seed, epochs, batchSize, quick, device.device, patience, options);
    }

    private static void put(Map<String, String> options, String name, Object value) {
        if (value != null) {
            options.put(name, value.toString());
        }
    }
}
