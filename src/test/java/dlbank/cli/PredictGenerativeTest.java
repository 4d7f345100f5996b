package dlbank.cli;

import dlbank.TestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code predict task/mnist-gan} draws new digits; {@code predict task/denoising-autoencoder} cleans an image. */
class PredictGenerativeTest {

    @TempDir
    static Path home;

    @BeforeAll
    static void trainQuickModels() {
        Cli.isolateIn(home);
        for (String[] run : new String[][] {{"task/mnist-gan", "--model", "mlp"}, {"task/denoising-autoencoder"}}) {
            String[] args = new String[run.length + 4];
            args[0] = "run";
            System.arraycopy(run, 0, args, 1, run.length);
            args[run.length + 1] = "--quick";
            args[run.length + 2] = "--data-dir";
            args[run.length + 3] = TestSupport.FIXTURES.toString();
            Cli.Outcome outcome = Cli.dlbank(args);
            assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        }
    }

    @AfterAll
    static void restore() {
        Cli.restore();
    }

    @Test
    void drawsTheAskedNumberOfDigitsAndNeverOverwritesAFile() throws IOException {
        Path out = home.resolve("digits.png");
        Cli.Outcome drawn = Cli.dlbank("predict", "task/mnist-gan", "--count", "9", "--seed", "4", "--out", out.toString());
        assertThat(drawn.exitCode()).as(drawn.err()).isZero();
        assertThat(drawn.out()).contains("wrote 9 new digits (noise seed 4").contains(out.toString());
        BufferedImage grid = ImageIO.read(out.toFile());
        assertThat(grid.getWidth()).as("3 columns of 28x28 at scale 2 with gaps").isEqualTo(3 * (56 + 2) + 2);

        Cli.Outcome again = Cli.dlbank("predict", "task/mnist-gan", "--count", "9", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.errLines()).containsExactly("dlbank: " + out + " already exists; choose another --out file");
        assertThat(Cli.dlbank("predict", "task/mnist-gan", "--count", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void theDiffusionModelDrawsDigitsUnconditionallyOrTowardsOneDigit() throws IOException {
        // An untrained U-Net saved as lab/diffusion saves its model: drawing needs no trained weights.
        Path modelDir = home.resolve("diffusion-model");
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        try (ai.djl.Model model = ai.djl.Model.newInstance(dlbank.predict.DigitDiffuser.ARCHITECTURE)) {
            model.setBlock(new dlbank.model.DiffusionUNet(new int[] {8, 16}, 2));
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, dlbank.model.DiffusionUNet.PIXELS + 2));
            new dlbank.predict.DigitDiffuser(model).save(modelDir);
        }
        Path out = home.resolve("sevens.png");
        Cli.Outcome drawn = Cli.dlbank("predict", "lab/diffusion", "--model", modelDir.toString(), "--count", "4",
                "--digit", "7", "--steps", "3", "--seed", "5", "--out", out.toString());
        assertThat(drawn.exitCode()).as(drawn.err()).isZero();
        assertThat(drawn.out()).contains("wrote 4 new digits (digit 7, guidance scale 3.0, DDIM 3 steps, noise seed 5");
        assertThat(ImageIO.read(out.toFile()).getWidth()).as("2 columns").isEqualTo(2 * (56 + 2) + 2);
        Path plain = home.resolve("any.png");
        Cli.Outcome unconditional = Cli.dlbank("predict", "lab/diffusion", "--model", modelDir.toString(), "--count", "9",
                "--steps", "2", "--out", plain.toString());
        assertThat(unconditional.exitCode()).as(unconditional.err()).isZero();
        assertThat(unconditional.out()).contains("wrote 9 new digits (unconditional, DDIM 2 steps");

        for (String[] wrong : new String[][] {{"--digit", "10"}, {"--steps", "0"}, {"--guidance", "2"}, {"--count", "0"}}) {
            String[] args = {"predict", "lab/diffusion", "--model", modelDir.toString(), wrong[0], wrong[1]};
            Cli.Outcome refused = Cli.dlbank(args);
            assertThat(refused.exitCode()).as(String.join(" ", wrong)).isEqualTo(2);
            assertThat(refused.errLines()).as(String.join(" ", wrong)).hasSize(1);
        }
    }

    @Test
    void denoisesAnImageOfAnySizeIntoANewFile() throws IOException {
        BufferedImage noisy = new BufferedImage(45, 30, BufferedImage.TYPE_BYTE_GRAY);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 45; x++) {
                int stroke = Math.abs(x - 22) < 3 ? 220 : 0;
                noisy.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, stroke + (int) (random.nextGaussian() * 60))));
            }
        }
        Path input = home.resolve("noisy.png");
        ImageIO.write(noisy, "png", input.toFile());
        Path out = home.resolve("clean.png");
        Cli.Outcome outcome = Cli.dlbank("predict", "task/denoising-autoencoder", input.toString(), "--out", out.toString());
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("wrote the denoised 45x30 image to " + out);
        BufferedImage clean = ImageIO.read(out.toFile());
        assertThat(clean.getWidth()).isEqualTo(45);
        assertThat(clean.getHeight()).isEqualTo(30);

        Cli.Outcome notImage = Cli.dlbank("predict", "task/denoising-autoencoder", home.resolve("missing.png").toString());
        assertThat(notImage.exitCode()).isEqualTo(3);
        assertThat(notImage.errLines()).hasSize(1);
    }
}
