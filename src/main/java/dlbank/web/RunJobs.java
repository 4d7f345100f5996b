package dlbank.web;

import ai.djl.Device;
import dlbank.UserException;
import dlbank.data.DataHome;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRunner;
import dlbank.experiment.RunConfig;
import dlbank.experiment.RunContext;
import dlbank.report.AtomicFiles;
import dlbank.report.RunDirectory;

import java.nio.file.Files;
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
                    "已有一个运行在进行：" + current.describeZh() + "；请先取消或等它结束");
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
        long begin = System.nanoTime();
        try {
            ExperimentRunner.run(experiment, config, job.runDir(), false, true, new WebProgress(job), dataHome, device);
            String seconds = String.format("%.1f", (System.nanoTime() - begin) / 1e9);
            job.finish(RunJob.State.FINISHED, new RunJob.Outcome("Finished in " + seconds + " s.",
                    "已完成，用时 " + seconds + " 秒。", null));
        } catch (RuntimeException e) {
            if (causedBy(e, WebProgress.Cancelled.class) != null) {
                job.finish(RunJob.State.CANCELLED, cancelled(job));
            } else if (causedBy(e, UserException.class) instanceof UserException user) {
                job.finish(RunJob.State.FAILED, new RunJob.Outcome(user.message("en"), user.message("zh"), null));
            } else {
                System.err.println("dlbank serve: " + experiment.id() + " failed: " + e);
                e.printStackTrace();
                job.finish(RunJob.State.FAILED, new RunJob.Outcome("Internal error; the server's output has the details.",
                        "内部错误，详情见服务器的输出。", rootName(e)));
            }
        } catch (Error e) {
            job.finish(RunJob.State.FAILED, new RunJob.Outcome("Internal error.", "内部错误。", e.getClass().getSimpleName()));
            throw e;
        }
    }

    /**
     * What a cancelled run left: the last finished epoch's checkpoint, which {@code --resume} continues,
     * or nothing, in which case the folder goes too (no interrupted run for --resume to find).
     */
    private static RunJob.Outcome cancelled(RunJob job) {
        Path state = RunContext.checkpointDir(job.runDir()).resolve("state.json");
        if (Files.isRegularFile(state)) {
            try {
                Object epoch = Json.MAPPER.readValue(state.toFile(), java.util.Map.class).get("epoch");
                String command = "dlbank run " + job.experimentId() + " --resume";
                return new RunJob.Outcome("Cancelled after epoch " + epoch + " finished; it is kept, and this continues it:",
                        "已取消。第 " + epoch + " 轮已完成并保存，用下面的命令可以接着训练：", command);
            } catch (java.io.IOException | RuntimeException e) {
                // An unreadable checkpoint is no use: treat it as none.
            }
        }
        AtomicFiles.deleteTreeQuietly(job.runDir());
        return new RunJob.Outcome("Cancelled before any epoch finished; nothing was kept.",
                "已取消。还没有完成任何一轮，没有保留任何结果。", null);
    }

    /** The class of the deepest cause, e.g. "EngineException": the server's log has the rest. */
    private static String rootName(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
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
