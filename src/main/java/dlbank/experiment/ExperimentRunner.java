package dlbank.experiment;

import ai.djl.Device;
import dlbank.UserException;
import dlbank.data.DataHome;
import dlbank.report.AtomicFiles;
import dlbank.report.ReportWriter;
import dlbank.report.RunDirectory;
import dlbank.train.Devices;
import dlbank.train.StepGuard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one experiment into a run folder and writes its report: what {@code dlbank run} and the web
 * page both call. The folder holds run.json (written by the caller); report.json marks it finished.
 */
public final class ExperimentRunner {

    private ExperimentRunner() {}

    /**
     * @param createdForThisRun the folder was made for this run, so a failure before anything was
     *                          written removes it (and --resume never mistakes it for an interrupted run)
     * @return the report as written into report.json
     */
    public static Map<String, Object> run(Experiment experiment, RunConfig config, Path runDir, boolean resuming,
                                          boolean createdForThisRun, ProgressSink progress, DataHome dataHome,
                                          Device device) {
        RunContext context = new RunContext(config, runDir, progress, dataHome, device, resuming);
        long begin = System.nanoTime();
        long skippedBefore = StepGuard.skippedInProcess();
        Result result;
        try {
            result = Devices.withoutGradMode(() -> {
                try {
                    return experiment.run(context);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new Wrapped(e);
                }
            });
        } catch (Wrapped wrapped) {
            forgetIfEmpty(runDir, createdForThisRun && !resuming);
            throw new IllegalStateException(experiment.id() + " failed: " + wrapped.getCause(), wrapped.getCause());
        } catch (UserException | java.io.UncheckedIOException e) {
            // A user's error, or a file that cannot be written or read (a full disk): one line, not a bug.
            forgetIfEmpty(runDir, createdForThisRun && !resuming);
            throw e;
        } catch (Exception e) {
            forgetIfEmpty(runDir, createdForThisRun && !resuming);
            throw new IllegalStateException(experiment.id() + " failed: " + e, e);
        }
        double wallSeconds = (System.nanoTime() - begin) / 1e9;
        Map<String, Object> report = ReportWriter.write(runDir, experiment, config, result, device.toString(), wallSeconds,
                StepGuard.skippedInProcess() - skippedBefore);
        // A finished run keeps its model; the per-epoch checkpoint was only for resuming.
        AtomicFiles.deleteTreeQuietly(RunContext.checkpointDir(runDir));
        return report;
    }

    /** A checked exception of the experiment, carried through the grad-mode wrapper. */
    private static final class Wrapped extends RuntimeException {
        Wrapped(Exception cause) {
            super(cause);
        }
    }

    /**
     * A run that failed before writing anything (bad data, bad device) leaves no folder behind that
     * {@code --resume} would later take for an interrupted run.
     */
    private static void forgetIfEmpty(Path runDir, boolean createdHere) {
        try (var entries = Files.list(runDir)) {
            if (entries.allMatch(path -> path.getFileName().toString().equals(RunDirectory.RUN_FILE))) {
                Files.deleteIfExists(runDir.resolve(RunDirectory.RUN_FILE));
                if (createdHere) {
                    Files.deleteIfExists(runDir);
                }
            }
        } catch (IOException e) {
            // Leaving the folder is harmless.
        }
    }
}
