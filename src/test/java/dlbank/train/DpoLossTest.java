package dlbank.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The DPO loss in tensors against plain arithmetic, and its gradient against the formula and finite differences. */
class DpoLossTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void lossAndGradientMatchTheFormula() {
        double[][] cases = {{-10, -12, -11, -11, 0.1}, {-50, -20, -40, -30, 0.5}, {-3, -3, -3, -3, 1}, {-200, -1, -1, -200, 0.1}};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (double[] c : cases) {
                NDArray chosen = manager.create(new double[] {c[0]});
                chosen.setRequiresGradient(true);
                double loss;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray value = DpoLoss.loss(chosen, manager.create(new double[] {c[1]}), manager.create(new double[] {c[2]}),
                            manager.create(new double[] {c[3]}), c[4]);
                    loss = value.getDouble();
                    collector.backward(value);
                }
                assertThat(loss).isCloseTo(DpoLoss.reference(c[0], c[1], c[2], c[3], c[4]), within(1e-9));
                double gradient = chosen.getGradient().getDouble();
                assertThat(gradient).isCloseTo(DpoLoss.chosenGradient(c[0], c[1], c[2], c[3], c[4]), within(1e-9));
                double h = 1e-4;
                double numeric = (DpoLoss.reference(c[0] + h, c[1], c[2], c[3], c[4])
                        - DpoLoss.reference(c[0] - h, c[1], c[2], c[3], c[4])) / (2 * h);
                assertThat(gradient).isCloseTo(numeric, within(1e-7));
            }
        }
        // Equal margins give log 2; a pair ranked right by far costs almost nothing, and wrong by far costs the margin.
        assertThat(DpoLoss.reference(-3, -3, -3, -3, 1)).isCloseTo(Math.log(2), within(1e-12));
        assertThat(DpoLoss.reference(0, -100, 0, 0, 1)).isLessThan(1e-40);
        assertThat(DpoLoss.reference(-100, 0, 0, 0, 1)).isCloseTo(100, within(1e-9));
    }
}
