package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The number formats emulated in fp32, and the dynamic loss scaler. */
class PrecisionTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void bf16ByVeltkampsSplitEqualsRoundingTheBitsToNearestEven() {
        Random random = new Random(7);
        float[] values = new float[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] rounded = Precision.BF16.round(manager.create(values)).toFloatArray();
            int differ = 0;
            for (int i = 0; i < values.length; i++) {
                float expected = Precision.bf16ByBits(values[i]);
                if (rounded[i] != expected) {
                    differ++;
                    // Only an exact tie may go the other way: then both are one bf16 step apart.
                    assertThat(Math.abs(rounded[i] - expected)).isLessThanOrEqualTo(Math.ulp(expected) * 65_536f);
                }
                // 8 significant bits: the low 16 bits of the fp32 pattern are zero.
                assertThat(Float.floatToRawIntBits(rounded[i]) & 0xFFFF).isZero();
            }
            assertThat(differ).as("ties between two bf16 numbers are rare among random values").isLessThan(10);
        }
    }

    @Test
    void fp16OverflowsAbove65504AndFlushesTinyValuesToZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] rounded = Precision.FP16.round(manager.create(new float[] {65_504f, 70_000f, 1e-8f, 6e-8f, 1e-4f, 1.0001f}))
                    .toFloatArray();
            assertThat(rounded[0]).isEqualTo(65_504f);
            assertThat(rounded[1]).isInfinite();
            assertThat(rounded[2]).isZero();
            assertThat(rounded[3]).isEqualTo((float) Math.pow(2, -24));   // the smallest subnormal
            assertThat(rounded[4]).isCloseTo(1e-4f, org.assertj.core.data.Offset.offset(1e-7f));
            assertThat(rounded[5]).isEqualTo(1f);                           // spacing near 1 is 2^-10
        }
    }

    @Test
    void roundingStraightThroughRoundsTheValueAndPassesTheGradientUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1.0001f, 3.14159f});
            x.setRequiresGradient(true);
            try (GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray y = Precision.FP16.roundStraightThrough(x);
                assertThat(y.toFloatArray()).containsExactly(1f, 3.140625f);
                collector.backward(y.mul(manager.create(new float[] {2f, 5f})).sum());
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(2f, 5f);
        }
    }

    @Test
    void theLossScalerHalvesOnOverflowAndDoublesAfterAGoodRun() {
        LossScaler scaler = new LossScaler(1024, 3);
        assertThat(scaler.update(false)).isFalse();
        assertThat(scaler.scale()).isEqualTo(512);
        assertThat(scaler.update(true)).isTrue();
        assertThat(scaler.update(true)).isTrue();
        assertThat(scaler.scale()).isEqualTo(512);
        assertThat(scaler.update(true)).isTrue();
        assertThat(scaler.scale()).isEqualTo(1024);
        assertThat(scaler.skipped()).isEqualTo(1);
    }
}
