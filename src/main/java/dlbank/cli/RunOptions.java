package dlbank.cli;

import dlbank.UserException;
import dlbank.experiment.RunConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options every training command shares; each maps one to one onto a {@link RunConfig} field.
 * Their help, in English and Chinese, is in dlbank/cli/help*.properties ({@code dlbank.run.<option>}).
 */
final class RunOptions {

    @Option(names = "--epochs", paramLabel = "N")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42")
    long seed;

    @Option(names = "--quick")
    boolean quick;

    @Mixin
    DeviceOption device;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0")
    int patience;

    @Option(names = "--model", paramLabel = "NAME")
    String model;

    @Option(names = "--cell", paramLabel = "CELL")
    String cell;

    @Option(names = "--length", paramLabel = "N")
    Integer length;

    @Option(names = "--pooling", paramLabel = "HOW")
    String pooling;

    @Option(names = "--learning-rate", paramLabel = "LR")
    Double learningRate;

    @Option(names = "--words", paramLabel = "N")
    Integer words;

    @Option(names = "--embedding", paramLabel = "N")
    Integer embedding;

    @Option(names = "--hidden", paramLabel = "N")
    Integer hidden;

    @Option(names = "--dropout", paramLabel = "P")
    Double dropout;

    @Option(names = "--keep-best", paramLabel = "loss|accuracy")
    String keepBest;

    @Option(names = "--noise", paramLabel = "SIGMA")
    Double noise;

    @Option(names = "--out", paramLabel = "DIR")
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
        put(options, "words", words);
        put(options, "learning-rate", learningRate);
        put(options, "embedding", embedding);
        put(options, "hidden", hidden);
        put(options, "dropout", dropout);
        put(options, "keep-best", keepBest);
        put(options, "noise", noise);
        return new RunConfig(seed, epochs, batchSize, quick, device.device, patience, options);
    }

    private static void put(Map<String, String> options, String name, Object value) {
        if (value != null) {
            options.put(name, value.toString());
        }
    }
}
