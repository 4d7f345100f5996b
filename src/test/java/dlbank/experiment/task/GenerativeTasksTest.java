package dlbank.experiment.task;

import dlbank.TestSupport;
import dlbank.experiment.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The GAN and the denoising autoencoder in quick mode on the fixtures: what they write and measure. */
class GenerativeTasksTest {

    @Test
    void theDenoiserAlreadyBeatsTheNoisyInputAfterTwoShortEpochs(@TempDir Path dir) throws Exception {
        Result result = new DenoisingAutoencoderTask().run(TestSupport.quickContext(dir));
        // Measured: 9.4 dB noisy, 15.8 dB denoised at sigma 0.5 on the 1,000 fixture test digits.
        assertThat(result.metrics().get("psnr_denoised")).isGreaterThan(result.metrics().get("psnr_noisy") + 3);
        assertThat(result.metrics().get("ssim_denoised")).isGreaterThan(result.metrics().get("ssim_noisy"));
        assertThat(result.metrics()).containsKeys("psnr_gain_sigma_0.1", "psnr_gain_sigma_0.7");
        assertThat(dir.resolve("denoised.png")).exists();
        assertThat(dir.resolve("model/architecture.json")).exists();
    }

    @Test
    void theGanDrawsAndIsJudgedAgainstTheRealReference(@TempDir Path dir) throws Exception {
        Result result = new MnistGanTask().run(TestSupport.quickContext(dir, java.util.Map.of("model", "mlp")));
        assertThat(result.history()).hasSize(2);
        assertThat(result.history().get(0)).containsKeys("d_loss", "g_loss", "judge_confident_share", "frechet_distance");
        // The real halves of the test set are close; two epochs of a GAN are far from them.
        assertThat(result.metrics().get("frechet_distance_real")).isLessThan(result.metrics().get("frechet_distance"));
        assertThat(result.metrics().get("frechet_distance_real")).isLessThan(result.metrics().get("frechet_distance_half"));
        assertThat(result.metrics().get("judge_class_entropy_real")).isGreaterThan(2.1);
        assertThat(dir.resolve("samples/epoch-02.png")).exists();
        assertThat(dir.resolve("samples.png")).exists();
        assertThat(dir.resolve("model/architecture.json")).exists();
        assertThat(dir.resolve("mnist-cnn/model/architecture.json")).as("the judge, trained first").exists();
    }
}
