package dlbank.report;

import dlbank.eval.Box;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Pictures where something is drawn over images: boxes over detection canvases, and colour images
 * made by the caller (class masks, attention heat maps over a grey image), each captioned, in a grid.
 */
public final class OverlayPictures {

    /** A box to draw, its colour and a short label written at its top-left corner (may be empty). */
    public record DrawnBox(Box box, Color colour, String label) {}

    /** A grey image (values in [0, 1], 1 = white) with boxes over it and a caption beneath. */
    public record BoxedImage(float[] pixels, int height, int width, List<DrawnBox> boxes, String caption) {}

    /** A colour image: one 0xRRGGBB value per pixel, row-major, and a caption beneath. */
    public record ColourImage(int[] rgb, int height, int width, String caption) {}

    /** Ten distinct colours for ten classes (a colour-blind-friendly set, then greys). */
    public static final Color[] CLASS_COLOURS = {new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(86, 180, 233), new Color(213, 94, 0), new Color(240, 228, 66),
            new Color(120, 60, 160), new Color(150, 150, 150), new Color(90, 40, 20)};

    private OverlayPictures() {}

    /** Images in rows of {@code columns}, scaled up, each with its boxes (2 px lines) and labels drawn over it. */
    public static void boxes(Path file, String title, List<BoxedImage> images, int columns, int scale, List<String> legend) {
        int width = images.get(0).width() * scale;
        int height = images.get(0).height() * scale;
        int cellWidth = width + 12;
        int cellHeight = height + 28;
        int rows = (images.size() + columns - 1) / columns;
        int top = 36 + 18 * legend.size();
        BufferedImage image = Pictures.canvas(columns * cellWidth + 12, top + rows * cellHeight);
        Graphics2D g = Pictures.graphics(image);
        g.setColor(Color.BLACK);
        g.drawString(title, 12, 22);
        for (int i = 0; i < legend.size(); i++) {
            g.drawString(legend.get(i), 12, 40 + 18 * i);
        }
        for (int i = 0; i < images.size(); i++) {
            BoxedImage panel = images.get(i);
            int x0 = 12 + (i % columns) * cellWidth;
            int y0 = top + (i / columns) * cellHeight;
            drawGrey(image, panel.pixels(), panel.height(), panel.width(), x0, y0, scale);
            g.setStroke(new BasicStroke(2f));
            for (DrawnBox drawn : panel.boxes()) {
                Box b = drawn.box();
                g.setColor(drawn.colour());
                int bx = x0 + (int) Math.round(b.x1() * scale);
                int by = y0 + (int) Math.round(b.y1() * scale);
                g.drawRect(bx, by, (int) Math.round(b.width() * scale), (int) Math.round(b.height() * scale));
                if (!drawn.label().isEmpty()) {
                    g.drawString(drawn.label(), bx + 2, Math.max(y0 + 12, by - 3));
                }
            }
            g.setColor(Color.BLACK);
            Pictures.centred(g, panel.caption(), x0 + width / 2, y0 + height + 18);
        }
        g.dispose();
        Pictures.write(file, image);
    }

    /** Colour images in rows of {@code columns}, scaled up, captioned beneath. */
    public static void colourGrid(Path file, String title, List<ColourImage> images, int columns, int scale) {
        int width = images.get(0).width() * scale;
        int height = images.get(0).height() * scale;
        int cellWidth = Math.max(width, 90) + 12;
        int cellHeight = height + 28;
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage image = Pictures.canvas(columns * cellWidth + 12, 36 + rows * cellHeight);
        Graphics2D g = Pictures.graphics(image);
        g.setColor(Color.BLACK);
        g.drawString(title, 12, 22);
        for (int i = 0; i < images.size(); i++) {
            ColourImage panel = images.get(i);
            int x0 = 12 + (i % columns) * cellWidth;
            int y0 = 36 + (i / columns) * cellHeight;
            for (int y = 0; y < panel.height(); y++) {
                for (int x = 0; x < panel.width(); x++) {
                    g.setColor(new Color(panel.rgb()[y * panel.width() + x]));
                    g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
                }
            }
            g.setColor(Color.BLACK);
            Pictures.centred(g, panel.caption(), x0 + width / 2, y0 + height + 18);
        }
        g.dispose();
        Pictures.write(file, image);
    }

    /** Grey values as colours: 0xRRGGBB per pixel. */
    public static int[] grey(float[] pixels) {
        int[] rgb = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int v = Math.round(255 * Math.max(0, Math.min(1, pixels[i])));
            rgb[i] = (v << 16) | (v << 8) | v;
        }
        return rgb;
    }

    /** A class map as colours: class 0 black, class c the colour of class c − 1 (digit c − 1). */
    public static int[] classes(byte[] classes) {
        float[] values = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            values[i] = classes[i];
        }
        return classes(values);
    }

    /** The same for classes stored as floats (a network's argmax). */
    public static int[] classes(float[] classes) {
        int[] rgb = new int[classes.length];
        for (int i = 0; i < classes.length; i++) {
            int c = (int) classes[i];
            rgb[i] = c == 0 ? 0 : CLASS_COLOURS[(c - 1) % CLASS_COLOURS.length].getRGB() & 0xffffff;
        }
        return rgb;
    }

    /**
     * A heat map over a grey image: each pixel mixes the dimmed grey value with red in proportion to
     * its heat (heat in [0, 1], same size as the image).
     */
    public static int[] heat(float[] pixels, float[] heat) {
        int[] rgb = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            Color base = new Color(grey(new float[] {0.6f * pixels[i]})[0]);
            rgb[i] = Pictures.mix(base, new Color(255, 40, 0), Math.max(0, Math.min(1, heat[i]))).getRGB() & 0xffffff;
        }
        return rgb;
    }

    private static void drawGrey(BufferedImage image, float[] pixels, int height, int width, int x0, int y0, int scale) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = Math.round(255 * Math.max(0, Math.min(1, pixels[y * width + x])));
                int rgb = (v << 16) | (v << 8) | v;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }
}
