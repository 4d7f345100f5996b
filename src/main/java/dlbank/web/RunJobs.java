package dlbank.web;

import ai.djl.Device;
import dlbank.UserException;
import dlbank.data.DataHome;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRunner;
import dlbank.experiment.RunConfig;
import dlbank.report.RunDirectory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The page's runs: one at a time, each on its own thread, through the same
 * {@link ExperimentRunner#run} call as {@code dlbank run}, into the same run folders. A second
 * request while one runs is refused with 409, naming the run.
 */
final class RunJobs {

    private final DataHome dataHome;
    private final Device device;
    private RunJob current;

    RunJobs(DataHome dataHome, Device device) {
        this.dataHome = dataHome;
        this.device = device;
    }

    /** Starts a run, or refuses while another is going. */
    synchronized RunJob start(Experiment experiment, RunConfig config) {
        if (current != null && !current.over()) {
            throw new WebError(409, "a run is already going: " + current.describe() + "; cancel it or wait for it",
                    "已有一个运行在进行：" + current.describe() + "；请先取消或等它结束");
        }
        Path runDir = RunDirectory.create(experiment.id());
        RunDirectory.writeRunFile(runDir, experiment.id(), config);
        RunJob job = new RunJob(experiment.id(), config.quick(), runDir);
        current = job;
        Thread thread = new Thread(() -> run(job, experiment, config), "dlbank-run " + experiment.id());
        thread.setDaemon(true);
        thread.start();
        return job;
    }

    private void run(RunJob job, Experiment experiment, RunConfig config) {
        job.line(String.format("%s (%s mode, seed %d, %s) -> %s", experiment.id(), config.quick() ? "quick" : "full",
                config.seed(), device, job.runDir()));
        try {
            ExperimentRunner.run(experiment, config, job.runDir(), false, true, new WebProgress(job), dataHome, device);
            job.finish(RunJob.State.FINISHED, "report: " + job.runDir().resolve(RunDirectory.REPORT_FILE));
        } catch (RuntimeException e) {
            if (causedBy(e, WebProgress.Cancelled.class) != null) {
                job.finish(RunJob.State.CANCELLED, "cancelled; 'dlbank run " + experiment.id()
                        + " --resume' continues it from its last finished epoch");
            } else if (causedBy(e, UserException.class) instanceof UserException user) {
                job.finish(RunJob.State.FAILED, user.getMessage());
            } else {
                System.err.println("dlbank serve: " + experiment.id() + " failed: " + e);
                job.finish(RunJob.State.FAILED, "internal error: " + e.getClass().getSimpleName()
                        + " (the server's output has the details)");
            }
        } catch (Error e) {
            job.finish(RunJob.State.FAILED, "internal error: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    private static Throwable causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    /** The running job, or the last one (so a page that opens after the end still sees how it ended). */
    synchronized Optional<RunJob> current() {
        return Optional.ofNullable(current);
    }

    /** Asks the running job to stop; false when none runs. */
    synchronized boolean cancel() {
        if (current == null || current.over()) {
            return false;
        }
        current.requestCancel();
        return true;
    }

    /** Cancels the running job and waits a little for it to stop: the server is shutting down. */
    void close() {
        Optional<RunJob> job = current();
        if (cancel()) {
            try {
                job.get().awaitEnd(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
