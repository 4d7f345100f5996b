package dlbank.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.experiment.RunConfig;
import dlbank.model.SavedModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** predict's model: the most accurate run with the default settings, named with its seed and accuracy. */
class ModelChoiceTest {

    private static final String ID = "task/mnist-cnn";

    @TempDir
    Path runs;

    @BeforeEach
    void moveRuns() {
        System.setProperty("dlbank.runs", runs.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("dlbank.runs");
    }

    /** A finished run with a saved model; the folder name orders runs by time. */
    private Path run(String stamp, RunConfig config, Double accuracy, boolean withFlag) throws IOException {
        Path dir = Files.createDirectories(runs.resolve(ID).resolve(stamp));
        RunDirectory.writeRunFile(dir, ID, config);
        Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("model").resolve(SavedModel.ARCHITECTURE_FILE), "{}");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("experiment", ID);
        report.put("seed", config.seed());
        report.put("mode", config.quick() ? "quick" : "full");
        report.put("user_config", config.toMap());
        if (withFlag) {
            report.put("default_setting", config.isDefaultSetting());
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", accuracy == null ? Double.NaN : accuracy);
        report.put("metrics", metrics);
        new ObjectMapper().writeValue(dir.resolve(RunDirectory.REPORT_FILE).toFile(), report);
        return dir;
    }

    private static RunConfig defaults(long seed) {
        return new RunConfig(seed, null, null, false, "auto", 0, Map.of());
    }

    @Test
    void takesTheMostAccurateDefaultRunNotTheNewestOrAnotherSetting() throws IOException {
        Path best = run("20261201-100000", defaults(42), 0.9902, true);
        run("20261201-110000", defaults(1), 0.9886, true);
        run("20261201-120000", new RunConfig(42, 1, null, false, "auto", 0, Map.of()), 0.9790, true);
        run("20261201-130000", new RunConfig(42, null, null, false, "auto", 0, Map.of("model", "improved")), 0.9950, true);
        run("20261201-140000", new RunConfig(42, null, null, false, "auto", 2, Map.of()), 0.9990, true);
        run("20261201-150000", defaults(7), null, true); // no figure: never ranks first

        ModelChoice choice = ModelChoice.of(ID, null);

        assertThat(choice.modelDir()).isEqualTo(best.resolve("model"));
        assertThat(choice.description()).isEqualTo(best.resolve("model")
                + " (seed 42, test accuracy 0.9902: the most accurate of 3 runs with the default settings)");
    }

    @Test
    void readsReportsWrittenBeforeTheDefaultSettingFlag() throws IOException {
        run("20261201-100000", defaults(2), 0.9902, false);
        Path best = run("20261201-110000", defaults(3), 0.9910, false);
        run("20261201-120000", new RunConfig(3, 2, null, false, "auto", 0, Map.of()), 0.9990, false);

        assertThat(ModelChoice.of(ID, null).modelDir()).isEqualTo(best.resolve("model"));
    }

    @Test
    void ofEquallyAccurateRunsTakesTheNewest() throws IOException {
        run("20261201-100000", defaults(42), 0.9902, true);
        Path newer = run("20261201-110000", defaults(42), 0.9902, true);

        assertThat(ModelChoice.of(ID, null).modelDir()).isEqualTo(newer.resolve("model"));
    }

    @Test
    void withoutADefaultRunTakesTheNewestAndSaysSo() throws IOException {
        run("20261201-100000", new RunConfig(42, 1, null, false, "auto", 0, Map.of()), 0.9790, true);
        Path quick = run("20261201-110000", new RunConfig(42, null, null, true, "auto", 0, Map.of()), 0.9160, true);

        ModelChoice choice = ModelChoice.of(ID, null);

        assertThat(choice.modelDir()).isEqualTo(quick.resolve("model"));
        assertThat(choice.description()).isEqualTo(quick.resolve("model")
                + " (seed 42, test accuracy 0.9160; the newest model: no run with the default settings has one yet)");
    }

    @Test
    void aFolderGivenWithModelIsTakenAsItIs() {
        Path mine = runs.resolve("mine");
        assertThat(ModelChoice.of(ID, mine)).isEqualTo(new ModelChoice(mine, mine + " (given with --model)"));
    }
}
