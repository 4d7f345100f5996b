package dlbank.bench;

import dlbank.TestSupport;
import dlbank.experiment.ProgressSink;
import dlbank.experiment.Result;
import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The benchmark's paired rounds and its step profile, on the fixtures (figures too small to mean anything). */
class ThroughputBenchTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void theSpreadIsTheRangeOfTheRoundsRatiosOverTheirMedian() {
        List<ThroughputBench.Round> rounds = List.of(new ThroughputBench.Round(100, 90), new ThroughputBench.Round(50, 50),
                new ThroughputBench.Round(200, 190));
        // ratios 0.90, 1.00, 0.95: (1.00 - 0.90) / 0.95
        assertThat(ThroughputBench.spread(rounds)).isCloseTo(0.10 / 0.95, within(1e-12));
    }

    @Test
    void profilesEveryLayerOfTheCnnAndKeepsTheTableAndTheChart(@TempDir Path dir) {
        BenchSubject subject = BenchSubject.of("task/mnist-cnn", TestSupport.fixtureHome(), line -> { });
        List<String> lines = new ArrayList<>();
        Result result = ThroughputBench.run(subject, new ThroughputBench.Settings(6, 2, 2, 32, 1, 0, true),
                Device.cpu(), ProgressSink.silent(), lines::add, dir);
        assertThat(result.metrics().get("rounds")).isGreaterThanOrEqualTo(2.0);
        assertThat(result.metrics().get("throughput_ratio")).isPositive();
        List<Map<String, Object>> profile = result.tables().get("profile");
        List<Object> parts = profile.stream().map(row -> row.get("part")).toList();
        assertThat(parts).contains("data slice", "forward conv 32 3x3", "backward conv 32 3x3", "forward dense 10",
                "backward dense 10", "NaN guard's check", "optimizer (Adam)", "sum of the parts", "whole dlbank step");
        // Layers whose multiply-adds are counted have a floating-point rate; ReLU and pooling do not.
        Map<String, Object> conv = profile.stream().filter(row -> row.get("part").equals("forward conv 64 3x3")).findFirst().orElseThrow();
        assertThat(((Number) conv.get("gflops")).doubleValue()).isPositive();
        assertThat(profile.stream().filter(row -> row.get("part").equals("forward max-pool 2x2")).findFirst().orElseThrow())
                .doesNotContainKey("gflops");
        // (the read-back and the bar come every 20 steps: none in 6)
        assertThat(profile.stream().filter(row -> !row.get("part").toString().contains("every 20 steps")))
                .allSatisfy(row -> assertThat(((Number) row.get("ms_per_step")).doubleValue()).isPositive());
        assertThat(dir.resolve("profile.png")).exists();
        assertThat(lines).anyMatch(line -> line.startsWith("  ratio dlbank / reference: "));
    }
}
