package dlbank.experiment;

import dlbank.TestSupport;
import dlbank.experiment.task.AndGateTask;
import dlbank.experiment.task.DenoisingAutoencoderTask;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.train.StepGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registered experiment runs in quick mode on the fixtures, and its claims are real checks.
 * {@code -Ddlbank.quick.only=lab/efficient-cnn,lab/vision-transformer} runs only those experiments' quick modes
 * (and prints each one's seconds).
 */
class QuickExperimentsTest {

    /**
     * {@code -Ddlbank.quick.only=lab/vae,lab/diffusion} runs only those experiments (a helper checking its
     * own labs); each one's seconds are printed either way.
     */
    @Test
    void everyRegisteredExperimentRunsInQuickMode(@TempDir Path dir) throws Exception {
        java.util.List<String> only = java.util.Arrays.stream(System.getProperty("dlbank.quick.only", "").split(","))
                .filter(id -> !id.isBlank()).toList();
        for (Experiment experiment : ExperimentRegistry.all()) {
            if (!only.isEmpty() && !only.contains(experiment.id())) {
                continue;
            }
            Path out = dir.resolve(experiment.id().replace('/', '-'));
            long begin = System.nanoTime();
            Result result = experiment.run(TestSupport.quickContext(out));
            System.out.printf("quick mode: %s %.1f s%n", experiment.id(), (System.nanoTime() - begin) / 1e9);
            assertThat(result.claims()).as(experiment.id()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(result.metrics()).as(experiment.id()).isNotEmpty();
            result.metrics().forEach((name, value) ->
                    assertThat(Double.isFinite(value)).as(experiment.id() + " " + name + " = " + value).isTrue());
            for (Claim claim : result.claims()) {
                assertThat(claim.measured()).as(experiment.id() + ": " + claim.text()).isNotEmpty();
                assertThat(claim.textZh()).as(experiment.id() + ": Chinese of " + claim.text())
                        .isNotBlank().containsPattern("\\p{IsHan}");
                if (claim.held() == null) {
                    assertThat(claim.noteZh()).as(experiment.id() + ": Chinese note of " + claim.text()).isNotBlank();
                }
            }
            for (String artifact : result.artifacts()) {
                assertThat(out.resolve(artifact)).as(experiment.id() + " " + artifact).exists();
            }
        }
    }

    @Test
    void andGateLearnsAndAndOrButOneNeuronCannotLearnXor(@TempDir Path dir) throws Exception {
        Result result = new AndGateTask().run(TestSupport.quickContext(dir));
        assertThat(result.metrics().get("and_neuron_correct")).isEqualTo(4.0);
        assertThat(result.metrics().get("or_neuron_correct")).isEqualTo(4.0);
        assertThat(result.metrics().get("xor_neuron_correct")).isLessThanOrEqualTo(3.0);
        assertThat(result.metrics().get("xor_hidden_correct")).isEqualTo(4.0);
        assertThat(result.claims().subList(0, 4)).allSatisfy(claim -> assertThat(claim.held()).as(claim.text()).isTrue());
        assertThat(dir.resolve("boundary-xor-hidden.png")).exists();
    }

    @Test
    void mnistCnnQuickModeLearnsTheFixture(@TempDir Path dir) throws Exception {
        Result result = new MnistCnnTask().run(TestSupport.quickContext(dir));
        // Measured: 0.916 on the 1,000 fixture test images after 3 epochs on 1,800 training images.
        assertThat(result.metrics().get("test_accuracy")).isGreaterThan(0.85);
        assertThat(result.metrics().get("parameters")).isEqualTo(121_930.0);
        assertThat(result.history()).hasSize(3);
        assertThat(result.claims().get(0).held()).as("the 99% claim is not judged in quick mode").isNull();
        assertThat(result.claims().get(1).held()).isTrue();
        assertThat(dir.resolve("model/architecture.json")).exists();
        assertThat(dir.resolve("confusion_matrix.png")).exists();
        assertThat(dir.resolve("checkpoint/state.json")).exists();
    }

    @Test
    void theDenoiserTrainsThroughTheEnginesFirstUseNaN(@TempDir Path dir) throws Exception {
        // The engine bug, injected: every network's first step of each input shape gets NaN gradients, as
        // the convolution's first backward pass gave them on an AMD EPYC with AVX-512. Before the guard this
        // run stopped with "training diverged: the loss became NaN in epoch 1".
        long before = StepGuard.skippedInProcess();
        Result result;
        try (AutoCloseable injected = StepGuard.NanInjection.install(StepGuard.NanInjection.parse("first-use"))) {
            result = new DenoisingAutoencoderTask().run(TestSupport.quickContext(dir));
        }
        // The full batches' shape and the last, smaller batch's shape: one skipped step each.
        assertThat(StepGuard.skippedInProcess() - before).isEqualTo(2);
        assertThat(result.metrics().get("psnr_denoised")).isFinite().isGreaterThan(result.metrics().get("psnr_noisy"));
    }
}
