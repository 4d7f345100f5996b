package dlbank.experiment.lab;

import ai.djl.ndarray.NDManager;
import dlbank.TestSupport;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The normalization, initialization and residual-network labs: the pieces that need no training run,
 * then each quick mode on the fixtures, with the claims that are judged at any size.
 */
class ArchitectureLabsTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void handWrittenBatchNormMatchesTheEngineOnFashionMnistFeatureMaps() {
        ImageDataset images = ImageDataset.load(TestSupport.fixtureHome(), DataSet.FASHION_MNIST,
                ImageDataset.Split.TRAIN, line -> { }).head(32);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] errors = NormalizationLab.checkBatchNormByHand(manager, images, 42);
            assertThat(errors).hasSize(5);
            for (double error : errors) {
                assertThat(error).isLessThan(NormalizationLab.TOLERANCE);
            }
        }
    }

    @Test
    void theHighestStableRateIsTheLargestFiniteRunBelowTheLossThreshold() {
        NormalizationLab.Settings settings = new NormalizationLab.Settings(8, new float[] {0.01f, 0.1f, 1f}, 2, 32, 100,
                10, 10, 1.0, 0.8, 10, 0.01f, 0.1f);
        SgdTraining.Outcome fine = new SgdTraining.Outcome("a", new double[] {1.2, 0.6}, new double[] {0.7, 0.82}, false, 6, 1);
        SgdTraining.Outcome stuck = new SgdTraining.Outcome("b", new double[] {2.3, 2.3}, new double[] {0.1, 0.1}, false, 6, 1);
        SgdTraining.Outcome diverged = new SgdTraining.Outcome("c", new double[] {Double.NaN, Double.NaN},
                new double[] {Double.NaN, Double.NaN}, true, 2, 1);
        assertThat(NormalizationLab.highestStableRate(settings, new SgdTraining.Outcome[] {fine, fine, diverged})).isEqualTo(0.1f, within(1e-6));
        assertThat(NormalizationLab.highestStableRate(settings, new SgdTraining.Outcome[] {fine, stuck, stuck})).isEqualTo(0.01f, within(1e-6));
        assertThat(NormalizationLab.highestStableRate(settings, new SgdTraining.Outcome[] {stuck, stuck, diverged})).isZero();
        assertThat(NormalizationLab.fewestEpochsToTarget(settings, new SgdTraining.Outcome[] {stuck, fine, diverged})).isEqualTo(2);
        assertThat(NormalizationLab.fewestEpochsToTarget(settings, new SgdTraining.Outcome[] {stuck, stuck, diverged})).isEqualTo(3);
    }

    @Test
    void normalizationQuickModeChecksBatchNormByHandAndLeavesTheTrainingClaimsToTheFullRun(@TempDir Path dir) throws Exception {
        Result result = new NormalizationLab().run(TestSupport.quickContext(dir));
        assertThat(claim(result, "written by hand").held()).isTrue();
        assertThat(result.metrics().get("hand_bn_max_error_gamma_gradient")).isLessThan(NormalizationLab.TOLERANCE);
        assertThat(claim(result, "higher learning rate").held()).as("judged only in full mode").isNull();
        assertThat(result.claims()).hasSize(5);
        assertThat(dir.resolve("learning_rate_sweep.png")).exists();
        assertThat(dir.resolve("eval_mode_bug.png")).exists();
    }

    @Test
    void initializationQuickModeMeasuresSpreadPerLayerAndZeroInitKeepsUnitsEqual(@TempDir Path dir) throws Exception {
        Result result = new InitializationLab().run(TestSupport.quickContext(dir));
        assertThat(claim(result, "never break the symmetry").held()).isTrue();
        assertThat(result.metrics().get("unit_spread_zero")).isZero();
        assertThat(result.metrics().get("unit_spread_he")).isGreaterThan(0.01);
        // ReLU halves the variance per layer: small Gaussian weights shrink the signal by about 100x per layer
        assertThat(result.metrics().get("activation_std_ratio_small")).isLessThan(1e-6);
        assertThat(result.metrics().get("activation_std_ratio_large")).isGreaterThan(1e6);
        assertThat(dir.resolve("activation_std_per_layer.png")).exists();
        assertThat(dir.resolve("gradient_std_per_layer.png")).exists();
    }

    @Test
    void residualQuickModeTrainsPlainAndResidualNetsAndMeasuresGradientsPerLayer(@TempDir Path dir) throws Exception {
        Result result = new ResidualNetworksLab().run(TestSupport.quickContext(dir));
        assertThat(result.claims()).hasSize(4);
        assertThat(claim(result, "Plain nets degrade").held()).as("judged only in full mode").isNull();
        assertThat(result.metrics()).containsKeys("train_loss_plain_8", "train_loss_residual_14",
                "first_layer_gradient_at_start_plain_14", "first_layer_gradient_after_residual_14");
        assertThat(result.metrics().get("first_layer_gradient_at_start_residual_14")).isPositive();
        assertThat(dir.resolve("gradient_norm_per_layer.png")).exists();
        assertThat(dir.resolve("training_loss_by_depth.png")).exists();
    }

    private static Claim claim(Result result, String containing) {
        return result.claims().stream().filter(claim -> claim.text().contains(containing)).findFirst().orElseThrow();
    }
}
