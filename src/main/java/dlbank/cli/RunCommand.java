package dlbank.cli;

import ai.djl.Device;
import dlbank.UserException;
import dlbank.data.DataHome;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.ExperimentRunner;
import dlbank.experiment.RunConfig;
import dlbank.experiment.RunContext;
import dlbank.experiment.SeedSeries;
import dlbank.i18n.Messages;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code dlbank run ID}: trains and measures one experiment (or one run per seed) and writes its report. */
@Command(name = "run", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlbankCommand root;

    @Parameters(paramLabel = "ID")
    String id;

    @Mixin
    RunOptions options;

    @Option(names = "--seeds", paramLabel = "N|LIST")
    String seeds;

    @Option(names = "--resume")
    boolean resume;

    @Override
    public Integer call() {
        Experiment experiment = ExperimentRegistry.require(id);
        RunConfig config = options.toConfig();
        for (String option : config.options().keySet()) {
            if (!experiment.options().contains(option)) {
                throw experiment.options().isEmpty() ? UserException.usage("error.run.option-not-applicable", option, id)
                        : UserException.usage("error.run.option-not-applicable-takes", option, id,
                                "--" + String.join(", --", experiment.options()));
            }
        }
        Device device = Devices.resolve(config.device()); // a bad --device fails before any folder is made
        DataHome dataHome = root.dataHome();               // and so does a --data-dir that does not exist
        if (seeds != null) {
            if (options.out != null) {
                throw UserException.usage("error.run.seeds-out", id);
            }
            return runSeeds(experiment, config, device, dataHome);
        }
        PrintWriter out = spec.commandLine().getOut();
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
                out.println(Messages.get("run.resuming", runDir, config.seed()));
            } else {
                out.println(options.out != null ? Messages.get("run.nothing-to-resume-in", id, options.out)
                        : Messages.get("run.nothing-to-resume", id));
            }
        }
        if (runDir == null) {
            createdHere = options.out == null || !Files.exists(options.out);
            runDir = options.out != null ? RunDirectory.prepareUserFolder(options.out) : RunDirectory.create(id);
            RunDirectory.writeRunFile(runDir, id, config);
        }
        Map<String, Object> report = runOne(experiment, config, runDir, resuming, createdHere, device, dataHome,
                "dlbank run " + id + " --resume" + (options.out != null ? " --out " + options.out : ""));
        RunSummary.print(out, report, runDir);
        return 0;
    }

    /** One run, with a notice on Ctrl-C or kill that says how to continue. */
    private Map<String, Object> runOne(Experiment experiment, RunConfig config, Path runDir, boolean resuming,
                                       boolean createdHere, Device device, DataHome dataHome, String resumeCommand) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Messages.get("run.header", id, Messages.text(config.quick() ? "run.mode.quick" : "run.mode.full"),
                config.seed(), device, runDir));
        out.flush();
        Thread interruptNotice = new Thread(() -> {
            if (!RunDirectory.isFinished(runDir)) {
                boolean checkpointed = Files.exists(RunContext.checkpointDir(runDir).resolve("state.json"));
                System.err.println("\ndlbank: " + Messages.get("run.interrupted",
                        Messages.text(checkpointed ? "run.interrupted.kept" : "run.interrupted.none"), resumeCommand));
            }
        });
        Runtime.getRuntime().addShutdownHook(interruptNotice);
        try {
            return ExperimentRunner.run(experiment, config, runDir, resuming, createdHere,
                    TerminalProgress.forConsole(out), dataHome, device);
        } finally {
            // The notice is for signals (Ctrl-C); an error explains itself.
            Runtime.getRuntime().removeShutdownHook(interruptNotice);
        }
    }

    /** One run per seed, one after another, then the summary; --resume continues the seeds still missing. */
    @SuppressWarnings("unchecked")
    private int runSeeds(Experiment experiment, RunConfig requested, Device device, DataHome dataHome) {
        PrintWriter out = spec.commandLine().getOut();
        Path series = null;
        RunConfig config = requested;
        List<Long> seedList = SeedSeries.parse(seeds, requested.seed());
        if (resume) {
            Optional<Path> unfinished = SeedSeries.latestUnfinished(id);
            if (unfinished.isPresent()) {
                series = unfinished.get();
                Map<String, Object> plan = SeedSeries.readPlan(series);
                config = RunConfig.fromMap((Map<String, Object>) plan.get("config"));
                seedList = ((List<Number>) plan.get("seeds")).stream().map(Number::longValue).toList();
                out.println(Messages.get("series.resuming", series, seedList));
            } else {
                out.println(Messages.get("series.nothing-to-resume", id));
            }
        }
        if (series == null) {
            series = SeedSeries.create(id, seedList, config);
            out.println(Messages.get("series.plan", id, seedList.size(), seedList, series));
        }
        List<Map<String, Object>> reports = new ArrayList<>();
        for (int i = 0; i < seedList.size(); i++) {
            long seed = seedList.get(i);
            RunConfig seeded = config.withSeed(seed);
            Map<String, String> started = (Map<String, String>) SeedSeries.readPlan(series).get("runs");
            Path runDir = started.containsKey(Long.toString(seed))
                    ? RunDirectory.experimentRoot(id).resolve(started.get(Long.toString(seed))) : null;
            out.println();
            out.println(Messages.get("series.seed", seed, i + 1, seedList.size()));
            if (runDir != null && RunDirectory.isFinished(runDir)) {
                out.println(Messages.get("series.already-finished", runDir));
                reports.add(RunDirectory.readReport(runDir));
                continue;
            }
            boolean resuming = runDir != null && RunDirectory.isInterrupted(runDir);
            if (!resuming) {
                runDir = RunDirectory.create(id);
                RunDirectory.writeRunFile(runDir, id, seeded);
                SeedSeries.recordRun(series, seed, runDir);
            }
            Map<String, Object> report = runOne(experiment, seeded, runDir, resuming, !resuming, device, dataHome,
                    "dlbank run " + id + " --seeds " + seeds + " --resume");
            RunSummary.printClaims(out, report);
            reports.add(report);
        }
        Map<String, Object> summary = SeedSeries.summarize(series, experiment, config, reports);
        RunSummary.printSeries(out, summary, series);
        return 0;
    }
}
