package dlbank.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand formulas against the built layers, and the receptive-field recurrence against a hand calculation. */
class EfficientCnnTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void formulasEqualTheBuiltNetworksCounts() {
        for (List<EfficientCnn.Layer> layers : List.of(EfficientCnn.standard(), EfficientCnn.separable())) {
            try (NDManager manager = NDManager.newBaseManager()) {
                SequentialBlock block = EfficientCnn.classifier(layers, 10);
                block.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(1));
                assertThat(ParameterCount.of(block)).isEqualTo(EfficientCnn.parametersByFormula(layers, 1, 10));
                assertThat(MultiplyAdds.forward(block, MnistCnn.inputShape(1)))
                        .isEqualTo(EfficientCnn.multiplyAddsByFormula(layers, 1, 28, 10));
            }
        }
        // By hand: stem (9·1·16 + 16) + 3x3 stages (9·16·32 + 32) + (9·32·64 + 64) + (9·64·128 + 128) + dense 128·10 + 10.
        assertThat(EfficientCnn.parametersByFormula(EfficientCnn.standard(), 1, 10)).isEqualTo(160 + 4_640 + 18_496 + 73_856 + 1_290);
    }

    @Test
    void receptiveFieldByTheRecurrence() {
        // 3x3 (r 3), 3x3 (r 5), pool 2 (r 6, j 2), 3x3 (r 10), pool 2 (r 12, j 4), 3x3 (r 20); padding 1 shifts the
        // start by 1, 1, 2 and 4 pixels: unit i sees pixels 4i − 8 ... 4i + 11.
        EfficientCnn.ReceptiveField field = EfficientCnn.receptiveField(EfficientCnn.standard());
        assertThat(field.size()).isEqualTo(20);
        assertThat(field.jump()).isEqualTo(4);
        assertThat(field.span(3)).containsExactly(4, 23);
        assertThat(EfficientCnn.receptiveField(EfficientCnn.separable())).isEqualTo(field);
        assertThat(EfficientCnn.outputSide(EfficientCnn.standard(), 28)).isEqualTo(7);
    }
}
