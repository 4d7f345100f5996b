package dlbank.experiment;

import ai.djl.Device;
import dlbank.data.DataHome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything an experiment needs from outside: the user's configuration, the run folder to write
 * into, where to report progress, where the data sets are, the device to compute on, and whether to
 * continue the interrupted run whose checkpoint is in the run folder.
 */
public record RunContext(
        RunConfig config, Path outputDir, ProgressSink progress, DataHome dataHome, Device device, boolean resume) {

    /** A path inside the run folder, with its parent folders created. */
    public Path file(String relative) {
        Path path = outputDir.resolve(relative);
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /** Where the training loop keeps its per-epoch checkpoint; deleted once the run has finished. */
    public Path checkpointDir() {
        return checkpointDir(outputDir);
    }

    public static Path checkpointDir(Path runDir) {
        return runDir.resolve("checkpoint");
    }

    public boolean quick() {
        return config.quick();
    }

    public void info(String line) {
        progress.info(line);
    }
}
