package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Clipping by global norm: scales every gradient by the same factor, only when the norm is above the bound. */
class GradientClippingTest {

    static {
        TestSupport.configureEngine();
    }

    /** y = w·x + b with w = (1, 1, 1) and b = 0, and the gradients of the loss sum(y) · scale at x = (3, 4, 0). */
    private static Block layerWithGradients(NDManager manager, float scale) {
        Block block = Linear.builder().setUnits(1).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        block.getParameters().valueAt(0).getArray().set(new float[] {1, 1, 1});
        block.getParameters().valueAt(1).getArray().set(new float[] {0});
        try (GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(new float[] {3, 4, 0}, new Shape(1, 3))), true).singletonOrThrow();
            collector.backward(y.sum().mul(scale));
        }
        return block;
    }

    @Test
    void gradientsAboveTheBoundAreScaledDownTogetherAndOthersAreLeftAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Gradients: w gets x·scale = (6, 8, 0), b gets 2: norm √(36 + 64 + 4) = √104.
            Block large = layerWithGradients(manager, 2);
            double norm = Gradients.clipByGlobalNorm(large, 1.0);
            assertThat(norm).isCloseTo(Math.sqrt(104), within(1e-4));
            float[] clipped = Gradients.flat(large);
            assertThat(Gradients.globalNorm(clipped)).isCloseTo(1.0, within(1e-5));
            // The direction is kept: each entry divided by the same √104.
            assertThat((double) clipped[0]).isCloseTo(6 / Math.sqrt(104), within(1e-5));
            assertThat((double) clipped[1]).isCloseTo(8 / Math.sqrt(104), within(1e-5));
            assertThat((double) clipped[3]).isCloseTo(2 / Math.sqrt(104), within(1e-5));

            // Norm √(0.09 + 0.16 + 0.01) ≈ 0.51, under the bound: unchanged.
            Block small = layerWithGradients(manager, 0.1f);
            float[] before = Gradients.flat(small);
            assertThat(Gradients.clipByGlobalNorm(small, 1.0)).isCloseTo(Math.sqrt(0.26), within(1e-5));
            assertThat(Gradients.flat(small)).containsExactly(before);
        }
    }
}
