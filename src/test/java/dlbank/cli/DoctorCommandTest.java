package dlbank.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.train.StepGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dlbank doctor}, and how a run reports the steps it skipped; with the engine bug injected where the machine lacks it. */
class DoctorCommandTest {

    @TempDir
    static Path home;

    @BeforeAll
    static void isolate() {
        Cli.isolateIn(home);
    }

    @AfterAll
    static void restore() {
        Cli.restore();
    }

    @Test
    void namesTheVersionsTheCpuAndTheBugsStateInOneLine() {
        Cli.Outcome outcome = Cli.dlbank("doctor", "--lang", "en");
        assertThat(outcome.exitCode()).isZero();
        List<String> lines = Arrays.asList(outcome.out().split("\n"));
        assertThat(lines).anyMatch(line -> line.startsWith("DJL          0.36"));
        assertThat(lines).anyMatch(line -> line.startsWith("libtorch     PyTorch 2.7.1"));
        assertThat(lines).anyMatch(line -> line.startsWith("oneDNN "));
        assertThat(lines).anyMatch(line -> line.startsWith("threads      intra-op "));
        assertThat(lines).anyMatch(line -> line.matches("probe +48 cases .*: [0-9]+ not finite"));
        assertThat(lines.stream().filter(line -> line.startsWith("verdict: this engine ")).count()).isEqualTo(1);
    }

    @Test
    void withTheBugInjectedItSaysSoAndWhatDlbankDoes() throws Exception {
        try (AutoCloseable injected = StepGuard.NanInjection.install(StepGuard.NanInjection.parse("first-use"))) {
            Cli.Outcome outcome = Cli.dlbank("doctor", "--lang", "zh");
            assertThat(outcome.exitCode()).isZero();
            assertThat(outcome.out()).contains("结论：本机引擎有“卷积反向首次运行出 NaN”的问题（48 个用例中 24 个，全部出现在第一轮）");
            assertThat(outcome.out()).contains("NaN 注入已开启");
        }
    }

    @Test
    void aRunWithInjectedNaNStepsFinishesAndReportsThemInReportJsonAndTheSummary() throws Exception {
        Path out = home.resolve("and-gate");
        Cli.Outcome outcome;
        try (AutoCloseable injected = StepGuard.NanInjection.install(StepGuard.NanInjection.parse("steps=5"))) {
            outcome = Cli.dlbank("run", "task/and-gate", "--quick", "--out", out.toString(), "--lang", "en");
        }
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> report = new ObjectMapper().readValue(Files.readString(out.resolve("report.json")), Map.class);
        long skipped = ((Number) report.get("skipped_steps")).longValue();
        // Step 5 of every network the task trains, and no other.
        assertThat(skipped).isPositive();
        assertThat(outcome.out()).contains("steps skipped for NaN or infinite gradients: " + skipped);
        assertThat(report.get("machine")).isInstanceOf(Map.class);

        Cli.Outcome clean = Cli.dlbank("run", "task/and-gate", "--quick", "--out", home.resolve("clean").toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> cleanReport = new ObjectMapper().readValue(
                Files.readString(home.resolve("clean/report.json")), Map.class);
        assertThat(clean.exitCode()).isZero();
        assertThat(((Number) cleanReport.get("skipped_steps")).longValue()).isZero();
    }
}
