package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Temperature, top-k and the hand-written top-p against their definitions; draws against the distribution. */
class SamplingTest {

    @Test
    void topPKeepsTheSmallestMostLikelySetWhoseMassReachesP() {
        // Probabilities 0.5, 0.3, 0.15, 0.05 (logits are their logarithms).
        float[] logits = {(float) Math.log(0.15), (float) Math.log(0.5), (float) Math.log(0.05), (float) Math.log(0.3)};
        double[] p = Sampling.distribution(logits, new Sampling.Settings(1, 0, 0.79));
        // 0.5 alone is short of 0.79, 0.5 + 0.3 reaches it: two tokens, renormalised.
        assertThat(p).containsExactly(new double[] {0, 0.625, 0, 0.375}, within(1e-6));
        assertThat(Sampling.distribution(logits, new Sampling.Settings(1, 0, 0.81)))
                .containsExactly(new double[] {0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95}, within(1e-6));
        assertThat(Sampling.distribution(logits, new Sampling.Settings(1, 0, 0.3)))
                .as("the most likely token alone, though it exceeds p").containsExactly(new double[] {0, 1, 0, 0}, within(1e-12));
    }

    @Test
    void topPEqualsItsTokenByTokenDefinitionOnRandomDistributions() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = new float[1 + random.nextInt(60)];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (3 * random.nextGaussian());
            }
            double topP = 0.05 + 0.9 * random.nextDouble();
            double temperature = 0.3 + 1.5 * random.nextDouble();
            assertThat(Sampling.distribution(logits, new Sampling.Settings(temperature, 0, topP)))
                    .containsExactly(Sampling.topPReference(logits, temperature, topP), within(1e-12));
        }
    }

    @Test
    void temperatureSharpensOrFlattensAndTopKCutsAndGreedyTakesTheMaximum() {
        float[] logits = {1, 2, 3, 0};
        double cold = Sampling.entropy(Sampling.distribution(logits, new Sampling.Settings(0.5, 0, 1)));
        double warm = Sampling.entropy(Sampling.distribution(logits, new Sampling.Settings(1, 0, 1)));
        double hot = Sampling.entropy(Sampling.distribution(logits, new Sampling.Settings(2, 0, 1)));
        assertThat(cold).isLessThan(warm);
        assertThat(warm).isLessThan(hot);
        double[] topTwo = Sampling.distribution(logits, new Sampling.Settings(1, 2, 1));
        assertThat(topTwo[0]).isZero();
        assertThat(topTwo[3]).isZero();
        assertThat(topTwo[1] + topTwo[2]).isCloseTo(1, within(1e-12));
        assertThat(Sampling.distribution(logits, Sampling.Settings.greedy())).containsExactly(0, 0, 1, 0);
    }

    @Test
    void drawsFollowTheDistribution() {
        double[] p = {0.1, 0, 0.6, 0.3};
        int[] counts = new int[4];
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            counts[Sampling.draw(p, random)]++;
        }
        assertThat(counts[1]).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(counts[i] / 200_000.0).isCloseTo(p[i], within(0.005));
        }
    }
}
