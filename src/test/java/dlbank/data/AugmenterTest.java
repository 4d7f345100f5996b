package dlbank.data;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AugmenterTest {

    @Test
    void aWholePixelShiftMovesEveryValue() {
        float[] image = new float[25];
        image[2 * 5 + 2] = 1; // centre of a 5x5 image
        float[] out = new float[25];
        Augmenter.warp(image, out, 0, 5, 5, 0, 1, -1);
        assertThat(out[1 * 5 + 3]).isEqualTo(1f); // one right, one up
        assertThat(sum(out)).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void aQuarterTurnMovesTheRightEdgeToTheBottom() {
        // Rotating by +90 degrees (y down, so clockwise on screen) takes (4, 2) to (2, 4).
        float[] image = new float[25];
        image[2 * 5 + 4] = 1;
        float[] out = new float[25];
        Augmenter.warp(image, out, 0, 5, 5, Math.PI / 2, 0, 0);
        assertThat(out[4 * 5 + 2]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void augmentationKeepsValuesInRangeAndChangesTheImageButNotItsInk() {
        float[] pixels = new float[2 * 28 * 28];
        for (int y = 8; y < 20; y++) {
            pixels[y * 28 + 14] = 1;             // a vertical stroke in image 0
            pixels[784 + 14 * 28 + y] = 1;       // a horizontal one in image 1
        }
        float[] before = pixels.clone();
        Augmenter.shiftsAndRotations().apply(pixels, 2, 28, 28, new Random(3));
        assertThat(pixels).isNotEqualTo(before);
        for (float value : pixels) {
            assertThat(value).isBetween(0f, 1f);
        }
        // Shifts of 2 px and rotations of 10 degrees keep a centred stroke inside the image.
        assertThat(sum(java.util.Arrays.copyOfRange(pixels, 0, 784))).isCloseTo(12f, within(0.5f));
    }

    private static float sum(float[] values) {
        float sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum;
    }
}
