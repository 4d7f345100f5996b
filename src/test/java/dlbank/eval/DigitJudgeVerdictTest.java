package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The judge's verdict on synthetic features: what each Fréchet figure compares. */
class DigitJudgeVerdictTest {

    /** {@code count} readings whose features are standard normal, shifted by {@code shift} from index {@code from} on. */
    private static DigitJudge.Reading reading(int count, int from, double shift, long seed) {
        Random random = new Random(seed);
        float[][] probabilities = new float[count][10];
        float[] features = new float[count * DigitJudge.FEATURES];
        for (int i = 0; i < count; i++) {
            probabilities[i][i % 10] = 1;
            for (int f = 0; f < DigitJudge.FEATURES; f++) {
                features[i * DigitJudge.FEATURES + f] = (float) (random.nextGaussian() + (i >= from ? shift : 0));
            }
        }
        return new DigitJudge.Reading(probabilities, features);
    }

    @Test
    void theInterleavedReferenceIgnoresADifferenceBetweenTheTestSetsHalves() {
        // A test set whose second half is shifted by 1 in every feature, as MNIST's second half comes
        // from another source; samples drawn from the same mixture, in another order.
        DigitJudge.Reading test = reading(2_000, 1_000, 1.0, 1);
        DigitJudge.Reading samples = reading(2_000, 0, 0.0, 2);
        float[] mixed = samples.features();
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            if (random.nextBoolean()) {
                for (int f = 0; f < DigitJudge.FEATURES; f++) {
                    mixed[i * DigitJudge.FEATURES + f] += 1;
                }
            }
        }
        DigitJudge.Verdict verdict = DigitJudge.Verdict.of(samples, test);
        // Halves: the mean term alone is 64 features x 1^2 = 64 apart.
        assertThat(verdict.frechetReal()).isGreaterThan(55);
        // Even against odd: the same mixture, only the estimate's noise (and the same for the samples).
        assertThat(verdict.frechetRealInterleaved()).isLessThan(10);
        assertThat(verdict.frechetHalfInterleaved()).isLessThan(20);
        // Mixture samples sit closer to either half than the halves are to each other.
        assertThat(verdict.frechetHalf()).isLessThan(verdict.frechetReal());
        assertThat(verdict.metrics()).containsKeys("frechet_distance_half_interleaved", "frechet_distance_real_interleaved");
        assertThat(verdict.confidentShare()).isEqualTo(1.0);
    }
}
