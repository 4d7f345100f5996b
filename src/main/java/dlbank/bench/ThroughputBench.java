package dlbank.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import dlbank.experiment.Claim;
import dlbank.experiment.ProgressSink;
import dlbank.experiment.Result;
import dlbank.model.MultiplyAdds;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;
import dlbank.train.ReferenceLoop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training throughput of dlbank's loop against a bare DJL loop on the same model, data and batch
 * size, measured in alternation within one process, and the machine's practical peak for this
 * precision (a large square matrix product in the same engine, same threads), so the loop's
 * floating-point rate can be read as a share of what the machine does at best. The engine speeds up
 * over its first few hundred steps (allocator and kernel caches), hence a long warm-up.
 */
public final class ThroughputBench {

    /** Side of the square matrices of the peak measurement: large enough to keep every core busy. */
    private static final int PEAK_SIDE = 2048;

    private ThroughputBench() {}

    public record Settings(int steps, int warmup, int repeats, int batchSize, long seed) {}

    public static Result run(BenchSubject subject, Settings settings, Device device, ProgressSink progress,
                             Consumer<String> out) {
        Engine.getInstance().setRandomSeed((int) settings.seed());
        CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
        List<Double> loopRates = new ArrayList<>();
        List<Double> referenceRates = new ArrayList<>();
        long multiplyAdds;
        try (Model model = Model.newInstance("bench", device)) {
            model.setBlock(subject.block().get());
            DefaultTrainingConfig config = new DefaultTrainingConfig(subject.loss())
                    .optOptimizer(optimizer).optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(subject.batchShape().apply(settings.batchSize()));
                multiplyAdds = subject.forwardMultiplyAdds().apply(model.getBlock());
                FitLoop.Data data = subject.data().apply(trainer.getManager());
                FitLoop loop = new FitLoop(trainer, optimizer, subject.scorer(), progress, subject.unit());
                out.accept(String.format("warming up: %d steps of each loop", settings.warmup()));
                int warmup = Math.max(1, settings.warmup());
                ReferenceLoop.run(trainer, data.inputs(), data.labels(), settings.batchSize(), warmup);
                new FitLoop(trainer, optimizer, subject.scorer(), ProgressSink.silent(), subject.unit())
                        .benchmark(data, settings.batchSize(), warmup, settings.seed());
                for (int r = 1; r <= settings.repeats(); r++) {
                    // Alternate which loop goes first, so a drift in machine speed favours neither.
                    double reference;
                    double dlbank;
                    if (r % 2 == 1) {
                        reference = ReferenceLoop.run(trainer, data.inputs(), data.labels(), settings.batchSize(),
                                settings.steps());
                        dlbank = loop.benchmark(data, settings.batchSize(), settings.steps(), settings.seed() + r);
                    } else {
                        dlbank = loop.benchmark(data, settings.batchSize(), settings.steps(), settings.seed() + r);
                        reference = ReferenceLoop.run(trainer, data.inputs(), data.labels(), settings.batchSize(),
                                settings.steps());
                    }
                    referenceRates.add(reference);
                    loopRates.add(dlbank);
                    out.accept(String.format("round %d/%d: reference %,.0f %s/s, dlbank loop %,.0f %s/s", r,
                            settings.repeats(), reference, subject.unit(), dlbank, subject.unit()));
                }
            }
        }
        double peak = peakGflops(device, PEAK_SIDE, 5);
        double loopRate = median(loopRates);
        double referenceRate = median(referenceRates);
        double flops = MultiplyAdds.trainingFlopsPerExample(multiplyAdds);
        double ratio = loopRate / referenceRate;
        double loopGflops = loopRate * flops / 1e9;
        out.accept(String.format("%nforward multiply-adds per %s: %,d (training ~ 3 x forward = %.2f MFLOP each)",
                subject.unit(), multiplyAdds, flops / 1e6));
        out.accept(String.format("  %-24s %12s %10s %14s", "loop", subject.unit() + "/s", "GFLOP/s", "share of peak"));
        out.accept(String.format("  %-24s %,12.0f %10.1f %13.1f%%", "reference (raw DJL)", referenceRate,
                referenceRate * flops / 1e9, 100 * referenceRate * flops / 1e9 / peak));
        out.accept(String.format("  %-24s %,12.0f %10.1f %13.1f%%", "dlbank loop", loopRate, loopGflops,
                100 * loopGflops / peak));
        out.accept(String.format("  %-24s %12s %10.1f %14s", PEAK_SIDE + "x" + PEAK_SIDE + " matmul (peak)", "", peak, "100%"));
        out.accept(String.format("  ratio dlbank / reference: %.3f", ratio));
        return Result.builder()
                .config("steps", settings.steps()).config("warmup", settings.warmup())
                .config("repeats", settings.repeats()).config("batch_size", settings.batchSize())
                .config("peak_measurement", PEAK_SIDE + "x" + PEAK_SIDE + " float32 matrix product, best of 5")
                .metric("loop_examples_per_s", loopRate)
                .metric("reference_examples_per_s", referenceRate)
                .metric("throughput_ratio", ratio)
                .metric("loop_gflops", loopGflops)
                .metric("reference_gflops", referenceRate * flops / 1e9)
                .metric("peak_gflops", peak)
                .metric("share_of_peak", loopGflops / peak)
                .metric("forward_multiply_adds", multiplyAdds)
                .claim(Claim.check("dlbank's training loop reaches at least 0.9x the throughput of a bare DJL loop",
                        "dlbank 的训练循环吞吐量至少达到最简 DJL 循环的 0.9 倍",
                        ratio >= 0.9, Map.of("throughput_ratio", ratio)))
                .build();
    }

    /**
     * The engine's best floating-point rate on this device: the fastest of {@code repeats} products of
     * two n x n float32 matrices, 2n³ operations each, after one untimed product.
     */
    public static double peakGflops(Device device, int n, int repeats) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).getFloat(0, 0); // warm-up; reading a value waits for the product
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < repeats; r++) {
                long begin = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    product.getFloat(0, 0);
                }
                best = Math.min(best, (System.nanoTime() - begin) / 1e9);
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
