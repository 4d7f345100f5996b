package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RmsPropTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void twoStepsMatchTheUpdateRuleWorkedByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1f, -1f});
            RmsProp optimizer = new RmsProp(0.01f, 0.9f, 1e-8f);
            int before = manager.getManagedArrays().size();
            // step 1, g = (2, -0.5): s = 0.1·g² = (0.4, 0.025); w -= 0.01·g/√s
            optimizer.update("w", weight, manager.create(new float[] {2f, -0.5f}));
            double w0 = 1 - 0.01 * 2 / Math.sqrt(0.4);
            double w1 = -1 + 0.01 * 0.5 / Math.sqrt(0.025);
            assertThat(weight.toFloatArray()).containsExactly(new float[] {(float) w0, (float) w1}, within(1e-6f));
            // step 2, g = (2, 0.5): s = 0.9·s + 0.1·g² = (0.76, 0.0475)
            optimizer.update("w", weight, manager.create(new float[] {2f, 0.5f}));
            w0 -= 0.01 * 2 / Math.sqrt(0.76);
            w1 -= 0.01 * 0.5 / Math.sqrt(0.0475);
            assertThat(weight.toFloatArray()).containsExactly(new float[] {(float) w0, (float) w1}, within(1e-6f));
            // only the two gradients were added to the manager: no temporary stayed behind
            assertThat(manager.getManagedArrays()).hasSize(before + 2);
        }
    }
}
