package dlbank.cli;

import dlbank.UserException;
import dlbank.experiment.RunConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report folder (default: runs/<id>/<yyyyMMdd-HHmmss>/).")
    Path out;

    RunConfig toConfig() {
        if (epochs != null && epochs < 1) {
            throw UserException.usage("--epochs must be at least 1, not " + epochs);
        }
        if (batchSize != null && batchSize < 1) {
            throw UserException.usage("--batch-size must be at least 1, not " + batchSize);
        }
        if (patience < 0) {
            throw UserException.usage("--patience must be 0 (off) or more, not " + patience);
        }
        return new RunConfig(seed, epochs, batchSize, quick, device.device, patience);
    }
}
