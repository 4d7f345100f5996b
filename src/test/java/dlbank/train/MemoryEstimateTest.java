package dlbank.train;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.XavierInitializer;
import dlbank.TestSupport;
import dlbank.UserException;
import dlbank.model.MnistCnn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryEstimateTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void countsEveryLayerOutputOfTheSpecifiedCnnByHand() {
        try (Model model = Model.newInstance("cnn")) {
            model.setBlock(MnistCnn.build());
            model.getBlock().setInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            // Per example: input 784; conv 32x26x26 = 21,632, relu 21,632, pool 32x13x13 = 5,408,
            // conv 64x11x11 = 7,744, relu 7,744, pool 64x5x5 = 1,600, flatten 1,600, dense 64, relu 64,
            // dense 10: 68,282 floats, kept three times at 4 bytes; 121,930 parameters four times.
            long perExample = 784 + 21_632 * 2 + 5_408 + 7_744 * 2 + 1_600 * 2 + 64 * 2 + 10;
            assertThat(perExample).isEqualTo(68_282);
            assertThat(MemoryEstimate.trainingBytes(model.getBlock(), new Shape(1, 28, 28), 100))
                    .isEqualTo(100 * perExample * 4 * 3 + 121_930L * 4 * 4);

            // 55,000 images in one batch: about 45 GB, refused on a machine with 16 GB free.
            assertThatThrownBy(() -> MemoryEstimate.check(model.getBlock(), new Shape(1, 28, 28), 55_000, 16_000_000_000L))
                    .isInstanceOf(UserException.class)
                    .hasMessage("--batch-size 55000: training would need about 45.1 GB of memory (estimated from the "
                            + "model's layer sizes), and 16.0 GB is available; choose a smaller batch");
            MemoryEstimate.check(model.getBlock(), new Shape(1, 28, 28), 64, 16_000_000_000L);
        }
    }
}
