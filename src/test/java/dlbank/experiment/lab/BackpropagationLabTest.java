package dlbank.experiment.lab;

import dlbank.TestSupport;
import dlbank.experiment.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BackpropagationLabTest {

    @Test
    void handWrittenGradientsAgreeWithFiniteDifferencesAndAutogradInQuickMode(@TempDir Path dir) {
        Result result = new BackpropagationLab().run(TestSupport.quickContext(dir));
        // Measured in quick mode: 2.3e-9 (central differences) and 2.1e-12 (autograd, largest entry).
        assertThat(result.metrics().get("max_norm_relative_error_finite_differences")).isLessThan(1e-6);
        assertThat(result.metrics().get("max_relative_error_autograd")).isLessThan(1e-9);
        assertThat(result.claims().get(0).held()).isTrue();
        assertThat(result.claims().get(1).held()).isTrue();
        assertThat(dir.resolve("gradient_errors.png")).exists();
    }
}
