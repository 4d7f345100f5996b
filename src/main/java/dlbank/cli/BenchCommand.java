package dlbank.cli;

import ai.djl.Device;
import dlbank.UserException;
import dlbank.bench.BenchSubject;
import dlbank.bench.ThroughputBench;
import dlbank.experiment.Result;
import dlbank.experiment.RunConfig;
import dlbank.report.ReportWriter;
import dlbank.report.RunDirectory;
import dlbank.train.StepGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dlbank bench ID}: dlbank's training loop against a bare DJL loop, and the machine's peak. */
@Command(name = "bench", mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlbankCommand root;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "400")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "300")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "4")
    int repeats;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42")
    long seed;

    @Mixin
    DeviceOption device;

    @Option(names = "--out", paramLabel = "DIR")
    Path out;

    @Option(names = "--profile")
    boolean profile;

    @Option(names = "--extra-seconds", paramLabel = "S", defaultValue = "180")
    double extraSeconds;

    @Override
    public Integer call() {
        if (steps < 2 || warmup < 0 || repeats < 1 || batchSize < 1 || extraSeconds < 0) {
            throw UserException.usage("error.bench.settings");
        }
        PrintWriter console = spec.commandLine().getOut();
        long begin = System.nanoTime();
        long skippedBefore = StepGuard.skippedInProcess();
        Device target = device.resolve();
        BenchSubject subject = BenchSubject.of(id, root.dataHome(), console::println);
        Path dir = out != null ? RunDirectory.prepareUserFolder(out) : RunDirectory.create("bench/" + id);
        Result result = ThroughputBench.run(subject, new ThroughputBench.Settings(steps, warmup, repeats, batchSize, seed,
                        extraSeconds, profile), target, TerminalProgress.forConsole(console), line -> {
                    console.println(line);
                    console.flush();
                }, dir);
        RunConfig runConfig = new RunConfig(seed, null, batchSize, false, device.device, 0, Map.of());
        Map<String, Object> report = ReportWriter.write(dir, "bench/" + id, "training throughput of " + id,
                List.of(id), runConfig, result, target.toString(), (System.nanoTime() - begin) / 1e9,
                StepGuard.skippedInProcess() - skippedBefore);
        console.println("report: " + dir.resolve("report.json") + (report.containsKey("peak_rss_mb")
                ? " (peak RSS " + report.get("peak_rss_mb") + " MB)" : ""));
        return 0;
    }
}
