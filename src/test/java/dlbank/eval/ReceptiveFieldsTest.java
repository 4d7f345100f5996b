package dlbank.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import dlbank.TestSupport;
import dlbank.model.EfficientCnn;
import dlbank.model.MnistCnn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The receptive field measured from input gradients, against the recurrence; the effective field's central share. */
class ReceptiveFieldsTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void theInputGradientOfOneUnitIsNonZeroExactlyOnItsReceptiveField() {
        for (List<EfficientCnn.Layer> layers : List.of(EfficientCnn.standard(), EfficientCnn.separable())) {
            try (NDManager manager = NDManager.newBaseManager()) {
                SequentialBlock features = EfficientCnn.features(layers);
                ai.djl.engine.Engine.getInstance().setRandomSeed(7);
                features.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(1));
                NDArray images = manager.randomUniform(0, 1, new Shape(64, 1, 28, 28));
                for (int unit : new int[] {1, 3}) {
                    float[] map = ReceptiveFields.gradientMap(features, images, unit);
                    int[] span = EfficientCnn.receptiveField(layers).span(unit);
                    // Unit 1's field (pixels −4 to 15) is cut by the image's edge at 0.
                    int[] expected = {Math.max(0, span[0]), Math.min(27, span[1])};
                    assertThat(ReceptiveFields.support(map, true)).as("rows of unit " + unit).containsExactly(expected);
                    assertThat(ReceptiveFields.support(map, false)).as("columns of unit " + unit).containsExactly(expected);
                }
            }
        }
    }

    @Test
    void theSmallestCentralSquareHoldingAShareOfTheMass() {
        float[] map = new float[28 * 28];
        map[13 * 28 + 13] = 3;     // the two central pixels of the field 4..23 hold 3/4 of the mass
        map[14 * 28 + 14] = 3;
        map[4 * 28 + 4] = 2;       // its corner the rest
        assertThat(ReceptiveFields.sideHolding(map, new int[] {4, 23}, 0.5)).isEqualTo(2);
        assertThat(ReceptiveFields.sideHolding(map, new int[] {4, 23}, 0.9)).isEqualTo(20);
        // A field of odd side (3..9, centre 6) grows by squares of side 1, 3, 5, 7.
        float[] odd = new float[28 * 28];
        odd[6 * 28 + 6] = 1;
        odd[5 * 28 + 7] = 1;
        odd[3 * 28 + 3] = 2;
        assertThat(ReceptiveFields.sideHolding(odd, new int[] {3, 9}, 0.25)).isEqualTo(1);
        assertThat(ReceptiveFields.sideHolding(odd, new int[] {3, 9}, 0.5)).isEqualTo(3);
        assertThat(ReceptiveFields.sideHolding(odd, new int[] {3, 9}, 0.75)).isEqualTo(7);
    }
}
