package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import dlbank.TestSupport;
import dlbank.eval.AttentionReference;
import dlbank.model.Transformer.Config;
import dlbank.model.Transformer.Norm;
import dlbank.model.Transformer.Positions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written Transformer against plain arithmetic: attention, RoPE, the mask, the KV cache, the parameter formula. */
class TransformerTest {

    static {
        TestSupport.configureEngine();
    }

    private static Transformer initialised(NDManager manager, Config config, float sigma) {
        Transformer block = new Transformer(config);
        block.setInitializer(new NormalInitializer(sigma), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        return block;
    }

    private static Config config(Positions positions, Norm norm, boolean causal) {
        return new Config(50, 16, 4, 2, 32, 24, positions, norm, causal, true);
    }

    @Test
    void countsAsManyParametersAsTheFormulaSays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Positions positions : Positions.values()) {
                for (Norm norm : Norm.values()) {
                    Config config = config(positions, norm, true);
                    assertThat(ParameterCount.of(initialised(manager, config, 0.02f))).as(positions + " " + norm)
                            .isEqualTo(config.parameterFormula());
                }
            }
            // 50·16 + 2 layers · (4·256 + 64 + 2·16·32 + 32 + 16 + 64) + 32 (final norm) = 800 + 2·2224 + 32
            assertThat(config(Positions.ROPE, Norm.PRE, true).parameterFormula()).isEqualTo(5_280);
        }
    }

    @Test
    void multiHeadAttentionEqualsThePlainLoopsWithAndWithoutTheCausalMask() {
        for (boolean causal : new boolean[] {true, false}) {
            for (boolean scaled : new boolean[] {true, false}) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    Config config = config(Positions.NONE, Norm.PRE, causal).withScaled(scaled);
                    Transformer block = initialised(manager, config, 0.3f);
                    NDArray x = manager.randomNormal(new Shape(1, 9, 16));
                    NDArray out = block.selfAttention(new ParameterStore(manager, false), 1, x);
                    double[][] expected = AttentionReference.selfAttention(AttentionReference.matrix(x.toFloatArray(), 9, 16),
                            AttentionReference.matrix(parameter(block, "layer1_qkv_weight"), 16, 48),
                            AttentionReference.vector(parameter(block, "layer1_qkv_bias")),
                            AttentionReference.matrix(parameter(block, "layer1_out_weight"), 16, 16),
                            AttentionReference.vector(parameter(block, "layer1_out_bias")),
                            4, causal, scaled);
                    float[] actual = out.toFloatArray();
                    for (int t = 0; t < 9; t++) {
                        for (int c = 0; c < 16; c++) {
                            assertThat((double) actual[t * 16 + c]).as("causal " + causal + " scaled " + scaled)
                                    .isCloseTo(expected[t][c], org.assertj.core.data.Offset.offset(1e-5));
                        }
                    }
                }
            }
        }
    }

    @Test
    void ropeRotatesAsThePlainFormulaAndScoresDependOnlyOnTheDistance() {
        Random random = new Random(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(1, 1, 12, 8));
            float[] rotated = PositionCodes.rotate(x, 5).toFloatArray();
            float[] plain = x.toFloatArray();
            for (int t = 0; t < 12; t++) {
                double[] vector = new double[8];
                for (int e = 0; e < 8; e++) {
                    vector[e] = plain[t * 8 + e];
                }
                double[] expected = PositionCodes.rotateReference(vector, 5 + t);
                for (int e = 0; e < 8; e++) {
                    assertThat((double) rotated[t * 8 + e]).isCloseTo(expected[e], org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
        double[] q = random.doubles(16, -1, 1).toArray();
        double[] k = random.doubles(16, -1, 1).toArray();
        double near = dot(PositionCodes.rotateReference(q, 7), PositionCodes.rotateReference(k, 4));
        double shifted = dot(PositionCodes.rotateReference(q, 107), PositionCodes.rotateReference(k, 104));
        assertThat(shifted).isCloseTo(near, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(dot(PositionCodes.rotateReference(q, 7), PositionCodes.rotateReference(k, 5)))
                .isNotCloseTo(near, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void aDecodersOutputsIgnoreLaterTokensAndAnEncodersDoNot() {
        for (boolean causal : new boolean[] {true, false}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Transformer block = initialised(manager, config(Positions.LEARNED, Norm.PRE, causal), 0.2f);
                ParameterStore store = new ParameterStore(manager, false);
                NDArray a = manager.create(new int[] {3, 7, 9, 1, 4, 4, 8, 2}, new Shape(1, 8));
                NDArray b = manager.create(new int[] {3, 7, 9, 1, 40, 41, 42, 43}, new Shape(1, 8));
                float[] first = block.forward(store, new NDList(a), false).singletonOrThrow().get(":, :4").toFloatArray();
                float[] second = block.forward(store, new NDList(b), false).singletonOrThrow().get(":, :4").toFloatArray();
                double change = 0;
                for (int i = 0; i < first.length; i++) {
                    change = Math.max(change, Math.abs(first[i] - second[i]));
                }
                if (causal) {
                    assertThat(change).isLessThan(1e-6);
                } else {
                    assertThat(change).isGreaterThan(1e-3);
                }
            }
        }
    }

    @Test
    void theKvCacheGivesTheSameHiddenStatesAsTheWholePrefix() {
        for (Positions positions : Positions.values()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Transformer block = initialised(manager, config(positions, Norm.PRE, true), 0.2f);
                ParameterStore store = new ParameterStore(manager, false);
                NDArray ids = manager.create(new int[] {3, 7, 9, 1, 4, 4, 8, 2, 11, 5, 6, 30, 31, 2, 2, 9}, new Shape(2, 8));
                NDArray whole = block.hidden(store, ids, false, null, 0, null);
                try (Transformer.KvCache cache = new Transformer.KvCache(manager, 2)) {
                    NDArray prompt = block.hidden(store, ids.get(":, :3"), false, cache, 0, null);
                    assertClose(prompt, whole.get(":, :3"), positions + " prompt");
                    for (int t = 3; t < 8; t++) {
                        NDArray step = block.hidden(store, ids.get(new NDIndex(":, {}:{}", t, t + 1)), false, cache, t, null);
                        assertClose(step, whole.get(new NDIndex(":, {}:{}", t, t + 1)), positions + " step " + t);
                    }
                    assertThat(cache.length()).isEqualTo(8);
                    assertThat(cache.bytes()).isEqualTo(2L * 2 * 2 * 8 * 16 * 4); // K and V, layers, batch, length, width, float
                }
            }
        }
    }

    private static void assertClose(NDArray actual, NDArray expected, String what) {
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        assertThat(a).as(what).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as(what).isCloseTo(e[i], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    private static float[] parameter(Transformer block, String name) {
        return block.getParameters().get(name).getArray().toFloatArray();
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
