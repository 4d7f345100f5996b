package dlbank.data;

import dlbank.UserException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Brings a user's picture of a digit to the form MNIST digits have, as MNIST itself was made (LeCun
 * et al., 1998): grey-scale, ink bright on a dark background, cropped to the ink, scaled so the
 * longer side is 20 px (anti-aliased, aspect ratio kept), and placed in 28x28 with its centre of
 * mass at the centre. A plain resize of the whole canvas leaves a small, off-centre, inverted digit
 * that an MNIST model misreads.
 *
 * <p>Strokes drawn with a thin pen on a large canvas would all but vanish when shrunk, so they are
 * first thickened to about a tenth of the digit's height, the stroke width of MNIST digits.
 */
public final class DigitImage {

    public static final int SIZE = 28;
    private static final int BOX = 20;
    /** MNIST strokes are about 2-3 px wide in a 20 px box. */
    private static final double STROKE_FRACTION = 0.11;

    private DigitImage() {}

    /** Reads a PNG, JPEG, GIF or BMP file; one line if it is not an image. */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw UserException.input("error.file.missing", file);
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw UserException.input("error.image.not-image", file);
            }
            return image;
        } catch (IOException e) {
            throw UserException.input("error.image.unreadable", file, e.getMessage());
        }
    }

    /** The 28x28 MNIST form of the image, row-major, values in [0, 1] with ink = 1. */
    public static float[] toMnist(BufferedImage image, String name) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] ink = inkMap(image);
        removeBackground(ink, borderMedian(ink, width, height));
        int[] box = inkBox(ink, width, height, 0.25f);
        if (box == null) {
            throw UserException.input("error.image.no-digit", name);
        }
        int boxWidth = box[2] - box[0] + 1;
        int boxHeight = box[3] - box[1] + 1;
        float[] crop = new float[boxWidth * boxHeight];
        for (int y = 0; y < boxHeight; y++) {
            System.arraycopy(ink, (box[1] + y) * width + box[0], crop, y * boxWidth, boxWidth);
        }
        int longer = Math.max(boxWidth, boxHeight);
        crop = thicken(crop, boxWidth, boxHeight, longer);
        int targetWidth = Math.max(1, Math.round((float) BOX * boxWidth / longer));
        int targetHeight = Math.max(1, Math.round((float) BOX * boxHeight / longer));
        float[] small = resample(crop, boxWidth, boxHeight, targetWidth, targetHeight);
        removeBackground(small, 0f);
        return centreByMass(small, targetWidth, targetHeight);
    }

    /**
     * Ink intensity per pixel. Strokes on a transparent canvas are their alpha; otherwise the
     * luminance, inverted when the border (the background) is light.
     */
    static float[] inkMap(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] luminance = luminance(image);
        float[] alpha = new float[width * height];
        int transparent = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int a = (image.getRGB(x, y) >>> 24) & 0xff;
                alpha[y * width + x] = a / 255f;
                transparent += a < 128 ? 1 : 0;
            }
        }
        if (image.getColorModel().hasAlpha() && transparent > width * height / 10) {
            return alpha;
        }
        float background = borderMedian(luminance, width, height);
        if (background > 0.5f) {
            for (int i = 0; i < luminance.length; i++) {
                luminance[i] = 1f - luminance[i];
            }
        }
        return luminance;
    }

    /** The grey level of every pixel, row by row, in [0, 1] (1 = white). */
    public static float[] luminance(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] luminance = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                luminance[y * width + x] = (0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff)
                        + 0.114f * (rgb & 0xff)) / 255f;
            }
        }
        return luminance;
    }

    /** Subtracts the background level and scales the brightest ink to 1; no contrast leaves all 0. */
    private static void removeBackground(float[] values, float background) {
        float max = 0;
        for (float value : values) {
            max = Math.max(max, value);
        }
        float range = max - background;
        for (int i = 0; i < values.length; i++) {
            values[i] = range <= 0.05f ? 0f : Math.max(0f, Math.min(1f, (values[i] - background) / range));
        }
    }

    private static float borderMedian(float[] values, int width, int height) {
        float[] border = new float[2 * width + 2 * height];
        int n = 0;
        for (int x = 0; x < width; x++) {
            border[n++] = values[x];
            border[n++] = values[(height - 1) * width + x];
        }
        for (int y = 0; y < height; y++) {
            border[n++] = values[y * width];
            border[n++] = values[y * width + width - 1];
        }
        float[] used = Arrays.copyOf(border, n);
        Arrays.sort(used);
        return used[n / 2];
    }

    /** {minX, minY, maxX, maxY} of the pixels above the threshold, or null if there are none. */
    private static int[] inkBox(float[] ink, int width, int height, float threshold) {
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] > threshold) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? null : new int[] {minX, minY, maxX, maxY};
    }

    /**
     * Widens thin strokes: the stroke width is estimated as 2 x area / perimeter of the inked
     * pixels (a long thin stroke of width w has area ≈ length·w and perimeter ≈ 2·length), then the
     * ink is dilated by the missing width.
     */
    static float[] thicken(float[] ink, int width, int height, int longer) {
        long area = 0;
        long perimeter = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] > 0.5f) {
                    area++;
                    perimeter += edge(ink, width, height, x - 1, y) + edge(ink, width, height, x + 1, y)
                            + edge(ink, width, height, x, y - 1) + edge(ink, width, height, x, y + 1);
                }
            }
        }
        if (area == 0 || perimeter == 0) {
            return ink;
        }
        double strokeWidth = 2.0 * area / perimeter;
        int radius = (int) Math.round((STROKE_FRACTION * longer - strokeWidth) / 2);
        if (radius < 1) {
            return ink;
        }
        // Separable max filter: a square structuring element, cheap and enough at this scale.
        float[] rows = new float[ink.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float max = 0;
                for (int dx = Math.max(0, x - radius); dx <= Math.min(width - 1, x + radius); dx++) {
                    max = Math.max(max, ink[y * width + dx]);
                }
                rows[y * width + x] = max;
            }
        }
        float[] out = new float[ink.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float max = 0;
                for (int dy = Math.max(0, y - radius); dy <= Math.min(height - 1, y + radius); dy++) {
                    max = Math.max(max, rows[dy * width + x]);
                }
                out[y * width + x] = max;
            }
        }
        return out;
    }

    private static int edge(float[] ink, int width, int height, int x, int y) {
        return x < 0 || y < 0 || x >= width || y >= height || ink[y * width + x] <= 0.5f ? 1 : 0;
    }

    /** Area-averaging resample: each target pixel is the mean of the source area it covers. */
    static float[] resample(float[] source, int width, int height, int targetWidth, int targetHeight) {
        float[] target = new float[targetWidth * targetHeight];
        double scaleX = (double) width / targetWidth;
        double scaleY = (double) height / targetHeight;
        for (int ty = 0; ty < targetHeight; ty++) {
            double y0 = ty * scaleY;
            double y1 = y0 + scaleY;
            for (int tx = 0; tx < targetWidth; tx++) {
                double x0 = tx * scaleX;
                double x1 = x0 + scaleX;
                double sum = 0;
                double weight = 0;
                for (int sy = (int) Math.floor(y0); sy < Math.min(height, Math.ceil(y1)); sy++) {
                    double wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
                    for (int sx = (int) Math.floor(x0); sx < Math.min(width, Math.ceil(x1)); sx++) {
                        double w = wy * (Math.min(x1, sx + 1) - Math.max(x0, sx));
                        sum += w * source[sy * width + sx];
                        weight += w;
                    }
                }
                target[ty * targetWidth + tx] = weight == 0 ? 0 : (float) (sum / weight);
            }
        }
        return target;
    }

    /** Pastes the patch into 28x28 so that its centre of mass lands on the centre (14, 14). */
    static float[] centreByMass(float[] patch, int width, int height) {
        double mass = 0;
        double sumX = 0;
        double sumY = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = patch[y * width + x];
                mass += v;
                sumX += v * (x + 0.5);
                sumY += v * (y + 0.5);
            }
        }
        int offsetX = (int) Math.round(SIZE / 2.0 - (mass == 0 ? width / 2.0 : sumX / mass));
        int offsetY = (int) Math.round(SIZE / 2.0 - (mass == 0 ? height / 2.0 : sumY / mass));
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int tx = x + offsetX;
                int ty = y + offsetY;
                if (tx >= 0 && ty >= 0 && tx < SIZE && ty < SIZE) {
                    out[ty * SIZE + tx] = patch[y * width + x];
                }
            }
        }
        return out;
    }
}
