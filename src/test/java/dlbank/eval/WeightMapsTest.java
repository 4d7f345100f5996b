package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightMapsTest {

    @Test
    void independentNoiseHasNoNeighbourCorrelationAndARampHasAlmostFull() {
        Random random = new Random(5);
        float[] noise = new float[50 * 28 * 28];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        // about 75,000 pairs: the standard error of the correlation is about 0.004
        assertThat(WeightMaps.neighbourCorrelation(noise, 50, 28, 28)).isCloseTo(0, within(0.02));
        float[] ramp = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                ramp[y * 28 + x] = x + y;
            }
        }
        assertThat(WeightMaps.neighbourCorrelation(ramp, 1, 28, 28)).isGreaterThan(0.99);
    }

    @Test
    void aCheckerboardIsPerfectlyAnticorrelated() {
        // 3x3: 1 -1 1 / -1 1 -1 / 1 -1 1: every neighbour pair is (1, -1) or (-1, 1)
        float[] board = {1, -1, 1, -1, 1, -1, 1, -1, 1};
        assertThat(WeightMaps.neighbourCorrelation(board, 1, 3, 3)).isCloseTo(-1, within(1e-12));
    }

    @Test
    void imagesPutZeroAtMidGrey() {
        float[] images = WeightMaps.asImages(new float[] {-2, 0, 1, 0.5f}, 1, 4).get(0);
        assertThat(images).containsExactly(0f, 0.5f, 0.75f, 0.625f);
    }
}
