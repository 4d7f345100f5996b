package dlbank.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Real handwriting that is not MNIST: the UCI "Optical Recognition of Handwritten Digits" test set
 * (Alpaydin &amp; Kaynak, 1998; 1,797 digits by 43 writers, as scikit-learn ships it in
 * {@code sklearn/datasets/data/digits.csv.gz}). Each digit is an 8x8 grid of counts 0-16 (the ink
 * pixels of a 4x4 block of a 32x32 scan): a very low-resolution scan. Rendered here as a user would
 * hand one over: enlarged with bilinear interpolation into an 8-bit grey-scale image, dark on light
 * or light on dark.
 */
public final class UciDigits {

    /** One digit: 64 counts 0-16, row-major, and its label. */
    public record Digit(int[] counts, int label) {}

    private UciDigits() {}

    /** Reads the CSV (64 counts and the label per line), plain or gzip-compressed. */
    public static List<Digit> read(Path csv) throws IOException {
        try (InputStream raw = Files.newInputStream(csv);
             InputStream in = csv.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            List<Digit> digits = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.trim().split(",");
                int[] counts = new int[64];
                for (int i = 0; i < 64; i++) {
                    counts[i] = (int) Double.parseDouble(fields[i]);
                }
                digits.add(new Digit(counts, (int) Double.parseDouble(fields[64])));
            }
            return digits;
        }
    }

    /** The digit enlarged to size x size (bilinear between pixel centres, edges repeated) as TYPE_BYTE_GRAY. */
    public static BufferedImage render(Digit digit, int size, boolean darkOnLight) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        double scale = size / 8.0;
        for (int y = 0; y < size; y++) {
            double sy = Math.max(0, Math.min(7, (y + 0.5) / scale - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, 7);
            for (int x = 0; x < size; x++) {
                double sx = Math.max(0, Math.min(7, (x + 0.5) / scale - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, 7);
                double fx = sx - x0;
                double fy = sy - y0;
                int[] c = digit.counts();
                double ink = ((1 - fy) * ((1 - fx) * c[y0 * 8 + x0] + fx * c[y0 * 8 + x1])
                        + fy * ((1 - fx) * c[y1 * 8 + x0] + fx * c[y1 * 8 + x1])) / 16;
                int level = (int) Math.round(255 * ink);
                raster.setSample(x, y, 0, darkOnLight ? 255 - level : level);
            }
        }
        return image;
    }
}
