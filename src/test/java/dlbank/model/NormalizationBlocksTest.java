package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The hand-written batch norm against finite differences, the normalization blocks and the deep CNNs. */
class NormalizationBlocksTest {

    static {
        TestSupport.configureEngine();
    }

    /** A loss L = Σ y · w for fixed random w, so ∂L/∂y = w. */
    private static double loss(double[] x, int n, int c, int m, double[] gamma, double[] beta, double[] w) {
        double[] y = HandWrittenBatchNorm.forward(x, n, c, m, gamma, beta, 1e-5).y();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i] * w[i];
        }
        return sum;
    }

    @Test
    void handWrittenBackwardMatchesCentralDifferences() {
        int n = 4;
        int c = 3;
        int m = 5;
        Random random = new Random(7);
        double[] x = new double[n * c * m];
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * random.nextGaussian() + 1;
            w[i] = random.nextGaussian();
        }
        double[] gamma = {0.5, 1.5, -1.0};
        double[] beta = {0.1, -0.2, 0.3};
        HandWrittenBatchNorm.Forward forward = HandWrittenBatchNorm.forward(x, n, c, m, gamma, beta, 1e-5);
        HandWrittenBatchNorm.Backward backward = HandWrittenBatchNorm.backward(forward, w, n, c, m, gamma);
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double saved = x[i];
            x[i] = saved + h;
            double up = loss(x, n, c, m, gamma, beta, w);
            x[i] = saved - h;
            double down = loss(x, n, c, m, gamma, beta, w);
            x[i] = saved;
            assertThat(backward.input()[i]).as("dx[%d]", i).isCloseTo((up - down) / (2 * h), within(1e-6));
        }
        for (int ch = 0; ch < c; ch++) {
            double saved = gamma[ch];
            gamma[ch] = saved + h;
            double up = loss(x, n, c, m, gamma, beta, w);
            gamma[ch] = saved - h;
            double down = loss(x, n, c, m, gamma, beta, w);
            gamma[ch] = saved;
            assertThat(backward.gamma()[ch]).isCloseTo((up - down) / (2 * h), within(1e-6));
            saved = beta[ch];
            beta[ch] = saved + h;
            up = loss(x, n, c, m, gamma, beta, w);
            beta[ch] = saved - h;
            down = loss(x, n, c, m, gamma, beta, w);
            beta[ch] = saved;
            assertThat(backward.beta()[ch]).isCloseTo((up - down) / (2 * h), within(1e-6));
        }
        // Every channel of the output is normalised: mean β, standard deviation |γ| (up to ε).
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    mean += forward.y()[(i * c + ch) * m + j] / (n * m);
                }
            }
            assertThat(mean).isCloseTo(beta[ch], within(1e-9));
        }
    }

    private static NDArray forward(Block block, NDArray x, NDManager manager) {
        block.initialize(manager, DataType.FLOAT32, x.getShape());
        return block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
    }

    @Test
    void layerNormOverChannelsAndPositionsMatchesTheEnginesLayerNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray x = manager.randomNormal(2f, 3f, new Shape(4, 8, 5, 5), DataType.FLOAT32);
            NDArray ours = forward(GroupNorm.layer(), x, manager);
            LayerNorm engine = LayerNorm.builder().axis(1, 2, 3).build();
            NDArray theirs = forward(engine, x, manager);
            assertThat(ours.sub(theirs).abs().max().getFloat()).isLessThan(1e-4f);
        }
    }

    @Test
    void groupAndRmsNormNormaliseEachExampleOnItsOwn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(5);
            NDArray x = manager.randomNormal(1f, 2f, new Shape(3, 8, 4, 4), DataType.FLOAT32);
            // Group norm, 4 groups of 2 channels: each (example, group) has mean 0 and variance 1.
            NDArray grouped = forward(GroupNorm.groups(4), x, manager).reshape(3, 4, -1);
            assertThat(grouped.mean(new int[] {2}).abs().max().getFloat()).isLessThan(1e-5f);
            assertThat(grouped.square().mean(new int[] {2}).sub(1).abs().max().getFloat()).isLessThan(1e-3f);
            // RMS norm: each example's root mean square is 1, and its mean is not removed.
            NDArray rms = forward(GroupNorm.rms(), x, manager).reshape(3, -1);
            assertThat(rms.square().mean(new int[] {1}).sub(1).abs().max().getFloat()).isLessThan(1e-3f);
            assertThat(rms.mean(new int[] {1}).min().getFloat()).isGreaterThan(0.2f);
            // One example alone gives the same output as within the batch: nothing depends on the batch.
            NDArray alone = forward(GroupNorm.groups(4), x.get("0:1"), manager).reshape(1, 4, -1);
            assertThat(alone.sub(grouped.get("0:1")).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void plainAndResidualNetsOfOneDepthHaveTheSameWeightsAndDepthWeightedLayers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int depth : new int[] {8, 20}) {
                Block plain = DeepCnn.build(depth, false, DeepCnn.Norm.BATCH);
                Block residual = DeepCnn.build(depth, true, DeepCnn.Norm.BATCH);
                plain.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
                residual.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
                assertThat(ParameterCount.of(residual)).isEqualTo(ParameterCount.of(plain));
                long weighted = plain.getParameters().values().stream()
                        .filter(parameter -> parameter.getType() == Parameter.Type.WEIGHT).count();
                assertThat(weighted).as("convolutions + dense").isEqualTo(depth);
                NDArray out = residual.forward(new ParameterStore(manager, false),
                        new NDList(manager.ones(new Shape(2, 1, 28, 28))), false).singletonOrThrow();
                assertThat(out.getShape()).isEqualTo(new Shape(2, 10));
            }
        }
    }
}
