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
import java.nio.file.Path;
import dlbank.report.Charts;

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

    /**
     * @param steps timed steps of each loop per round
     * @param repeats rounds that must agree (within {@link #AGREEMENT}) for the ratio to count
     * @param extraSeconds how long to go on adding rounds while the last {@code repeats} disagree
     * @param profile also time one step piece by piece ({@link StepProfile})
     */
    public record Settings(int steps, int warmup, int repeats, int batchSize, long seed, double extraSeconds,
                           boolean profile) {
        public Settings(int steps, int warmup, int repeats, int batchSize, long seed) {
            this(steps, warmup, repeats, batchSize, seed, 180, false);
        }
    }

    /** The largest spread of the counted rounds' ratios, relative to their median, that counts as agreement. */
    static final double AGREEMENT = 0.20;

    /** One round: both loops' rates over the same stretch of time, and their ratio. */
    record Round(double reference, double dlbank) {
        double ratio() {
            return dlbank / reference;
        }
    }

    /**
     * @param dir where the profile's chart goes (with {@code settings.profile()}); null for none
     */
    public static Result run(BenchSubject subject, Settings settings, Device device, ProgressSink progress,
                             Consumer<String> out, Path dir) {
        Engine.getInstance().setRandomSeed((int) settings.seed());
        CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
        List<Round> rounds = new ArrayList<>();
        long multiplyAdds;
        StepProfile.Profile profile = null;
        double peak;
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
                long extraUntil = Long.MAX_VALUE;
                for (int r = 1; ; r++) {
                    Round round = round(trainer, loop, data, settings, r);
                    rounds.add(round);
                    out.accept(String.format("round %d: reference %,.0f %s/s, dlbank loop %,.0f %s/s, ratio %.3f", r,
                            round.reference(), subject.unit(), round.dlbank(), subject.unit(), round.ratio()));
                    if (r < settings.repeats()) {
                        continue;
                    }
                    double spread = spread(last(rounds, settings.repeats()));
                    if (spread <= AGREEMENT) {
                        break;
                    }
                    if (extraUntil == Long.MAX_VALUE) {
                        extraUntil = System.nanoTime() + (long) (settings.extraSeconds() * 1e9);
                    }
                    if (System.nanoTime() > extraUntil) {
                        out.accept(String.format("the last %d rounds still disagree by %.0f%% after %.0f s more: the "
                                + "machine is busy; the figures below are their medians", settings.repeats(),
                                100 * spread, settings.extraSeconds()));
                        break;
                    }
                    out.accept(String.format("the last %d rounds' ratios disagree by %.0f%% (more than %.0f%%): "
                            + "adding a round", settings.repeats(), 100 * spread, 100 * AGREEMENT));
                }
                peak = peakGflops(device, PEAK_SIDE, 5);
                if (settings.profile()) {
                    List<Round> counted = last(rounds, settings.repeats());
                    double wholeStepMillis = 1e3 * settings.batchSize()
                            / median(counted.stream().map(Round::dlbank).toList());
                    out.accept(String.format("%nprofiling %d steps piece by piece ...", settings.steps()));
                    profile = StepProfile.run(trainer, subject.stages().apply(model.getBlock()), subject.scorer(), data,
                            settings.batchSize(), settings.steps(), Math.min(settings.warmup(), 100), wholeStepMillis,
                            peak, progress);
                }
            }
        }
        List<Round> counted = last(rounds, settings.repeats());
        List<Double> ratios = counted.stream().map(Round::ratio).toList();
        double ratio = median(ratios);
        double loopRate = median(counted.stream().map(Round::dlbank).toList());
        double referenceRate = median(counted.stream().map(Round::reference).toList());
        double flops = MultiplyAdds.trainingFlopsPerExample(multiplyAdds);
        double loopGflops = loopRate * flops / 1e9;
        out.accept(String.format("%nforward multiply-adds per %s: %,d (training ~ 3 x forward = %.2f MFLOP each)",
                subject.unit(), multiplyAdds, flops / 1e6));
        out.accept(String.format("  %-24s %12s %10s %14s", "loop (median of rounds)", subject.unit() + "/s", "GFLOP/s",
                "share of peak"));
        out.accept(String.format("  %-24s %,12.0f %10.1f %13.1f%%", "reference (raw DJL)", referenceRate,
                referenceRate * flops / 1e9, 100 * referenceRate * flops / 1e9 / peak));
        out.accept(String.format("  %-24s %,12.0f %10.1f %13.1f%%", "dlbank loop", loopRate, loopGflops,
                100 * loopGflops / peak));
        out.accept(String.format("  %-24s %12s %10.1f %14s", PEAK_SIDE + "x" + PEAK_SIDE + " matmul (peak)", "", peak, "100%"));
        out.accept(String.format("  ratio dlbank / reference: %.3f (median of %d paired rounds; %.3f-%.3f, spread %.1f%%)",
                ratio, counted.size(), Collections.min(ratios), Collections.max(ratios), 100 * spread(counted)));
        Result.Builder result = Result.builder()
                .config("steps", settings.steps()).config("warmup", settings.warmup())
                .config("repeats", settings.repeats()).config("batch_size", settings.batchSize())
                .config("rounds", "each round runs the reference loop, then dlbank's twice, then the reference "
                        + "again, half the steps at a time; the ratio is the median of the rounds' ratios")
                .config("peak_measurement", PEAK_SIDE + "x" + PEAK_SIDE + " float32 matrix product, best of 5")
                .metric("loop_examples_per_s", loopRate)
                .metric("reference_examples_per_s", referenceRate)
                .metric("throughput_ratio", ratio)
                .metric("ratio_min", Collections.min(ratios))
                .metric("ratio_max", Collections.max(ratios))
                .metric("ratio_spread", spread(counted))
                .metric("rounds", rounds.size())
                .metric("loop_gflops", loopGflops)
                .metric("reference_gflops", referenceRate * flops / 1e9)
                .metric("peak_gflops", peak)
                .metric("share_of_peak", loopGflops / peak)
                .metric("forward_multiply_adds", multiplyAdds)
                .claim(Claim.check("dlbank's training loop reaches at least 0.9x the throughput of a bare DJL loop",
                        "dlbank 的训练循环吞吐量至少达到最简 DJL 循环的 0.9 倍",
                        ratio >= 0.9, Map.of("throughput_ratio", ratio)));
        if (profile != null) {
            printProfile(profile, out);
            result.table("profile", profile.rows())
                    .metric("profile_parts_ms", profile.partsMillis())
                    .metric("profile_whole_step_ms", profile.wholeStepMillis());
            if (dir != null) {
                chart(profile, dir.resolve("profile.png"), subject.id());
                result.artifact("profile.png");
            }
        }
        return result.build();
    }

    /** Reference, dlbank, dlbank, reference, each half the round's steps: a drift in speed favours neither. */
    private static Round round(Trainer trainer, FitLoop loop, FitLoop.Data data, Settings settings, int r) {
        int half = Math.max(1, settings.steps() / 2);
        double examples = (double) half * settings.batchSize();
        double referenceSeconds = examples / ReferenceLoop.run(trainer, data.inputs(), data.labels(), settings.batchSize(), half);
        double dlbankSeconds = examples / loop.benchmark(data, settings.batchSize(), half, settings.seed() + 2L * r);
        dlbankSeconds += examples / loop.benchmark(data, settings.batchSize(), half, settings.seed() + 2L * r + 1);
        referenceSeconds += examples / ReferenceLoop.run(trainer, data.inputs(), data.labels(), settings.batchSize(), half);
        return new Round(2 * examples / referenceSeconds, 2 * examples / dlbankSeconds);
    }

    private static List<Round> last(List<Round> rounds, int count) {
        return rounds.subList(Math.max(0, rounds.size() - count), rounds.size());
    }

    /** (largest ratio - smallest) / median ratio. */
    static double spread(List<Round> rounds) {
        List<Double> ratios = rounds.stream().map(Round::ratio).toList();
        return (Collections.max(ratios) - Collections.min(ratios)) / median(ratios);
    }

    private static void printProfile(StepProfile.Profile profile, Consumer<String> out) {
        out.accept(String.format("%n  %-40s %9s %8s %9s %8s", "part of a step (batch " + profile.batchSize() + ")",
                "ms/step", "share", "GFLOP/s", "of peak"));
        for (Map<String, Object> row : profile.rows()) {
            out.accept(String.format("  %-40s %9.3f %7.1f%% %9s %8s", row.get("part"),
                    ((Number) row.get("ms_per_step")).doubleValue(),
                    100 * ((Number) row.get("share_of_step")).doubleValue(),
                    row.containsKey("gflops") ? String.format("%.1f", ((Number) row.get("gflops")).doubleValue()) : "",
                    row.containsKey("share_of_peak")
                            ? String.format("%.1f%%", 100 * ((Number) row.get("share_of_peak")).doubleValue()) : ""));
        }
    }

    private static void chart(StepProfile.Profile profile, Path file, String id) {
        List<String> names = profile.parts().stream().map(StepProfile.Part::name).toList();
        double[] millis = profile.parts().stream().mapToDouble(StepProfile.Part::millisPerStep).toArray();
        Charts.horizontalBars(file, "One training step of " + id + ", piece by piece (batch " + profile.batchSize()
                + ", whole step " + String.format("%.2f", profile.wholeStepMillis()) + " ms)", names, millis, "ms");
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
