package dlbank.experiment.lab;

import dlbank.TestSupport;
import dlbank.data.ImageDataset;
import dlbank.experiment.Claim;
import dlbank.experiment.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The claims of the concept labs that hold at any size, checked in quick mode on the fixtures. */
class ConceptLabsTest {

    @Test
    void activationsSigmoidStarvesTheFirstLayerAndADeepLinearNetIsOneLinearMap(@TempDir Path dir) throws Exception {
        Result result = new ActivationsLab().run(TestSupport.quickContext(dir));
        // Measured in quick mode: ReLU's first-layer gradient about 12,000 times sigmoid's.
        assertThat(claim(result, "With sigmoid").held()).isTrue();
        assertThat(claim(result, "one linear map").held()).isTrue();
        assertThat(result.metrics().get("linear_collapse_max_relative_difference")).isLessThan(1e-5);
        assertThat(dir.resolve("gradient_per_layer.png")).exists();
    }

    @Test
    void evaluationF1IsTheHarmonicMeanMicroEqualsAccuracyAndBothAucsAgree(@TempDir Path dir) throws Exception {
        Result result = new EvaluationLab().run(TestSupport.quickContext(dir));
        assertThat(claim(result, "harmonic mean").held()).isTrue();
        assertThat(claim(result, "micro-averaged").held()).isTrue();
        assertThat(claim(result, "Mann-Whitney").held()).isTrue();
        assertThat(result.metrics().get("micro_f1")).isEqualTo(result.metrics().get("accuracy"));
        assertThat(result.metrics().get("positive_share_rare")).isBetween(0.04, 0.06);
        assertThat(dir.resolve("roc.png")).exists();
        assertThat(dir.resolve("confusion_matrix.png")).exists();
    }

    @Test
    void mirroringFlipsEachRowAndTwiceGivesTheImageBack() {
        byte[] pixels = new byte[2 * 3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        ImageDataset set = new ImageDataset("test", pixels, new byte[] {1, 2}, 3, 4, 10);
        ImageDataset mirrored = DataAugmentationLab.mirrored(set);
        assertThat(mirrored.pixels()).startsWith((byte) 3, (byte) 2, (byte) 1, (byte) 0, (byte) 7, (byte) 6);
        assertThat(DataAugmentationLab.mirrored(mirrored).pixels()).isEqualTo(pixels);
        assertThat(mirrored.labels()).isEqualTo(set.labels());
    }

    private static Claim claim(Result result, String containing) {
        return result.claims().stream().filter(claim -> claim.text().contains(containing)).findFirst().orElseThrow();
    }
}
