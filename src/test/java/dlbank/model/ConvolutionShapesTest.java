package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The two ways the generative models double an image's size, checked on hand-made inputs. */
class ConvolutionShapesTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void upsamplingRepeatsEachPixelIntoATwoByTwoBlock() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            assertThat(ConvAutoencoder.upsample(x).toFloatArray()).containsExactly(
                    1, 1, 2, 2,
                    1, 1, 2, 2,
                    3, 3, 4, 4,
                    3, 3, 4, 4);
        }
    }

    /**
     * A transposed convolution (kernel 4, stride 2, padding 1) spreads each input pixel p over a 4x4
     * patch of the output starting at 2p - 1: an impulse at (1, 1) of a 3x3 input gives the kernel at
     * rows and columns 1..4 of the 6x6 output, and the bias everywhere else; and an impulse in a
     * corner is cut by the padding.
     */
    @Test
    void anImpulseComesOutAsTheKernelAtTwicePMinusOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TransposedConv2d block = new TransposedConv2d(1);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 3, 3));
            float[] kernel = new float[16];
            for (int i = 0; i < 16; i++) {
                kernel[i] = i + 1;
            }
            for (var parameter : block.getParameters()) {
                Parameter value = parameter.getValue();
                value.getArray().set(new ai.djl.ndarray.index.NDIndex(":"),
                        parameter.getKey().endsWith("weight") ? manager.create(kernel, new Shape(1, 1, 4, 4))
                                : manager.create(new float[] {0.5f}));
            }
            float[] impulse = new float[9];
            impulse[4] = 1; // (1, 1)
            NDArray out = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(impulse, new Shape(1, 1, 3, 3))), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(1, 1, 6, 6));
            float[] values = out.toFloatArray();
            for (int row = 0; row < 6; row++) {
                for (int column = 0; column < 6; column++) {
                    boolean inPatch = row >= 1 && row <= 4 && column >= 1 && column <= 4;
                    float expected = inPatch ? kernel[(row - 1) * 4 + (column - 1)] + 0.5f : 0.5f;
                    assertThat(values[row * 6 + column]).as("(%d, %d)", row, column).isEqualTo(expected);
                }
            }
            float[] corner = new float[9];
            corner[0] = 1; // (0, 0): its patch starts at (-1, -1), so the output shows K[1..3, 1..3]
            float[] cut = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(corner, new Shape(1, 1, 3, 3))), false).singletonOrThrow().toFloatArray();
            assertThat(cut[0]).isEqualTo(kernel[1 * 4 + 1] + 0.5f);
            assertThat(cut[2 * 6 + 2]).isEqualTo(kernel[3 * 4 + 3] + 0.5f);
            assertThat(cut[3 * 6 + 3]).isEqualTo(0.5f);
        }
    }
}
