package dlbank.data;

import java.util.Random;

/**
 * Label-preserving changes to grey images for training-time augmentation: a random shift, a small
 * random rotation about the centre and, optionally, Gaussian pixel noise. No flips: a mirrored 2 or
 * 7 is not a 2 or 7 (Simard, Steinkraus &amp; Platt, 2003, used small distortions of this kind).
 *
 * @param maxShift largest shift in pixels, each axis
 * @param maxDegrees largest rotation in degrees, either way
 * @param noise standard deviation of the added noise on [0, 1] pixels; 0 for none
 */
public record Augmenter(double maxShift, double maxDegrees, double noise) {

    /** Shifts of up to 2 pixels and rotations of up to 10 degrees, no noise. */
    public static Augmenter shiftsAndRotations() {
        return new Augmenter(2, 10, 0);
    }

    /**
     * Changes every image of a batch in place: {@code pixels} holds {@code count} images of
     * height x width values in [0, 1], row-major.
     */
    public void apply(float[] pixels, int count, int height, int width, Random random) {
        float[] source = new float[height * width];
        for (int n = 0; n < count; n++) {
            int offset = n * height * width;
            System.arraycopy(pixels, offset, source, 0, source.length);
            double angle = Math.toRadians((2 * random.nextDouble() - 1) * maxDegrees);
            double dx = (2 * random.nextDouble() - 1) * maxShift;
            double dy = (2 * random.nextDouble() - 1) * maxShift;
            warp(source, pixels, offset, height, width, angle, dx, dy);
            if (noise > 0) {
                for (int i = 0; i < source.length; i++) {
                    float value = (float) (pixels[offset + i] + noise * random.nextGaussian());
                    pixels[offset + i] = Math.max(0f, Math.min(1f, value));
                }
            }
        }
    }

    /**
     * Rotates by {@code angle} about the centre, then shifts by (dx, dy): each output pixel takes the
     * bilinear value of the source point that lands on it; points outside the image are background 0.
     */
    static void warp(float[] source, float[] target, int offset, int height, int width, double angle, double dx,
                     double dy) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // Inverse map: undo the shift, then rotate back by -angle about the centre.
                double u = x - dx - cx;
                double v = y - dy - cy;
                double sx = cos * u + sin * v + cx;
                double sy = -sin * u + cos * v + cy;
                target[offset + y * width + x] = bilinear(source, height, width, sx, sy);
            }
        }
    }

    private static float bilinear(float[] image, int height, int width, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (float) ((1 - fx) * (1 - fy) * at(image, height, width, x0, y0) + fx * (1 - fy) * at(image, height, width, x0 + 1, y0)
                + (1 - fx) * fy * at(image, height, width, x0, y0 + 1) + fx * fy * at(image, height, width, x0 + 1, y0 + 1));
    }

    private static float at(float[] image, int height, int width, int x, int y) {
        return x < 0 || y < 0 || x >= width || y >= height ? 0f : image[y * width + x];
    }
}
