package dlbank.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.Random;

import static dlbank.data.DigitConditions.uniform;

/**
 * Turns ink coverage into the pictures DigitConditions hands out: a plain canvas, a grey-scale scan,
 * a photo under uneven light with a shadow, added sensor noise; and the blur and enlargement a
 * low-resolution scan goes through.
 */
final class Scenes {

    private Scenes() {}

    /** Ink of one colour on a uniform canvas of another (RGB). */
    static BufferedImage plain(DigitConditions.Coverage ink, boolean darkOnLight, Random random) {
        double paper = darkOnLight ? uniform(random, 215, 255) : uniform(random, 0, 50);
        double pen = darkOnLight ? uniform(random, 0, 90) : uniform(random, 180, 255);
        BufferedImage image = new BufferedImage(ink.width(), ink.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < ink.height(); y++) {
            for (int x = 0; x < ink.width(); x++) {
                int v = clamp(paper + ink.values()[y * ink.width() + x] * (pen - paper));
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return image;
    }

    /** Ink on a uniform canvas as an 8-bit grey-scale image (TYPE_BYTE_GRAY, what a grey PNG reads as). */
    static BufferedImage grey(DigitConditions.Coverage ink, boolean darkOnLight, Random random) {
        double paper = darkOnLight ? uniform(random, 225, 255) : uniform(random, 0, 30);
        double pen = darkOnLight ? uniform(random, 0, 40) : uniform(random, 215, 255);
        BufferedImage image = new BufferedImage(ink.width(), ink.height(), BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < ink.height(); y++) {
            for (int x = 0; x < ink.width(); x++) {
                raster.setSample(x, y, 0, clamp(paper + ink.values()[y * ink.width() + x] * (pen - paper)));
            }
        }
        return image;
    }

    /**
     * A photo: light falls off across the page (a linear ramp to 55-90%), a soft-edged shadow darkens
     * one side to 35-70%, the light is tinted, and the sensor adds noise. Reflectance: paper 0.8-0.95
     * with pen or pencil 0.08-0.45; or a chalkboard 0.08-0.2 with chalk 0.6-0.9.
     */
    static BufferedImage photo(DigitConditions.Coverage ink, boolean darkOnLight, Random random) {
        int width = ink.width();
        int height = ink.height();
        double paper = darkOnLight ? uniform(random, 0.8, 0.95) : uniform(random, 0.08, 0.2);
        double pen = darkOnLight ? uniform(random, 0.08, 0.45) : uniform(random, 0.6, 0.9);
        double rampAngle = random.nextDouble() * 2 * Math.PI;
        double rampLow = uniform(random, 0.55, 0.9);
        double shadowAngle = random.nextDouble() * 2 * Math.PI;
        double shadowDepth = uniform(random, 0.35, 0.7);
        double shadowEdge = Math.min(width, height) * uniform(random, 0.02, 0.15);
        double shadowX = width * uniform(random, 0.1, 0.9);
        double shadowY = height * uniform(random, 0.1, 0.9);
        double[] tint = {1.0, uniform(random, 0.9, 1.0), uniform(random, 0.75, 1.0)}; // warm indoor light
        double noise = uniform(random, 2, 6);
        double diagonal = Math.hypot(width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double along = ((x - width / 2.0) * Math.cos(rampAngle) + (y - height / 2.0) * Math.sin(rampAngle)) / diagonal;
                double light = 1 - (1 - rampLow) * (along + 0.5);
                double across = (x - shadowX) * Math.cos(shadowAngle) + (y - shadowY) * Math.sin(shadowAngle);
                light *= 1 - (1 - shadowDepth) / (1 + Math.exp(-across / shadowEdge * 4));
                double reflectance = paper + ink.values()[y * width + x] * (pen - paper);
                int rgb = 0;
                for (double channel : tint) {
                    rgb = (rgb << 8) | clamp(255 * light * reflectance * channel + noise * random.nextGaussian());
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** The image with Gaussian noise of the given standard deviation (grey levels) on every channel. */
    static BufferedImage noisy(BufferedImage image, double sigma, Random random) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int out = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    out = (out << 8) | clamp(((rgb >> shift) & 0xff) + sigma * random.nextGaussian());
                }
                image.setRGB(x, y, out);
            }
        }
        return image;
    }

    /** Enlarged by {@code scale} with bilinear interpolation between pixel centres, edges repeated. */
    static DigitConditions.Coverage enlarge(DigitConditions.Coverage small, double scale) {
        int width = (int) Math.round(small.width() * scale);
        int height = (int) Math.round(small.height() * scale);
        float[] out = new float[width * height];
        float[] v = small.values();
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, Math.min(small.height() - 1, (y + 0.5) / scale - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, small.height() - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = Math.max(0, Math.min(small.width() - 1, (x + 0.5) / scale - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, small.width() - 1);
                double fx = sx - x0;
                out[y * width + x] = (float) ((1 - fy) * ((1 - fx) * v[y0 * small.width() + x0] + fx * v[y0 * small.width() + x1])
                        + fy * ((1 - fx) * v[y1 * small.width() + x0] + fx * v[y1 * small.width() + x1]));
            }
        }
        return new DigitConditions.Coverage(out, width, height);
    }

    /** Separable Gaussian blur of standard deviation sigma (pixels); edges repeated. */
    static DigitConditions.Coverage blur(DigitConditions.Coverage image, double sigma) {
        if (sigma < 0.3) {
            return image;
        }
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            total += kernel[i + radius];
        }
        int width = image.width();
        int height = image.height();
        float[] rows = new float[width * height];
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int i = -radius; i <= radius; i++) {
                    sum += kernel[i + radius] * image.values()[y * width + Math.max(0, Math.min(width - 1, x + i))];
                }
                rows[y * width + x] = (float) (sum / total);
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int i = -radius; i <= radius; i++) {
                    sum += kernel[i + radius] * rows[Math.max(0, Math.min(height - 1, y + i)) * width + x];
                }
                out[y * width + x] = (float) (sum / total);
            }
        }
        return new DigitConditions.Coverage(out, width, height);
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }
}
