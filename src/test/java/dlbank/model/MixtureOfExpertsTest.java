package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The routed mixture against running every expert on every row and mixing by the top-k gates. */
class MixtureOfExpertsTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void routesEachRowToItsTopKExpertsOnlyAndMatchesTheDenseComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixtureOfExperts layer = new MixtureOfExperts(6, 5, 4, 2);
            layer.initialize(manager, DataType.FLOAT32, new Shape(3, 6));
            assertThat(ParameterCount.of(layer)).isEqualTo(layer.parameterFormula());
            NDArray x = manager.randomNormal(new Shape(9, 6));
            layer.countUsage();
            NDArray routed = layer.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertThat(java.util.Arrays.stream(layer.usage()).sum()).as("k slots per row").isEqualTo(9 * 2);

            // Every expert on every row, then each row keeps its two best experts' outputs by renormalised gates.
            NDArray p = x.matMul(array(layer, "router")).softmax(1);
            float[] probabilities = p.toFloatArray();
            float[] expected = new float[9 * 6];
            for (int e = 0; e < 4; e++) {
                NDArray h = x.matMul(array(layer, "experts_weight1").get(e)).add(array(layer, "experts_bias1").get(e));
                float[] out = ai.djl.nn.Activation.relu(h).matMul(array(layer, "experts_weight2").get(e))
                        .add(array(layer, "experts_bias2").get(e)).toFloatArray();
                for (int row = 0; row < 9; row++) {
                    int[] top = topTwo(probabilities, row);
                    double gate = top[0] == e || top[1] == e ? probabilities[row * 4 + e]
                            / (probabilities[row * 4 + top[0]] + probabilities[row * 4 + top[1]]) : 0;
                    for (int c = 0; c < 6; c++) {
                        expected[row * 6 + c] += (float) (gate * out[row * 6 + c]);
                    }
                }
            }
            assertThat(routed.toFloatArray()).containsExactly(expected, within(1e-5f));
            assertThat(layer.multiplyAddsPerExample()).isEqualTo(6 * 4 + 2 * 2 * 6 * 5);
        }
    }

    private static NDArray array(MixtureOfExperts layer, String name) {
        return layer.getParameters().get(name).getArray();
    }

    private static int[] topTwo(float[] p, int row) {
        int best = 0;
        for (int e = 1; e < 4; e++) {
            best = p[row * 4 + e] > p[row * 4 + best] ? e : best;
        }
        int second = best == 0 ? 1 : 0;
        for (int e = 0; e < 4; e++) {
            second = e != best && p[row * 4 + e] > p[row * 4 + second] ? e : second;
        }
        return new int[] {best, second};
    }
}
