package dlbank.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Pictures drawn directly with Java 2D (no display needed): confusion matrices, grids of small
 * grey-scale images with captions, and decision-boundary maps.
 */
public final class Pictures {

    /** Readable where the page shows a grid at about half its size. */
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 18);

    private Pictures() {}

    /**
     * A confusion matrix: row = true class, column = predicted class, each cell shows its count.
     * Shading follows log(1 + count) within the off-diagonal and diagonal cells separately, so a
     * handful of errors stays visible next to a diagonal of thousands.
     */
    public static void confusionMatrix(Path file, String title, int[][] counts) {
        int classes = counts.length;
        int cell = 52;
        int left = 70;
        int top = 70;
        int size = left + classes * cell + 30;
        BufferedImage image = canvas(size, top + classes * cell + 50);
        Graphics2D g = graphics(image);
        double maxOff = 1;
        double maxDiag = 1;
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                if (i == j) {
                    maxDiag = Math.max(maxDiag, counts[i][j]);
                } else {
                    maxOff = Math.max(maxOff, counts[i][j]);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawString(title, left, 25);
        g.drawString("predicted", left + classes * cell / 2 - 25, 48);
        g.rotate(-Math.PI / 2);
        g.drawString("true", -(top + classes * cell / 2 + 10), 20);
        g.rotate(Math.PI / 2);
        for (int i = 0; i < classes; i++) {
            g.setColor(Color.BLACK);
            centred(g, Integer.toString(i), left + i * cell + cell / 2, top - 8);
            centred(g, Integer.toString(i), left - 18, top + i * cell + cell / 2 + 5);
            for (int j = 0; j < classes; j++) {
                double max = i == j ? maxDiag : maxOff;
                double shade = counts[i][j] == 0 ? 0 : Math.log1p(counts[i][j]) / Math.log1p(max);
                Color base = i == j ? new Color(33, 113, 181) : new Color(203, 24, 29);
                g.setColor(counts[i][j] == 0 ? Color.WHITE : mix(Color.WHITE, base, 0.15 + 0.85 * shade));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(shade > 0.6 ? Color.WHITE : Color.BLACK);
                centred(g, Integer.toString(counts[i][j]), left + j * cell + cell / 2, top + i * cell + cell / 2 + 5);
            }
        }
        g.dispose();
        write(file, image);
    }

    /** One captioned image in a grid. Pixels are row-major grey values in [0, 1], 1 = bright. */
    public record Tile(float[] pixels, int height, int width, String caption) {}

    /** Images side by side in rows of {@code columns}, each scaled up and captioned beneath. */
    public static void grid(Path file, String title, List<Tile> tiles, int columns, int scale) {
        int tileWidth = tiles.isEmpty() ? 28 * scale : tiles.get(0).width() * scale;
        int tileHeight = tiles.isEmpty() ? 28 * scale : tiles.get(0).height() * scale;
        int cellWidth = Math.max(tileWidth, 120) + 10;
        int cellHeight = tileHeight + 36;
        int rows = Math.max(1, (tiles.size() + columns - 1) / columns);
        BufferedImage image = canvas(columns * cellWidth + 10, 40 + rows * cellHeight);
        Graphics2D g = graphics(image);
        g.setColor(Color.BLACK);
        g.drawString(title, 10, 22);
        for (int t = 0; t < tiles.size(); t++) {
            Tile tile = tiles.get(t);
            int x0 = 10 + (t % columns) * cellWidth + (cellWidth - 10 - tileWidth) / 2;
            int y0 = 35 + (t / columns) * cellHeight;
            for (int y = 0; y < tile.height(); y++) {
                for (int x = 0; x < tile.width(); x++) {
                    int v = Math.round(255 * Math.max(0, Math.min(1, tile.pixels()[y * tile.width() + x])));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
                }
            }
            g.setColor(Color.BLACK);
            centred(g, tile.caption(), x0 + tileWidth / 2, y0 + tileHeight + 22);
        }
        g.dispose();
        write(file, image);
    }

    /**
     * Images without captions packed edge to edge in rows of {@code columns}, under a title: sample
     * grids of generated or denoised digits.
     *
     * @param images each row-major grey values in [0, 1], 1 = bright, all of one size
     */
    public static void imageGrid(Path file, String title, List<float[]> images, int height, int width, int columns,
                                 int scale) {
        int rows = Math.max(1, (images.size() + columns - 1) / columns);
        int gap = 2;
        int top = title.isEmpty() ? gap : 30;
        BufferedImage image = canvas(columns * (width * scale + gap) + gap, top + rows * (height * scale + gap));
        Graphics2D g = graphics(image);
        g.setColor(Color.BLACK);
        g.fillRect(0, top, image.getWidth(), image.getHeight() - top);
        // A small grid (16 digits) is narrower than most titles: the type shrinks until the title fits.
        java.awt.Font font = g.getFont();
        while (font.getSize2D() > 8 && g.getFontMetrics(font).stringWidth(title) > image.getWidth() - 12) {
            font = font.deriveFont(font.getSize2D() - 1);
        }
        g.setFont(font);
        g.drawString(title, 6, 20);
        for (int i = 0; i < images.size(); i++) {
            int x0 = gap + (i % columns) * (width * scale + gap);
            int y0 = top + (i / columns) * (height * scale + gap);
            float[] pixels = images.get(i);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int v = Math.round(255 * Math.max(0, Math.min(1, pixels[y * width + x])));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
                }
            }
        }
        g.dispose();
        write(file, image);
    }

    /** A grey image at its own size: values in [0, 1] row by row, 1 = white. */
    public static void greyImage(Path file, float[] pixels, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = Math.round(255 * Math.max(0, Math.min(1, pixels[y * width + x])));
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        write(file, image);
    }

    /** A labelled point on a decision-boundary map. */
    public record Point(double x, double y, boolean positive) {}

    /**
     * The model's probability over the square [-0.5, 1.5]² as shading (blue = 0, red = 1), the 0.5
     * contour in black, and the training points as circles (filled = label 1).
     *
     * @param probabilities p(1) on a size x size lattice, row by row from the top (y = 1.5)
     */
    public static void decisionMap(Path file, String title, float[] probabilities, int size, List<Point> points) {
        int margin = 30;
        BufferedImage image = canvas(size + 2 * margin, size + 2 * margin);
        Graphics2D g = graphics(image);
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                Color shade = mix(new Color(66, 133, 244), new Color(219, 68, 55), probabilities[py * size + px]);
                image.setRGB(margin + px, margin + py, mix(Color.WHITE, shade, 0.55).getRGB());
            }
        }
        for (int py = 1; py < size; py++) {
            for (int px = 1; px < size; px++) {
                boolean side = probabilities[py * size + px] >= 0.5f;
                if (side != (probabilities[(py - 1) * size + px] >= 0.5f) || side != (probabilities[py * size + px - 1] >= 0.5f)) {
                    image.setRGB(margin + px, margin + py, Color.BLACK.getRGB());
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawString(title, margin, 20);
        g.setStroke(new BasicStroke(2f));
        for (Point point : points) {
            int cx = margin + (int) Math.round((point.x() + 0.5) / 2 * size);
            int cy = margin + size - (int) Math.round((point.y() + 0.5) / 2 * size);
            if (point.positive()) {
                g.fillOval(cx - 8, cy - 8, 16, 16);
            } else {
                g.drawOval(cx - 8, cy - 8, 16, 16);
            }
        }
        g.drawRect(margin, margin, size, size);
        g.dispose();
        write(file, image);
    }

    /** A path through the plane, e.g. an optimizer's iterates: x[i], y[i] in order. */
    public record Path2D(double[] x, double[] y) {}

    private static final Color[] PATH_COLOURS = {new Color(219, 68, 55), new Color(66, 133, 244),
            new Color(15, 157, 88), new Color(244, 160, 0), new Color(171, 71, 188), Color.BLACK};

    /**
     * A function of two variables as a contour map (grey bands of log10(1 + f), darker lines between
     * them) over [xMin, xMax] x [yMin, yMax], with paths drawn over it in colour, a legend, and a
     * cross at {@code target} (the minimum).
     */
    public static void contourPaths(Path file, String title, java.util.function.DoubleBinaryOperator f, double xMin,
                                    double xMax, double yMin, double yMax, java.util.Map<String, Path2D> paths,
                                    double[] target) {
        int width = 640;
        int height = (int) Math.round(width * (yMax - yMin) / (xMax - xMin));
        int left = 50;
        int top = 40;
        int legendWidth = 360;
        BufferedImage image = canvas(left + width + 20 + legendWidth, top + height + 40);
        Graphics2D g = graphics(image);
        int[][] band = new int[height][width];
        for (int py = 0; py < height; py++) {
            for (int px = 0; px < width; px++) {
                double x = xMin + (px + 0.5) / width * (xMax - xMin);
                double y = yMax - (py + 0.5) / height * (yMax - yMin);
                double level = Math.log10(1 + f.applyAsDouble(x, y));
                band[py][px] = (int) Math.floor(4 * level); // four bands per decade
                int grey = Math.max(150, 250 - 8 * band[py][px]);
                image.setRGB(left + px, top + py, new Color(grey, grey, grey).getRGB());
            }
        }
        for (int py = 1; py < height; py++) {
            for (int px = 1; px < width; px++) {
                if (band[py][px] != band[py - 1][px] || band[py][px] != band[py][px - 1]) {
                    image.setRGB(left + px, top + py, new Color(120, 120, 120).getRGB());
                }
            }
        }
        java.util.function.DoubleUnaryOperator toX = x -> left + (x - xMin) / (xMax - xMin) * width;
        java.util.function.DoubleUnaryOperator toY = y -> top + (yMax - y) / (yMax - yMin) * height;
        g.setClip(left, top, width, height);
        g.setStroke(new BasicStroke(2f));
        int colour = 0;
        for (Path2D path : paths.values()) {
            g.setColor(PATH_COLOURS[colour++ % PATH_COLOURS.length]);
            java.awt.geom.Path2D.Double line = new java.awt.geom.Path2D.Double();
            for (int i = 0; i < path.x().length; i++) {
                double px = toX.applyAsDouble(Math.max(xMin - 1, Math.min(xMax + 1, path.x()[i])));
                double py = toY.applyAsDouble(Math.max(yMin - 1, Math.min(yMax + 1, path.y()[i])));
                if (i == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
            }
            g.draw(line);
        }
        g.setClip(null);
        g.setColor(Color.BLACK);
        int tx = (int) Math.round(toX.applyAsDouble(target[0]));
        int ty = (int) Math.round(toY.applyAsDouble(target[1]));
        g.drawLine(tx - 7, ty - 7, tx + 7, ty + 7);
        g.drawLine(tx - 7, ty + 7, tx + 7, ty - 7);
        g.drawRect(left, top, width, height);
        g.drawString(title, left, 22);
        g.drawString(String.format("x from %.1f to %.1f, y from %.1f to %.1f; x = minimum", xMin, xMax, yMin, yMax),
                left, top + height + 25);
        colour = 0;
        int row = 0;
        for (String name : paths.keySet()) {
            g.setColor(PATH_COLOURS[colour++ % PATH_COLOURS.length]);
            g.fillRect(left + width + 20, top + 10 + row * 22, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(name, left + width + 44, top + 16 + row * 22);
            row++;
        }
        g.dispose();
        write(file, image);
    }

    /** A text whose words are shaded by a weight each, with a caption above it. */
    public record WeightedText(String caption, List<String> words, float[] weights) {}

    /**
     * Texts with each word on a background whose strength follows its weight (the strongest word of
     * each text at full strength), for attention weights over the words of a review.
     */
    public static void weightedWords(Path file, String title, List<WeightedText> texts) {
        int width = 1000;
        int lineHeight = 22;
        BufferedImage scratch = canvas(1, 1);
        Graphics2D measure = graphics(scratch);
        FontMetrics metrics = measure.getFontMetrics();
        // First pass: where every word goes, so the canvas can be made tall enough.
        List<int[][]> layouts = new java.util.ArrayList<>();
        int y = 45;
        for (WeightedText text : texts) {
            y += lineHeight + 4; // caption
            int x = 10;
            int[][] layout = new int[text.words().size()][];
            for (int i = 0; i < text.words().size(); i++) {
                int w = metrics.stringWidth(text.words().get(i)) + 6;
                if (x + w > width - 10) {
                    x = 10;
                    y += lineHeight;
                }
                layout[i] = new int[] {x, y, w};
                x += w + 2;
            }
            layouts.add(layout);
            y += lineHeight + 16;
        }
        measure.dispose();
        BufferedImage image = canvas(width, y);
        Graphics2D g = graphics(image);
        g.setColor(Color.BLACK);
        g.drawString(title, 10, 22);
        for (int t = 0; t < texts.size(); t++) {
            WeightedText text = texts.get(t);
            int[][] layout = layouts.get(t);
            float max = 1e-12f;
            for (float weight : text.weights()) {
                max = Math.max(max, weight);
            }
            int captionY = layout.length > 0 ? layout[0][1] - lineHeight + 2 : 0;
            g.setColor(new Color(60, 60, 60));
            g.drawString(text.caption(), 10, captionY);
            for (int i = 0; i < layout.length; i++) {
                double strength = text.weights()[i] / max;
                g.setColor(mix(Color.WHITE, new Color(214, 39, 40), strength));
                g.fillRect(layout[i][0], layout[i][1] - metrics.getAscent() - 2, layout[i][2], lineHeight - 2);
                g.setColor(Color.BLACK);
                g.drawString(text.words().get(i), layout[i][0] + 3, layout[i][1]);
            }
        }
        g.dispose();
        write(file, image);
    }

    static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(FONT);
        return g;
    }

    static void centred(Graphics2D g, String text, int x, int y) {
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, x - metrics.stringWidth(text) / 2, y);
    }

    static Color mix(Color a, Color b, double t) {
        double u = Math.max(0, Math.min(1, t));
        return new Color(
                (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * u),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * u),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * u));
    }

    static void write(Path file, BufferedImage image) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
        });
    }
}
