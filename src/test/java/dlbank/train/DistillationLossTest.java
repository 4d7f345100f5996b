package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The distillation loss against values worked out by hand. */
class DistillationLossTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void softTermIsTSquaredTimesTheKlDivergenceAtTemperatureT() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // One example, two classes. Teacher logits (2, 0), student logits (0, 0), T = 2:
            // teacher at T: softmax(1, 0) = (0.731059, 0.268941); student at T: (0.5, 0.5).
            // KL = 0.731059 ln(0.731059/0.5) + 0.268941 ln(0.268941/0.5) = 0.277719 - 0.166774 = 0.110944
            // alpha = 1: loss = T² · KL = 0.443776.
            NDArray labels = manager.create(new float[] {1, 2, 0}, new Shape(1, 3));
            NDArray student = manager.create(new float[] {0, 0}, new Shape(1, 2));
            float soft = new DistillationLoss(2f, 1f).evaluate(new NDList(labels), new NDList(student)).getFloat();
            assertThat(soft).isCloseTo(0.443776f, within(1e-5f));
            // alpha = 0: plain cross-entropy of class 1 under (0.5, 0.5) = ln 2.
            float hard = new DistillationLoss(2f, 0f).evaluate(new NDList(labels), new NDList(student)).getFloat();
            assertThat(hard).isCloseTo((float) Math.log(2), within(1e-6f));
            // A student that matches the teacher exactly has no soft loss.
            NDArray same = manager.create(new float[] {2, 0}, new Shape(1, 2));
            assertThat(new DistillationLoss(2f, 1f).evaluate(new NDList(labels), new NDList(same)).getFloat())
                    .isCloseTo(0f, within(1e-6f));
        }
    }
}
