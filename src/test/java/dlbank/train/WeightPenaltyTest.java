package dlbank.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightPenaltyTest {

    static {
        TestSupport.configureEngine();
    }

    /** A dense layer 2 -> 2 with weights (1, -2; 0.5, 0) and biases (3, 3). */
    private static Linear layer(NDManager manager) {
        Linear linear = Linear.builder().setUnits(2).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        linear.getParameters().get("weight").getArray().set(new NDIndex(":"), manager.create(new float[] {1, -2, 0.5f, 0}, new Shape(2, 2)));
        linear.getParameters().get("bias").getArray().set(new NDIndex(":"), manager.create(new float[] {3, 3}));
        return linear;
    }

    @Test
    void l1IsLambdaTimesTheAbsoluteSumOfTheWeightsAndItsGradientLambdaTimesTheSign() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = layer(manager);
            try (NDManager batch = manager.newSubManager()) {
                NDArray penalty;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    penalty = WeightPenalty.l1(linear, 0.1f).of(batch);
                    collector.backward(penalty);
                }
                assertThat(penalty.getFloat()).isCloseTo(0.1f * 3.5f, within(1e-6f)); // biases left out
                assertThat(linear.getParameters().get("weight").getArray().getGradient().toFloatArray())
                        .containsExactly(new float[] {0.1f, -0.1f, 0.1f, 0f}, within(1e-6f));
            }
        }
    }

    @Test
    void l2IsHalfLambdaTimesTheSquaredNormAndItsGradientLambdaTimesTheWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = layer(manager);
            try (NDManager batch = manager.newSubManager()) {
                NDArray penalty;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    penalty = WeightPenalty.l2(linear, 0.1f).of(batch);
                    collector.backward(penalty);
                }
                assertThat(penalty.getFloat()).isCloseTo(0.05f * 5.25f, within(1e-6f));
                assertThat(linear.getParameters().get("weight").getArray().getGradient().toFloatArray())
                        .containsExactly(new float[] {0.1f, -0.2f, 0.05f, 0f}, within(1e-6f));
            }
        }
    }

    @Test
    void nothingMadeFromTheWeightsOutlivesTheBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = layer(manager);
            Parameter weight = linear.getParameters().get("weight");
            int before = weight.getArray().getManager().getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                try (NDManager batch = manager.newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(WeightPenalty.l1(linear, 0.1f).of(batch).add(WeightPenalty.l2(linear, 0.1f).of(batch)));
                }
            }
            assertThat(weight.getArray().getManager().getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void softThresholdMovesEachWeightTowardsZeroAndStopsAtZeroLeavingBiases() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = layer(manager);
            WeightPenalty.softThreshold(linear, 0.75f).run();
            // (1, -2, 0.5, 0) -> (0.25, -1.25, 0, 0): 0.5 would cross zero, so it stops there.
            assertThat(linear.getParameters().get("weight").getArray().toFloatArray())
                    .containsExactly(new float[] {0.25f, -1.25f, 0f, 0f}, within(1e-6f));
            assertThat(linear.getParameters().get("bias").getArray().toFloatArray()).containsExactly(3f, 3f);
        }
    }

    @Test
    void decayScalesEveryWeightAndNeverMakesOneZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = layer(manager);
            WeightPenalty.decay(linear, 0.1f).run();
            assertThat(linear.getParameters().get("weight").getArray().toFloatArray())
                    .containsExactly(new float[] {0.9f, -1.8f, 0.45f, 0f}, within(1e-6f));
            assertThat(linear.getParameters().get("bias").getArray().toFloatArray()).containsExactly(3f, 3f);
        }
    }
}
