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

/** The ViT's shapes, its parameter formula, attention rows that sum to 1, and what the position embeddings do. */
class VisionTransformerTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void shapesParametersAndAttentionRows() {
        for (int patch : new int[] {4, 7, 14}) {
            VisionTransformer.Config config = new VisionTransformer.Config(28, patch, 32, 2, 4, 64, 10);
            try (NDManager manager = NDManager.newBaseManager()) {
                VisionTransformer vit = new VisionTransformer(config);
                vit.initialize(manager, DataType.FLOAT32, new Shape(3, 1, 28, 28));
                assertThat(ParameterCount.of(vit)).as("patch " + patch).isEqualTo(config.parameters());
                NDArray images = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));
                NDList out = vit.forwardWithAttention(new ParameterStore(manager, false), images, false);
                assertThat(out).hasSize(1 + config.depth());
                assertThat(out.get(0).getShape()).isEqualTo(new Shape(3, 10));
                int tokens = config.patches() + 1;
                assertThat(out.get(1).getShape()).isEqualTo(new Shape(3, 4, tokens, tokens));
                float[] rowSums = out.get(2).sum(new int[] {3}).toFloatArray();
                for (float sum : rowSums) {
                    assertThat(sum).isCloseTo(1f, within(1e-5f));
                }
            }
        }
    }

    @Test
    void withoutPositionEmbeddingsTheEncoderCannotTellWhereAPatchIs() {
        // Swap two patches of an image. With the learned positions at zero the class token's output is the
        // same (self-attention treats the tokens as a set); with positions it changes.
        VisionTransformer.Config config = new VisionTransformer.Config(28, 14, 16, 1, 2, 32, 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            VisionTransformer vit = new VisionTransformer(config);
            vit.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            NDArray image = manager.randomUniform(0, 1, new Shape(1, 1, 28, 28));
            NDArray swapped = image.duplicate();
            swapped.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:14, 0:14"), image.get(":, :, 14:28, 14:28"));
            swapped.set(new ai.djl.ndarray.index.NDIndex(":, :, 14:28, 14:28"), image.get(":, :, 0:14, 0:14"));
            ParameterStore store = new ParameterStore(manager, false);
            float changed = vit.forward(store, new NDList(image), false).singletonOrThrow()
                    .sub(vit.forward(store, new NDList(swapped), false).singletonOrThrow()).abs().max().getFloat();
            assertThat(changed).isGreaterThan(1e-4f);
            vit.getParameters().get("positions").getArray().muli(0);
            float unchanged = vit.forward(store, new NDList(image), false).singletonOrThrow()
                    .sub(vit.forward(store, new NDList(swapped), false).singletonOrThrow()).abs().max().getFloat();
            assertThat(unchanged).isLessThan(1e-5f);
        }
    }
}
