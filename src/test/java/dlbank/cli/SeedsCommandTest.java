package dlbank.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.eval.SummaryStats;
import dlbank.experiment.Claim;
import dlbank.experiment.RunConfig;
import dlbank.experiment.SeedSeries;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.report.RunDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code run --seeds}: one run per seed, a summary with spread and intervals, claims on the mean, resume. */
class SeedsCommandTest {

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
    @SuppressWarnings("unchecked")
    void threeQuickSeedsWriteThreeRunsAndASummary() throws IOException {
        Cli.Outcome outcome = Cli.dlbank("run", "task/and-gate", "--quick", "--seeds", "3", "--seed", "7");
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("== seed 7 (1 of 3)").contains("== seed 9 (3 of 3)")
                .contains("task/and-gate over 3 seeds [7, 8, 9]").contains("single-run claims, per seed");

        List<Path> runs = RunDirectory.runFolders("task/and-gate");
        assertThat(runs).hasSize(3).allSatisfy(run -> assertThat(run.resolve("report.json")).exists());
        Path series = SeedSeries.latestFinished("task/and-gate").orElseThrow();
        Map<String, Object> summary = new ObjectMapper().readValue(series.resolve("summary.json").toFile(), Map.class);
        assertThat((List<Object>) summary.get("seeds")).containsExactly(7, 8, 9);
        Map<String, Object> metric = (Map<String, Object>) ((Map<String, Object>) summary.get("metrics"))
                .get("and_neuron_correct");
        assertThat(metric).containsKeys("n", "mean", "sd", "ci95_low", "ci95_high", "values");
        assertThat(((Number) metric.get("n")).intValue()).isEqualTo(3);
        List<Map<String, Object>> tallies = (List<Map<String, Object>>) summary.get("per_seed_claims");
        assertThat(tallies.get(0)).containsEntry("held_in", 3).containsEntry("checked_in", 3).containsEntry("runs", 3);

        Cli.Outcome shown = Cli.dlbank("show", "task/and-gate", "--lang", "en");
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out()).contains("summary of 3 seeds").contains("3 of 3 seeds");
        Cli.Outcome shownZh = Cli.dlbank("show", "task/and-gate", "--lang", "zh");
        assertThat(shownZh.out()).contains("3 个种子的汇总").contains("单个神经元能学会 AND");
    }

    @Test
    void resumeRunsOnlyTheSeedsStillMissing() throws IOException {
        Path root = home.resolve("resume");
        System.setProperty("dlbank.runs", root.toString());
        try {
            // A series whose first seed finished and whose second never started, as after a kill.
            Path series = SeedSeries.create("task/and-gate", List.of(1L, 2L), new RunConfig(1, null, null, true, "auto", 0, Map.of()));
            Cli.Outcome first = Cli.dlbank("run", "task/and-gate", "--quick", "--seed", "1");
            assertThat(first.exitCode()).isZero();
            SeedSeries.recordRun(series, 1, RunDirectory.latestFinished("task/and-gate").orElseThrow());

            Cli.Outcome resumed = Cli.dlbank("run", "task/and-gate", "--seeds", "2", "--resume");
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(resumed.out()).contains("resuming the series").contains("already finished")
                    .contains("== seed 2 (2 of 2)").contains("over 2 seeds [1, 2]");
            assertThat(RunDirectory.runFolders("task/and-gate")).hasSize(2);
            assertThat(Files.exists(series.resolve("summary.json"))).isTrue();
        } finally {
            System.setProperty("dlbank.runs", home.resolve("runs").toString());
        }
    }

    @Test
    void badSeedListsAreOneLineAndExit2() {
        assertThat(Cli.dlbank("run", "task/and-gate", "--seeds", "1").errLines())
                .containsExactly("dlbank: --seeds 1: between 2 and 50 seeds, not 1");
        assertThat(Cli.dlbank("run", "task/and-gate", "--seeds", "1,x").exitCode()).isEqualTo(2);
        assertThat(Cli.dlbank("run", "task/and-gate", "--seeds", "3,3").errLines())
                .containsExactly("dlbank: --seeds 3,3: seed 3 appears twice");
    }

    @Test
    void theHeadlineClaimIsJudgedOnTheMeanOverSeeds() {
        RunConfig specified = new RunConfig(42, null, null, false, "auto", 0, Map.of());
        // Seeds 42, 1, 2, 3 as measured before: mean 0.9896, so the 99.0% statement does not hold on the mean.
        SummaryStats four = SummaryStats.of(0.9902, 0.9886, 0.9902, 0.9894);
        Claim claim = new MnistCnnTask().summaryClaims(Map.of("test_accuracy", four), specified).get(0);
        assertThat(claim.held()).isFalse();
        assertThat(claim.text()).contains("over 4 seeds");
        assertThat(claim.measured().get("mean")).isCloseTo(0.9896, within(1e-9));
        SummaryStats better = SummaryStats.of(0.9912, 0.9906, 0.9910);
        assertThat(new MnistCnnTask().summaryClaims(Map.of("test_accuracy", better), specified).get(0).held()).isTrue();
        RunConfig quick = new RunConfig(42, null, null, true, "auto", 0, Map.of());
        assertThat(new MnistCnnTask().summaryClaims(Map.of("test_accuracy", better), quick).get(0).held()).isNull();
        assertThatThrownBy(() -> SeedSeries.parse("0", 1)).hasMessageContaining("between 2 and 50");
    }
}
