package dlbank.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dlbank.TestSupport;
import dlbank.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Per-channel int8 quantization by hand, and the file's round trip. */
class Int8WeightsTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void eachChannelGetsItsOwnScaleFromItsLargestMagnitude() {
        // Channel 0: max |w| = 1.27 -> scale 0.01; channel 1: max |w| = 0.254 -> scale 0.002.
        float[] weights = {0.5f, -1.27f, 0.004f, 0.254f, -0.1f, 0.0011f};
        Int8Weights.Quantized q = Int8Weights.quantize(weights, 2);
        assertThat(q.scales()[0]).isCloseTo(0.01f, within(1e-7f));
        assertThat(q.scales()[1]).isCloseTo(0.002f, within(1e-8f));
        // 0.5/0.01 = 50, -1.27/0.01 = -127, 0.004/0.01 = 0.4 -> 0; 0.254/0.002 = 127, -0.1/0.002 = -50, 0.0011/0.002 = 0.55 -> 1
        assertThat(q.values()).containsExactly(50, -127, 0, 127, -50, 1);
        float[] back = q.dequantize();
        assertThat(back[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(back[5]).isCloseTo(0.002f, within(1e-7f));
        for (int i = 0; i < weights.length; i++) {
            assertThat(Math.abs(back[i] - weights[i])).isLessThanOrEqualTo(q.scales()[i / 3] / 2 + 1e-7f);
        }
    }

    @Test
    void anAllZeroChannelStaysZero() {
        Int8Weights.Quantized q = Int8Weights.quantize(new float[] {0, 0, 0.3f, -0.6f}, 2);
        assertThat(q.values()).containsExactly(0, 0, 64, -127);
        assertThat(q.dequantize()[0]).isZero();
    }

    @Test
    void theFileHoldsInt8WeightsAndReadsBackIntoANetworkThatAgrees(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            SequentialBlock original = MnistCnn.build();
            original.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(1));
            Path file = dir.resolve("weights.int8");
            Int8Weights.write(original, file);

            // One byte per weight, four per scale and per bias value, plus the headers: about a quarter of float32.
            long weights = 0;
            long channels = 0;
            long biases = 0;
            for (var parameter : original.getParameters().values()) {
                NDArray array = parameter.getArray();
                if (array.getShape().dimension() >= 2) {
                    weights += array.size();
                    channels += array.getShape().get(0);
                } else {
                    biases += array.size();
                }
            }
            long payload = weights + 4 * channels + 4 * biases;
            assertThat(Files.size(file)).isBetween(payload, payload + 400);
            assertThat((double) Files.size(file) / (4 * (weights + biases))).isLessThan(0.27);

            List<Int8Weights.Tensor> tensors = Int8Weights.read(file);
            var parameters = original.getParameters();
            assertThat(tensors).hasSize(parameters.size());
            for (int i = 0; i < tensors.size(); i++) {
                float[] values = parameters.valueAt(i).getArray().toFloatArray();
                Int8Weights.Tensor tensor = tensors.get(i);
                assertThat(tensor.name()).isEqualTo(parameters.keyAt(i));
                if (tensor.quantized() != null) {
                    int out = (int) tensor.shape().get(0);
                    assertThat(tensor.quantized().values()).isEqualTo(Int8Weights.quantize(values, out).values());
                } else {
                    assertThat(tensor.floats()).containsExactly(values);
                }
            }

            Engine.getInstance().setRandomSeed(4);   // different random weights, all to be overwritten
            SequentialBlock restored = MnistCnn.build();
            restored.initialize(manager, DataType.FLOAT32, MnistCnn.inputShape(1));
            Int8Weights.load(file, restored);
            // Every parameter read back is exactly q·s_c of the original (biases exactly the original).
            var loaded = restored.getParameters();
            for (int i = 0; i < loaded.size(); i++) {
                float[] values = parameters.valueAt(i).getArray().toFloatArray();
                float[] expected = tensors.get(i).quantized() != null
                        ? Int8Weights.quantize(values, (int) tensors.get(i).shape().get(0)).dequantize() : values;
                assertThat(loaded.valueAt(i).getArray().toFloatArray()).containsExactly(expected);
            }
            // And the network computes nearly what the float one does: the logits move by a few
            // percent of their spread at most (random weights, random images).
            NDArray images = manager.randomUniform(0f, 1f, MnistCnn.inputShape(16));
            NDArray a = original.forward(new ParameterStore(manager, false), new NDList(images), false).singletonOrThrow();
            NDArray b = restored.forward(new ParameterStore(manager, false), new NDList(images), false).singletonOrThrow();
            float spread = a.max().getFloat() - a.min().getFloat();
            assertThat(a.sub(b).abs().max().getFloat()).isLessThan(0.05f * spread);
        }
    }

    @Test
    void aFileOfAnotherKindIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.int8"), "not weights");
        assertThatThrownBy(() -> Int8Weights.read(file)).isInstanceOf(UserException.class)
                .hasMessageContaining("not a dlbank int8 weights file");
    }
}
