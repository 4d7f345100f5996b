package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** LoRA layers: they start as the base layer, they count r·(inputs + outputs) values, and merging keeps their outputs. */
class LowRankAdapterTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void anAdaptedCnnStartsAsThePlainOneAndMergesIntoAPlainOneWithTheSameOutputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock plain = MnistCnn.build();
            SequentialBlock adapted = MnistCnn.adapted(4, 8f, true);
            plain.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(1));
            adapted.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(1));
            for (int layer : MnistCnn.WEIGHT_LAYERS) {
                Block target = adapted.getChildren().valueAt(layer);
                Weights.copy(plain.getChildren().valueAt(layer), target instanceof LowRankAdapter a ? a.base() : target);
            }
            long adapters = 0;
            for (int layer : new int[] {0, 3, 7}) {
                LowRankAdapter adapter = (LowRankAdapter) adapted.getChildren().valueAt(layer);
                adapter.reset(7);
                adapters += adapter.adapterParameters();
            }
            // conv 1->32 (3x3): 4·9 + 32·4; conv 32->64: 4·288 + 64·4; dense 1600->64: 4·1600 + 64·4
            assertThat(adapters).isEqualTo(4 * 9 + 32 * 4 + 4 * 288 + 64 * 4 + 4 * 1600 + 64 * 4);
            NDArray x = manager.randomUniform(0f, 1f, new Shape(5, 1, 28, 28));
            float[] before = forward(plain, x);
            assertThat(forward(adapted, x)).containsExactly(before);          // B = 0: nothing changed yet

            // Give every B random values, as training would, then merge into a fresh plain network.
            Random random = new Random(3);
            for (int layer : new int[] {0, 3, 7}) {
                NDArray b = adapted.getChildren().valueAt(layer).getParameters().get("lora_b").getArray();
                float[] values = new float[(int) b.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian() * 0.1f;
                }
                b.set(values);
            }
            float[] changed = forward(adapted, x);
            assertThat(maxDifference(changed, before)).isGreaterThan(1e-3);
            SequentialBlock merged = MnistCnn.merge(adapted, manager);
            assertThat(ParameterCount.of(merged)).isEqualTo(121_930);
            assertThat(maxDifference(forward(merged, x), changed)).isLessThan(1e-4);
        }
    }

    @Test
    void aConvolutionAndItsDenseTwinComputeTheSameMap() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock cnn = MnistCnn.build();
            cnn.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(1));
            Block conv = cnn.getChildren().valueAt(0);
            NDArray x = manager.randomUniform(0f, 1f, new Shape(3, 1, 28, 28));
            NDArray expected = conv.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            try (ConvolutionAsDense dense = ConvolutionAsDense.of(conv, x.getShape(), manager)) {
                float[] actual = dense.forward(x).toFloatArray();
                assertThat(maxDifference(actual, expected.toFloatArray())).isLessThan(1e-5);
                assertThat(dense.parameters()).isEqualTo(784L * 32 * 26 * 26 + 32 * 26 * 26);
                assertThat(dense.locallyConnectedParameters()).isEqualTo(32L * 26 * 26 * 10);
            }
        }
    }

    private static float[] forward(Block block, NDArray x) {
        return block.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
