package dlbank.experiment.lab;

import dlbank.TestSupport;
import dlbank.experiment.Claim;
import dlbank.experiment.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** lab/cnn in quick mode: what it states about the architecture holds at any training size. */
class CnnLabTest {

    @Test
    void theConvolutionsTwinsAndEquivarianceAreMeasuredExactly(@TempDir Path dir) throws Exception {
        Result result = new CnnLab().run(TestSupport.quickContext(dir));
        // Hand-computed: conv 1->32 on 28x28 gives 32x26x26 = 21,632 outputs from 784 inputs;
        // conv 32->64 on 13x13 gives 64x11x11 = 7,744 outputs from 5,408 inputs.
        assertThat(result.metrics()).containsEntry("parameters_conv1", 320.0)
                .containsEntry("parameters_dense_equivalent_conv1", 784.0 * 21_632 + 21_632)
                .containsEntry("parameters_conv2", 18_496.0)
                .containsEntry("parameters_dense_equivalent_conv2", 5_408.0 * 7_744 + 7_744)
                .containsEntry("parameters_locally_connected_conv1", 21_632.0 * 10);
        // Parameters, equivariance and pooling do not depend on how long the model trained.
        assertThat(result.claims().subList(0, 3)).extracting(Claim::held).containsOnly(true);
        assertThat(result.metrics().get("shift0_accuracy_cnn")).isGreaterThan(0.8);
        assertThat(result.config()).containsKey("mnist_cnn_model");
        assertThat(dir.resolve("filters_conv1.png")).exists();
        assertThat(dir.resolve("feature_maps_conv2.png")).exists();
        assertThat(dir.resolve("shift_accuracy.png")).exists();
    }
}
