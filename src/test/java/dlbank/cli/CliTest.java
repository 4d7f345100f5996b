package dlbank.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.TestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user meets it: exit codes, one-line errors, what the output says. */
class CliTest {

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

    static Cli.Outcome dlbank(String... args) {
        return Cli.dlbank(args);
    }

    @Test
    void anUnknownExperimentIsOneLineAndExitCode2() {
        Cli.Outcome outcome = dlbank("run", "task/mnist-rnn");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.errLines()).hasSize(1);
        assertThat(outcome.err()).startsWith("dlbank: unknown experiment 'task/mnist-rnn'; known: task/and-gate");
    }

    @Test
    void aBadDeviceIsOneLineAndLeavesNoRunFolder() {
        Cli.Outcome outcome = dlbank("run", "task/and-gate", "--quick", "--device", "tpu");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.errLines()).containsExactly("dlbank: --device tpu: expected auto, cpu or gpu");
        assertThat(home.resolve("runs/task/and-gate")).doesNotExist();
        Cli.Outcome gpu = dlbank("run", "task/and-gate", "--quick", "--device", "gpu");
        assertThat(gpu.exitCode()).isEqualTo(2);
        assertThat(gpu.err()).contains("no GPU is visible to PyTorch");
    }

    @Test
    void anUnknownOptionIsOneLineWithASuggestion() {
        Cli.Outcome outcome = dlbank("run", "task/and-gate", "--epoch", "3");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.errLines()).hasSize(1);
        assertThat(outcome.err()).contains("Unknown option").contains("'--epoch'").contains("--epochs").contains("dlbank run --help");
    }

    @Test
    void aQuickRunWritesTheReportWithEveryKey() throws IOException {
        Path out = home.resolve("and-gate-run");
        Cli.Outcome outcome = dlbank("run", "task/and-gate", "--quick", "--seed", "5", "--out", out.toString());
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("[held]        A single neuron learns AND (4/4 correct)");
        assertThat(outcome.out()).contains("   1  1 |   1");

        @SuppressWarnings("unchecked")
        Map<String, Object> report = new ObjectMapper().readValue(out.resolve("report.json").toFile(), Map.class);
        assertThat(report).containsKeys("experiment", "seed", "config", "metrics", "claims", "artifacts", "versions",
                "wall_seconds");
        assertThat(report.get("seed")).isEqualTo(5);
        @SuppressWarnings("unchecked")
        Map<String, Object> versions = (Map<String, Object>) report.get("versions");
        assertThat(versions).containsKeys("java", "djl", "pytorch");
        assertThat(versions.get("pytorch")).isEqualTo("2.7.1");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> claims = (List<Map<String, Object>>) report.get("claims");
        assertThat(claims).allSatisfy(claim -> assertThat(claim).containsKeys("text", "measured", "held"));
        assertThat(out.resolve("metrics.csv")).exists();
        assertThat(Files.readAllLines(out.resolve("metrics.csv")).get(0)).startsWith("step,");

        Cli.Outcome again = dlbank("run", "task/and-gate", "--quick", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a finished run");
    }

    @Test
    void corruptDataIsOneLineNamingTheFile() throws IOException {
        Path data = Files.createDirectories(home.resolve("corrupt-data/mnist"));
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(TestSupport.FIXTURES.resolve("mnist").resolve(name), data.resolve(name));
        }
        byte[] raw = TestSupport.gunzip(data.resolve("t10k-images-idx3-ubyte.gz"));
        Files.delete(data.resolve("t10k-images-idx3-ubyte.gz"));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(raw, 5000));

        Cli.Outcome outcome = dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", data.getParent().toString(),
                "--out", home.resolve("corrupt-run").toString());
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.errLines()).hasSize(1);
        assertThat(outcome.err()).contains("t10k-images-idx3-ubyte: truncated");
        assertThat(home.resolve("corrupt-run")).as("a run that wrote nothing leaves no folder").doesNotExist();
    }

    @Test
    void aDataDirThatDoesNotExistOrHoldsNoDataIsOneLine() throws IOException {
        Cli.Outcome missing = dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", home.resolve("nonexistent").toString(),
                "--out", home.resolve("missing-run").toString());
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.errLines()).hasSize(1);
        assertThat(missing.err()).contains("nonexistent: no such folder");
        assertThat(missing.out()).as("nothing started").doesNotContain("full mode");
        assertThat(home.resolve("missing-run")).doesNotExist();

        Path empty = Files.createDirectories(home.resolve("empty-data"));
        Cli.Outcome none = dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", empty.toString(),
                "--out", home.resolve("empty-run").toString());
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.errLines()).hasSize(1);
        assertThat(none.err()).contains("holds no mnist data set");
        try (var files = Files.list(empty)) {
            assertThat(files).as("nothing fetched into the user's folder").isEmpty();
        }
        assertThat(home.resolve("empty-run")).doesNotExist();
    }

    @Test
    void predictReadsDigitsAndRejectsFilesThatAreNotImages() throws IOException {
        Cli.Outcome noModel = dlbank("predict", "task/mnist-cnn", "whatever.png");
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.err()).contains("no trained model of task/mnist-cnn");

        Cli.Outcome trained = dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", TestSupport.FIXTURES.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        // Test digits as a user might give them: ten times larger, dark ink on white, off-centre.
        dlbank.data.ImageDataset test = dlbank.data.ImageDataset.load(TestSupport.fixtureHome(),
                dlbank.data.DataSet.MNIST, dlbank.data.ImageDataset.Split.TEST, line -> { });
        int[] expected = new int[10];
        String[] args = new String[12];
        args[0] = "predict";
        args[1] = "task/mnist-cnn";
        for (int i = 0; i < 10; i++) {
            Path png = home.resolve("digit-" + i + ".png");
            ImageIO.write(enlargedInverted(test, i, 10, 40 * i), "png", png.toFile());
            args[i + 2] = png.toString();
            expected[i] = test.label(i);
        }
        Cli.Outcome predicted = dlbank(args);
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        int correct = 0;
        for (int i = 0; i < 10; i++) {
            correct += predicted.out().contains("digit-" + i + ".png: " + expected[i] + " (p = ") ? 1 : 0;
        }
        // The quick model reads 91.6% of the fixture's test digits; these ten are easy ones.
        assertThat(correct).isGreaterThanOrEqualTo(8);

        // Digits drawn with a round brush on large canvases (DrawnDigits): the full model read 299 of
        // 300 such drawings; this quick model, trained on 1,800 images, reads most of them.
        List<Path> drawings = dlbank.data.DrawnDigits.write(dlbank.data.DrawnDigits.draw(3, 11), home.resolve("drawn"));
        String[] drawnArgs = new String[drawings.size() + 2];
        drawnArgs[0] = "predict";
        drawnArgs[1] = "task/mnist-cnn";
        for (int i = 0; i < drawings.size(); i++) {
            drawnArgs[i + 2] = drawings.get(i).toString();
        }
        Cli.Outcome drawn = dlbank(drawnArgs);
        assertThat(drawn.exitCode()).as(drawn.err()).isZero();
        long drawnCorrect = drawings.stream().filter(file -> drawn.out().contains(
                file + ": " + file.getFileName().toString().charAt(1) + " (p = ")).count();
        assertThat(drawnCorrect).as("measured: 25 of 30").isGreaterThanOrEqualTo(20);

        Path text = Files.writeString(home.resolve("notes.png"), "not an image");
        Cli.Outcome bad = dlbank("predict", "task/mnist-cnn", text.toString());
        assertThat(bad.exitCode()).isEqualTo(3);
        assertThat(bad.errLines()).containsExactly("dlbank: " + text + ": not an image (expected a PNG or JPEG file)");
    }

    @Test
    void dataStatusListsEverySet() {
        Cli.Outcome outcome = dlbank("data", "status", "--data-dir", TestSupport.FIXTURES.toString());
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("mnist          ok").contains("fashion-mnist  ok").contains("imdb           ok");
        assertThat(dlbank("data", "fetch", "cifar").err()).contains("unknown data set 'cifar'");
    }

    /** MNIST test image i, scaled up, inverted to dark on white, placed at an offset on a large canvas. */
    static BufferedImage enlargedInverted(dlbank.data.ImageDataset set, int index, int scale, int offset) {
        BufferedImage image = new BufferedImage(28 * scale + 200, 28 * scale + 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int sx = (x - offset) / scale;
                int sy = (y - 60) / scale;
                int ink = sx >= 0 && sy >= 0 && sx < 28 && sy < 28 && x >= offset && y >= 60
                        ? set.pixels()[index * 784 + sy * 28 + sx] & 0xff : 0;
                int v = 255 - ink;
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return image;
    }
}
