package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImageQualityTest {

    @Test
    void psnrOfAnMseOfOneHundredthIsTwentyDecibels() {
        // Every pixel off by 0.1 (as floats: 0.1000000238) -> MSE 0.01 -> 10·log10(100) = 20 dB.
        float[] reference = filled(16, 0.5f);
        float[] test = new float[16];
        for (int i = 0; i < test.length; i++) {
            test[i] = i % 2 == 0 ? 0.6f : 0.4f;
        }
        assertThat(ImageQuality.psnr(reference, test)).isCloseTo(20.0, within(1e-5));
        // Off by 0.25 exactly -> MSE 1/16 -> 10·log10(16) = 12.0412 dB.
        assertThat(ImageQuality.psnr(filled(4, 0f), filled(4, 0.25f))).isCloseTo(10 * Math.log10(16), within(1e-12));
    }

    @Test
    void identicalImagesHaveInfinitePsnr() {
        float[] image = {0.1f, 0.7f, 0.3f};
        assertThat(ImageQuality.psnr(image, image.clone())).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void meanPsnrAveragesPerImageDecibelsNotThePooledError() {
        // Image 1 off by 0.25 (12.0412 dB), image 2 off by 0.0625 (MSE 1/256 -> 24.0824 dB): mean 18.0618 dB.
        // The pooled MSE, (1/16 + 1/256)/2 = 17/512, would give 14.7881 dB instead.
        float[] references = filled(8, 0.5f);
        float[] tests = {0.75f, 0.75f, 0.75f, 0.75f, 0.5625f, 0.5625f, 0.5625f, 0.5625f};
        assertThat(ImageQuality.meanPsnr(references, tests, 4))
                .isCloseTo((10 * Math.log10(16) + 10 * Math.log10(256)) / 2, within(1e-12));
        assertThatThrownBy(() -> ImageQuality.meanPsnr(references, tests, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of images");
    }

    @Test
    void ssimOfIdenticalImagesIsOne() {
        float[] image = noise(28 * 28, 0.5f, 1);
        assertThat(ImageQuality.ssim(image, image.clone(), 28, 28)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void ssimOfConstantImagesIsTheLuminanceTermAlone() {
        // Flat 0.5 against flat 0.75: variances and covariance are 0, so the contrast-structure term is
        // C2/C2 = 1 and every window gives (2·0.5·0.75 + C1) / (0.5² + 0.75² + C1) with C1 = 1e-4:
        // 0.7501 / 0.8126 = 0.923086.
        double expected = (2 * 0.5 * 0.75 + 1e-4) / (0.25 + 0.5625 + 1e-4);
        assertThat(ImageQuality.ssim(filled(28 * 28, 0.5f), filled(28 * 28, 0.75f), 28, 28))
                .isCloseTo(expected, within(1e-12));
    }

    @Test
    void ssimMatchesWangsReferenceCodeOnASquareAndAnOblongImage() {
        // Reference values from a NumPy/SciPy port of ssim_index.m (correlate2d with the normalised
        // 11x11 Gaussian, 'valid'), on the same float32 images: 18x18 and 6x13 window positions.
        assertThat(ImageQuality.ssim(pattern(28, 28, false), pattern(28, 28, true), 28, 28))
                .isCloseTo(0.8191469926686294, within(1e-9));
        assertThat(ImageQuality.ssim(pattern(16, 23, false), pattern(16, 23, true), 16, 23))
                .isCloseTo(0.8232238391517069, within(1e-9));
    }

    @Test
    void ssimIsSymmetricAndFallsAsNoiseGrows() {
        float[] clean = pattern(28, 28, false);
        float[] slightlyNoisy = addNoise(clean, 0.05f, 2);
        float[] veryNoisy = addNoise(clean, 0.3f, 3);
        double slight = ImageQuality.ssim(clean, slightlyNoisy, 28, 28);
        assertThat(ImageQuality.ssim(slightlyNoisy, clean, 28, 28)).isCloseTo(slight, within(1e-12));
        assertThat(slight).isLessThan(1.0);
        assertThat(ImageQuality.ssim(clean, veryNoisy, 28, 28)).isLessThan(slight);
    }

    @Test
    void meanSsimAveragesTheImagesOneAfterAnother() {
        float[] first = pattern(28, 28, false);
        float[] second = addNoise(first, 0.1f, 4);
        float[] a = concat(first, first);
        float[] b = concat(first, second);
        double expected = (1.0 + ImageQuality.ssim(first, second, 28, 28)) / 2;
        assertThat(ImageQuality.meanSsim(a, b, 28, 28)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void ssimRejectsImagesSmallerThanTheWindow() {
        assertThatThrownBy(() -> ImageQuality.ssim(new float[100], new float[100], 10, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 11x11");
    }

    /** A smooth wave; with noise, plus a fixed pattern of steps of 0.05 (as the Python reference). */
    private static float[] pattern(int height, int width, boolean withSteps) {
        float[] image = new float[height * width];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                float smooth = (float) (0.5 + 0.4 * Math.sin(r / 3.0) * Math.cos(c / 4.0));
                image[r * width + c] = withSteps ? smooth + 0.05f * ((r * 7 + c * 13) % 5 - 2) : smooth;
            }
        }
        return image;
    }

    private static float[] addNoise(float[] image, float sd, long seed) {
        Random random = new Random(seed);
        float[] noisy = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            noisy[i] = Math.max(0f, Math.min(1f, image[i] + sd * (float) random.nextGaussian()));
        }
        return noisy;
    }

    private static float[] noise(int length, float mean, long seed) {
        return addNoise(filled(length, mean), 0.2f, seed);
    }

    private static float[] filled(int length, float value) {
        float[] image = new float[length];
        Arrays.fill(image, value);
        return image;
    }

    private static float[] concat(float[] first, float[] second) {
        float[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
