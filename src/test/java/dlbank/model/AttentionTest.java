package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AttentionTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void matchesHandComputedWeightsAndOutputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // One query q = (1, 0); keys k1 = (1, 0), k2 = (0, 1), k3 = (1, 1); d = 2.
            // Scores q·k/√2 = (0.70711, 0, 0.70711); softmax: e^0.70711 = 2.02811, e^0 = 1;
            // sum 5.05622 -> weights (0.40111, 0.19778, 0.40111).
            NDArray q = manager.create(new float[] {1, 0}, new Shape(1, 1, 2));
            NDArray k = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(1, 3, 2));
            // Values v1 = 10, v2 = 20, v3 = 40: output 0.40111*10 + 0.19778*20 + 0.40111*40 = 24.0111.
            NDArray v = manager.create(new float[] {10, 20, 40}, new Shape(1, 3, 1));
            NDList result = Attention.scaledDotProduct(q, k, v, null);
            float[] weights = result.get(1).toFloatArray();
            assertThat(weights[0]).isCloseTo(0.40111f, within(1e-4f));
            assertThat(weights[1]).isCloseTo(0.19778f, within(1e-4f));
            assertThat(weights[2]).isCloseTo(0.40111f, within(1e-4f));
            assertThat(result.get(0).getFloat(0, 0, 0)).isCloseTo(24.0111f, within(1e-3f));
        }
    }

    @Test
    void aMaskedPositionGetsNoWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray q = manager.create(new float[] {1, 0}, new Shape(1, 1, 2));
            NDArray k = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(1, 3, 2));
            NDArray v = manager.create(new float[] {10, 20, 40}, new Shape(1, 3, 1));
            NDArray mask = manager.create(new float[] {1, 1, 0}, new Shape(1, 3));
            NDList result = Attention.scaledDotProduct(q, k, v, mask);
            // Only k1 and k2 remain: softmax(0.70711, 0) = (0.66976, 0.33024); output 13.3024.
            float[] weights = result.get(1).toFloatArray();
            assertThat(weights[0]).isCloseTo(0.66976f, within(1e-4f));
            assertThat(weights[1]).isCloseTo(0.33024f, within(1e-4f));
            assertThat(weights[2]).isCloseTo(0f, within(1e-7f));
            assertThat(result.get(0).getFloat(0, 0, 0)).isCloseTo(13.3024f, within(1e-3f));
        }
    }
}
