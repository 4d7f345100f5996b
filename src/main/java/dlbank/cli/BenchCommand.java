package dlbank.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.UserException;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.ProgressSink;
import dlbank.experiment.Result;
import dlbank.experiment.RunConfig;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.MnistCnn;
import dlbank.model.MultiplyAdds;
import dlbank.report.ReportWriter;
import dlbank.report.RunDirectory;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;
import dlbank.train.ReferenceLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code dlbank bench task/mnist-cnn}: training throughput of dlbank's loop against a bare DJL loop
 * on the same model, data and batch size, measured in alternation within one process. The engine
 * speeds up over its first few hundred steps (allocator and kernel caches), hence a long warm-up.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training throughput: dlbank's loop vs a minimal DJL loop on the same model and data.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlbankCommand root;

    @Parameters(paramLabel = "ID", description = "The experiment to benchmark: task/mnist-cnn.")
    String id;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "400",
            description = "Timed training steps per measurement (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "300",
            description = "Untimed steps of each loop first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "4",
            description = "Measurements of each loop, alternating; the median counts (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report folder (default: runs/bench/<id>/<yyyyMMdd-HHmmss>/).")
    Path out;

    @Override
    public Integer call() {
        if (!id.equals(MnistCnnTask.ID)) {
            throw UserException.usage("bench measures " + MnistCnnTask.ID + ", not '" + id + "'");
        }
        if (steps < 1 || warmup < 0 || repeats < 1 || batchSize < 1) {
            throw UserException.usage("--steps, --repeats and --batch-size must be positive, --warmup not negative");
        }
        PrintWriter console = spec.commandLine().getOut();
        long begin = System.nanoTime();
        Device target = device.resolve();
        Path dir = out != null ? RunDirectory.prepareUserFolder(out) : RunDirectory.create("bench/" + id);
        ImageDataset train = ImageDataset.load(root.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, console::println);
        TerminalProgress progress = TerminalProgress.forConsole(console);

        Engine.getInstance().setRandomSeed((int) seed);
        CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
        List<Double> loopRates = new ArrayList<>();
        List<Double> referenceRates = new ArrayList<>();
        long multiplyAdds;
        try (Model model = Model.newInstance("bench", target)) {
            model.setBlock(MnistCnn.build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer).optDevices(new Device[] {target});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(MnistCnn.inputShape(batchSize));
                multiplyAdds = MultiplyAdds.forward((SequentialBlock) model.getBlock(), MnistCnn.inputShape(1));
                NDManager manager = trainer.getManager();
                FitLoop.Data data = new FitLoop.Data(train.images(manager), train.labels(manager));
                FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), progress, "img");
                console.printf("warming up: %d steps of each loop%n", warmup);
                ReferenceLoop.run(trainer, data.inputs(), data.labels(), batchSize, Math.max(1, warmup));
                new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), ProgressSink.silent(), "img")
                        .benchmark(data, batchSize, Math.max(1, warmup), seed);
                for (int r = 1; r <= repeats; r++) {
                    // Alternate which loop goes first, so a drift in machine speed favours neither.
                    double reference;
                    double dlbank;
                    if (r % 2 == 1) {
                        reference = ReferenceLoop.run(trainer, data.inputs(), data.labels(), batchSize, steps);
                        dlbank = loop.benchmark(data, batchSize, steps, seed + r);
                    } else {
                        dlbank = loop.benchmark(data, batchSize, steps, seed + r);
                        reference = ReferenceLoop.run(trainer, data.inputs(), data.labels(), batchSize, steps);
                    }
                    referenceRates.add(reference);
                    loopRates.add(dlbank);
                    console.printf("round %d/%d: reference %,.0f img/s, dlbank loop %,.0f img/s%n", r, repeats,
                            reference, dlbank);
                }
            }
        }
        double loopRate = median(loopRates);
        double referenceRate = median(referenceRates);
        double flops = MultiplyAdds.trainingFlopsPerExample(multiplyAdds);
        double ratio = loopRate / referenceRate;
        console.printf("%nforward multiply-adds per image: %,d (training ~ 3 x forward = %.1f MFLOP per image)%n",
                multiplyAdds, flops / 1e6);
        console.printf("  %-22s %12s %10s%n", "loop", "images/s", "GFLOP/s");
        console.printf("  %-22s %,12.0f %10.1f%n", "reference (raw DJL)", referenceRate, referenceRate * flops / 1e9);
        console.printf("  %-22s %,12.0f %10.1f%n", "dlbank loop", loopRate, loopRate * flops / 1e9);
        console.printf("  ratio dlbank / reference: %.3f%n", ratio);

        Result result = Result.builder()
                .config("steps", steps).config("warmup", warmup).config("repeats", repeats).config("batch_size", batchSize)
                .metric("loop_images_per_s", loopRate)
                .metric("reference_images_per_s", referenceRate)
                .metric("throughput_ratio", ratio)
                .metric("loop_gflops", loopRate * flops / 1e9)
                .metric("reference_gflops", referenceRate * flops / 1e9)
                .metric("forward_multiply_adds", multiplyAdds)
                .claim(Claim.check("dlbank's training loop reaches at least 0.9x the throughput of a bare DJL loop",
                        "dlbank 的训练循环吞吐量至少达到最简 DJL 循环的 0.9 倍",
                        ratio >= 0.9, Map.of("throughput_ratio", ratio)))
                .build();
        RunConfig runConfig = new RunConfig(seed, null, batchSize, false, device.device, 0, java.util.Map.of());
        Map<String, Object> report = ReportWriter.write(dir, "bench/" + id, "training throughput of " + id,
                List.of(id), runConfig, result, target.toString(), (System.nanoTime() - begin) / 1e9);
        console.println("report: " + dir.resolve("report.json") + (report.containsKey("peak_rss_mb")
                ? " (peak RSS " + report.get("peak_rss_mb") + " MB)" : ""));
        return 0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
