package dlbank.experiment.lab;

import ai.djl.ndarray.NDManager;
import dlbank.TestSupport;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The pieces of the normalization lab that do not need a training run. */
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
}
