package dlbank.cli;

import ai.djl.Device;
import dlbank.UserException;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.Result;
import dlbank.experiment.RunConfig;
import dlbank.experiment.RunContext;
import dlbank.report.AtomicFiles;
import dlbank.report.ReportWriter;
import dlbank.report.RunDirectory;
import dlbank.train.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code dlbank run ID}: trains and measures one experiment and writes its report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment: live progress, then its metrics and claims; writes report.json, "
                + "metrics.csv and plots into the run folder.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlbankCommand root;

    @Parameters(paramLabel = "ID", description = "Experiment id, e.g. task/mnist-cnn ('dlbank list' shows them).")
    String id;

    @Mixin
    RunOptions options;

    @Option(names = "--resume", description = "Continue the newest interrupted run of this experiment "
            + "(or the one in --out) from its last finished epoch.")
    boolean resume;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Experiment experiment = ExperimentRegistry.require(id);
        RunConfig config = options.toConfig();
        for (String option : config.options().keySet()) {
            if (!experiment.options().contains(option)) {
                throw UserException.usage("--" + option + " does not apply to " + id
                        + (experiment.options().isEmpty() ? "" : "; it takes --" + String.join(", --", experiment.options())));
            }
        }
        Device device = Devices.resolve(config.device()); // a bad --device fails before any folder is made
        Path runDir = null;
        boolean resuming = false;
        boolean createdHere = false;
        if (resume) {
            Optional<Path> interrupted = options.out != null
                    ? Optional.of(options.out.toAbsolutePath()).filter(RunDirectory::isInterrupted)
                    : RunDirectory.latestInterrupted(id);
            if (interrupted.isPresent()) {
                runDir = interrupted.get();
                config = RunDirectory.readRunConfig(runDir);
                resuming = true;
                out.println("resuming " + runDir + " with its saved settings (seed " + config.seed() + ")");
            } else {
                out.println("no interrupted run of " + id + " to resume" + (options.out != null ? " in " + options.out : "")
                        + "; starting a new one");
            }
        }
        if (runDir == null) {
            createdHere = options.out == null || !Files.exists(options.out);
            runDir = options.out != null ? RunDirectory.prepareUserFolder(options.out) : RunDirectory.create(id);
            RunDirectory.writeRunFile(runDir, id, config);
        }
        TerminalProgress progress = TerminalProgress.forConsole(out);
        RunContext context = new RunContext(config, runDir, progress, root.dataHome(), device, resuming);
        out.printf("%s (%s mode, seed %d, %s) -> %s%n", id, config.quick() ? "quick" : "full", config.seed(),
                device, runDir);

        Path finalRunDir = runDir;
        Thread interruptNotice = new Thread(() -> {
            if (!RunDirectory.isFinished(finalRunDir)) {
                boolean checkpointed = Files.exists(RunContext.checkpointDir(finalRunDir).resolve("state.json"));
                System.err.println("\ndlbank: interrupted; " + (checkpointed ? "the last finished epoch is kept"
                        : "no epoch had finished yet") + ". Continue with: dlbank run " + id + " --resume"
                        + (options.out != null ? " --out " + options.out : ""));
            }
        });
        Runtime.getRuntime().addShutdownHook(interruptNotice);
        long begin = System.nanoTime();
        Result result;
        try {
            result = experiment.run(context);
        } catch (UserException e) {
            forgetIfEmpty(runDir, createdHere && !resuming);
            throw e;
        } catch (Exception e) {
            forgetIfEmpty(runDir, createdHere && !resuming);
            throw new IllegalStateException(experiment.id() + " failed: " + e, e);
        } finally {
            // The notice is for signals (Ctrl-C); an error explains itself.
            Runtime.getRuntime().removeShutdownHook(interruptNotice);
        }
        double wallSeconds = (System.nanoTime() - begin) / 1e9;
        Map<String, Object> report = ReportWriter.write(runDir, experiment, config, result, device.toString(), wallSeconds);
        // A finished run keeps its model; the per-epoch checkpoint was only for resuming.
        AtomicFiles.deleteTreeQuietly(RunContext.checkpointDir(runDir));
        RunSummary.print(out, report, runDir);
        return 0;
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
        } catch (java.io.IOException e) {
            // Leaving the folder is harmless.
        }
    }
}
