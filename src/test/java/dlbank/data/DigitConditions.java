package dlbank.data;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Digits as users hand them to {@code predict}, one set per hard condition, half dark on light and
 * half light on dark: DrawnDigits' pen strokes rendered as a thin pen on a large canvas, a thick
 * marker, a blurred low-resolution scan enlarged, a photo of paper (or a chalkboard) under uneven
 * light with a shadow, heavy JPEG noise, and a tight crop where the digit touches the edge. Seeded:
 * the same seed gives the same images.
 */
public final class DigitConditions {

    public enum Condition {
        THIN_PEN, THICK_MARKER, BLURRED_SCAN, PHOTO, JPEG_NOISE, AT_THE_EDGE;

        public String folder() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** One image, the digit it shows, its polarity, and the format to save it in ("png" or "jpg"). */
    public record Sample(int digit, boolean darkOnLight, BufferedImage image, String format) {}

    /** Ink coverage in [0, 1] of a width x height patch, row-major. */
    record Coverage(float[] values, int width, int height) {}

    private DigitConditions() {}

    public static List<Sample> draw(Condition condition, int perDigit, long seed) {
        Random random = new Random(seed * 31 + condition.ordinal());
        List<Sample> samples = new ArrayList<>();
        for (int n = 0; n < perDigit; n++) {
            for (int digit = 0; digit < 10; digit++) {
                samples.add(draw(condition, digit, (n + digit) % 2 == 0, random));
            }
        }
        return samples;
    }

    static Sample draw(Condition condition, int digit, boolean darkOnLight, Random random) {
        return switch (condition) {
            case THIN_PEN -> {
                double height = 300 + 900 * random.nextDouble();
                Coverage ink = place(strokes(digit, random, height, Math.max(1, height * uniform(random, 0.006, 0.025))),
                        random, 0.1, 0.8);
                yield new Sample(digit, darkOnLight, Scenes.plain(ink, darkOnLight, random), "png");
            }
            case THICK_MARKER -> {
                double height = 120 + 500 * random.nextDouble();
                Coverage ink = place(strokes(digit, random, height, height * uniform(random, 0.18, 0.28)), random, 0.05, 0.4);
                yield new Sample(digit, darkOnLight, Scenes.plain(ink, darkOnLight, random), "png");
            }
            case BLURRED_SCAN -> {
                // Scanned at 8-14 px a digit, enlarged 6-16 times with smooth interpolation, blurred.
                double height = uniform(random, 8, 14);
                Coverage small = place(strokes(digit, random, height, Math.max(0.8, height * uniform(random, 0.1, 0.2))),
                        random, 0.05, 0.3);
                double scale = uniform(random, 6, 16);
                Coverage large = Scenes.blur(Scenes.enlarge(small, scale), scale * uniform(random, 0, 0.5));
                yield new Sample(digit, darkOnLight, Scenes.grey(large, darkOnLight, random), "png");
            }
            case PHOTO -> {
                double height = 100 + 400 * random.nextDouble();
                Coverage ink = place(strokes(digit, random, height, height * uniform(random, 0.04, 0.12)), random, 0.2, 1.0);
                ink = Scenes.blur(ink, uniform(random, 0.5, 2));
                yield new Sample(digit, darkOnLight, Scenes.photo(ink, darkOnLight, random), "jpg");
            }
            case JPEG_NOISE -> {
                double height = 60 + 240 * random.nextDouble();
                Coverage ink = place(strokes(digit, random, height, height * uniform(random, 0.06, 0.14)), random, 0.1, 0.5);
                yield new Sample(digit, darkOnLight, Scenes.noisy(Scenes.plain(ink, darkOnLight, random), uniform(random, 8, 25), random),
                        "jpg");
            }
            case AT_THE_EDGE -> {
                double height = 100 + 400 * random.nextDouble();
                Coverage ink = strokes(digit, random, height, height * uniform(random, 0.05, 0.12));
                yield new Sample(digit, darkOnLight, Scenes.plain(touchingTheEdge(ink, random), darkOnLight, random), "png");
            }
        };
    }

    /** MNIST image {@code index} enlarged {@code scale} times, with margins, as an 8-bit grey image. */
    public static BufferedImage mnist(ImageDataset set, int index, double scale, boolean darkOnLight, Random random) {
        float[] values = new float[set.pixelsPerImage()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (set.pixels()[index * values.length + i] & 0xff) / 255f;
        }
        Coverage large = Scenes.enlarge(new Coverage(values, set.width(), set.height()), scale);
        return Scenes.grey(place(large, random, 0, 0.5), darkOnLight, random);
    }

    /** DrawnDigits' strokes of the digit, slanted and rotated, cropped to the ink: about {@code height} px tall. */
    static Coverage strokes(int digit, Random random, double height, double pen) {
        double width = height * uniform(random, 0.55, 0.85);
        int margin = (int) Math.ceil(pen + 0.3 * height);
        int canvasWidth = (int) Math.ceil(width + 2 * margin);
        int canvasHeight = (int) Math.ceil(height + 2 * margin);
        BufferedImage canvas = new BufferedImage(canvasWidth, canvasHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) pen, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        AffineTransform transform = new AffineTransform();
        transform.translate(canvasWidth / 2.0, canvasHeight / 2.0);
        transform.rotate(Math.toRadians(uniform(random, -8, 8)));
        transform.shear(-0.25 * random.nextDouble(), 0); // a forward slant, as most handwriting has
        transform.scale(width, height);
        transform.translate(-0.5, -0.5);
        for (java.awt.Shape stroke : DrawnDigits.strokes(digit, random)) {
            g.draw(transform.createTransformedShape(stroke));
        }
        g.dispose();
        float[] values = new float[canvasWidth * canvasHeight];
        int minX = canvasWidth, minY = canvasHeight, maxX = -1, maxY = -1;
        for (int y = 0; y < canvasHeight; y++) {
            for (int x = 0; x < canvasWidth; x++) {
                values[y * canvasWidth + x] = (canvas.getRGB(x, y) & 0xff) / 255f;
                if (values[y * canvasWidth + x] > 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return crop(new Coverage(values, canvasWidth, canvasHeight), minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /** The ink on a larger canvas: margins of {@code min..max} times the ink's size on each side, at random. */
    static Coverage place(Coverage ink, Random random, double min, double max) {
        int left = (int) (ink.width() * uniform(random, min, max));
        int right = (int) (ink.width() * uniform(random, min, max));
        int top = (int) (ink.height() * uniform(random, min, max));
        int bottom = (int) (ink.height() * uniform(random, min, max));
        return crop(ink, -left, -top, ink.width() + left + right, ink.height() + top + bottom);
    }

    /** A tight crop: the ink touches one or two edges, cut by up to 4% of its height there. */
    static Coverage touchingTheEdge(Coverage ink, Random random) {
        int cut = (int) (ink.height() * 0.04 * random.nextDouble());
        int margin = (int) (ink.height() * uniform(random, 0.05, 0.4));
        int sides = random.nextInt(8); // bit 0: left or right; bit 1: top or bottom; bit 2: both axes
        boolean both = (sides & 4) != 0;
        int left = (sides & 1) == 0 ? -cut : margin;
        int right = (sides & 1) == 0 ? margin : -cut;
        int top = both ? ((sides & 2) == 0 ? -cut : margin) : margin;
        int bottom = both ? ((sides & 2) == 0 ? margin : -cut) : margin;
        return crop(ink, -left, -top, ink.width() + left + right, ink.height() + top + bottom);
    }

    /** The region (x, y, width, height) of the patch; outside it is 0. */
    static Coverage crop(Coverage patch, int x0, int y0, int width, int height) {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int sx = x + x0;
                int sy = y + y0;
                if (sx >= 0 && sy >= 0 && sx < patch.width() && sy < patch.height()) {
                    out[y * width + x] = patch.values()[sy * patch.width() + sx];
                }
            }
        }
        return new Coverage(out, width, height);
    }

    static double uniform(Random random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    /** Writes the image as PNG, or as JPEG at the given quality (1-100). */
    public static void write(BufferedImage image, String format, int jpegQuality, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (format.equals("png")) {
            ImageIO.write(image, "png", file.toFile());
            return;
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(jpegQuality / 100f);
        Files.deleteIfExists(file);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Writes {@code perDigit} images of each digit into DIR/<condition>/d<digit>-<n>-<dark|light>.png|jpg. */
    public static List<Path> write(Condition condition, int perDigit, long seed, Path dir) throws IOException {
        Random quality = new Random(seed);
        List<Path> files = new ArrayList<>();
        int[] counts = new int[10];
        for (Sample sample : draw(condition, perDigit, seed)) {
            Path file = dir.resolve(condition.folder()).resolve(
                    String.format("d%d-%03d-%s.%s", sample.digit(), counts[sample.digit()]++,
                            sample.darkOnLight() ? "dark" : "light", sample.format()));
            // Photos as a phone saves them; the noisy set at the qualities that leave visible blocks.
            int jpegQuality = condition == Condition.JPEG_NOISE ? 5 + quality.nextInt(21) : 70 + quality.nextInt(23);
            write(sample.image(), sample.format(), jpegQuality, file);
            files.add(file);
        }
        return files;
    }
}
