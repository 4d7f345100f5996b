package dlbank.data;

import dlbank.UserException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Brings a user's picture of a digit to the form MNIST digits have, as MNIST itself was made (LeCun
 * et al., 1998): ink bright on a dark background, cropped to the ink, scaled so the longer side is
 * 20 px (anti-aliased, aspect ratio kept), and placed in 28x28 with its centre of mass at the centre.
 * A plain resize of the whole canvas leaves a small, off-centre, inverted digit that an MNIST model
 * misreads. {@link #prepare} lists the steps, each with its reason.
 */
public final class DigitImage {

    public static final int SIZE = 28;
    private static final int BOX = 20;
    /**
     * MNIST's strokes: 2 x area / perimeter of the pixels above half ink is 0.098 of the longer side
     * (median of 5,000 training digits; 10% are below 0.072, 10% above 0.135).
     */
    private static final double STROKE_FRACTION = 0.10;
    /** Thinner than this share of MNIST's stroke width, strokes would fade away when shrunk: widen them. */
    private static final double THIN = 0.7;

    private DigitImage() {}

    /**
     * The largest picture {@link #read} decodes (a 48-megapixel phone photo is refused): a small file
     * can hold a huge, highly compressible image, and decoding holds every pixel in memory.
     */
    public static final long MAX_PIXELS = 40_000_000L;

    /**
     * A picture in MNIST's form.
     *
     * @param input 28x28, row-major, values in [0, 1] with ink = 1: what the model reads
     * @param steps what each step found, one line, for {@code --show}
     */
    public record Prepared(float[] input, String steps) {}

    /** Reads a PNG, JPEG, GIF or BMP file; one line if it is not an image. */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw UserException.input("error.file.missing", file);
        }
        try {
            return decode(Files.readAllBytes(file), file.toString(), MAX_PIXELS);
        } catch (IOException e) {
            throw UserException.input("error.image.unreadable", file, UserException.reason(e));
        }
    }

    /**
     * Decodes an image from its bytes (an upload, a file's content). Its size is read from the header
     * and checked against {@code maxPixels} before any pixel is decoded.
     */
    public static BufferedImage decode(byte[] bytes, String name, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw UserException.input("error.image.not-image", name);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw UserException.input("error.image.too-many-pixels", name, reader.getWidth(0), reader.getHeight(0),
                            String.format("%,d", maxPixels));
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw UserException.input("error.image.not-image", name);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserException user) {
                throw user;
            }
            throw UserException.input("error.image.unreadable", name, UserException.reason(e));
        }
    }

    /** The 28x28 MNIST form of the image, row-major, values in [0, 1] with ink = 1. */
    public static float[] toMnist(BufferedImage image, String name) {
        return prepare(image, name).input();
    }

    public static Prepared prepare(BufferedImage image, String name) {
        // 1. The grey levels as stored: getRGB would brighten a grey PNG's mid-tones (see GreyLevels).
        GreyLevels grey = GreyLevels.of(image);
        // 2. Ink, 0-1, against a background estimated locally (uneven light, shadows), either polarity.
        InkMap.Ink ink = InkMap.of(grey);
        // 3. Crop to the ink: the pixels at least half a stroke's ink, as MNIST's box held the binary digit.
        int[] box = inkBox(ink.values(), ink.width(), ink.height(), 0.5f);
        if (box == null) {
            throw UserException.input("error.image.no-digit", name);
        }
        int boxWidth = box[2] - box[0] + 1;
        int boxHeight = box[3] - box[1] + 1;
        float[] crop = new float[boxWidth * boxHeight];
        for (int y = 0; y < boxHeight; y++) {
            System.arraycopy(ink.values(), (box[1] + y) * ink.width() + box[0], crop, y * boxWidth, boxWidth);
        }
        // 4. Strokes too thin to survive the shrinking (a pen on a large canvas) widen to MNIST's width.
        int longer = Math.max(boxWidth, boxHeight);
        double strokeWidth = strokeWidth(crop, boxWidth, boxHeight);
        int radius = strokeWidth < THIN * STROKE_FRACTION * longer
                ? (int) Math.round((STROKE_FRACTION * longer - strokeWidth) / 2) : 0;
        if (radius > 0) {
            crop = InkMap.maxFilter(crop, boxWidth, boxHeight, radius);
        }
        // 5. Longer side 20 px, area-averaged: the anti-aliased edges MNIST's digits have.
        int targetWidth = Math.max(1, Math.round((float) BOX * boxWidth / longer));
        int targetHeight = Math.max(1, Math.round((float) BOX * boxHeight / longer));
        float[] small = resample(crop, boxWidth, boxHeight, targetWidth, targetHeight);
        // 6. Centre of mass at the centre of 28x28, as MNIST placed its digits.
        float[] input = centreByMass(small, targetWidth, targetHeight);
        String steps = String.format("%s; ink %dx%d px; strokes %.1f px (%.0f%% of the longer side)%s; %dx%d in 28x28",
                ink.source(), boxWidth, boxHeight, strokeWidth, 100 * strokeWidth / longer,
                radius > 0 ? String.format(", widened by %d px", 2 * radius) : "", targetWidth, targetHeight);
        return new Prepared(input, steps);
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
     * The stroke width in pixels, as 2 x area / perimeter of the pixels above half ink: a long stroke
     * of width w has area about length x w and perimeter about 2 x length.
     */
    static double strokeWidth(float[] ink, int width, int height) {
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
        return perimeter == 0 ? 0 : 2.0 * area / perimeter;
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
