package dlbank.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightAverageTest {

    /** A one-weight, one-bias layer whose parameters are all set to {@code value}. */
    private static Block layer(NDManager manager, float value) {
        Block block = Linear.builder().setUnits(1).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        block.getParameters().values().forEach(p -> p.getArray().set(new float[] {value}));
        return block;
    }

    private static float weight(Block block) {
        return block.getParameters().valueAt(0).getArray().toFloatArray()[0];
    }

    @Test
    void withoutWarmUpTheStartingWeightsKeepDecayToThePowerOfTheUpdates() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block live = layer(manager, 1);
            Block average = layer(manager, 0);
            WeightAverage plain = new WeightAverage(live, average, 0.9f);
            for (int i = 0; i < 20; i++) {
                plain.update();
            }
            // The average started at 0 and saw 1 twenty times: 1 - 0.9^20 of the way.
            assertThat((double) weight(average)).isCloseTo(1 - Math.pow(0.9, 20), within(1e-5));
        }
    }

    @Test
    void theWarmUpFadesTheStartingWeightsOutFastAndEndsAtTheGivenDecay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block live = layer(manager, 1);
            Block average = layer(manager, 0);
            WeightAverage warm = new WeightAverage(live, average, 0.9f).withWarmUp();
            assertThat(warm.nextDecay()).isCloseTo(2f / 11, within(1e-6f));
            double kept = 1;
            for (int n = 1; n <= 20; n++) {
                kept *= Math.min(0.9, (1.0 + n) / (10.0 + n));
                warm.update();
            }
            assertThat((double) weight(average)).isCloseTo(1 - kept, within(1e-5));
            // The starting weights' share is far smaller than without the warm-up.
            assertThat(kept).isLessThan(Math.pow(0.9, 20) / 100);
            // From n = 80 on, (1 + n) / (10 + n) passes 0.9 and the given decay applies.
            for (int n = 21; n < 80; n++) {
                warm.update();
            }
            assertThat(warm.nextDecay()).isEqualTo(0.9f);
        }
    }
}
