package dlbank.data;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Digits drawn the way a user draws in an image editor: a round brush along pen strokes, on a
 * canvas of any size, anywhere on it, at any size, with any pen width, dark on light or light on
 * dark, some as JPEG, some on a transparent canvas. The strokes are hand-made paths for each digit,
 * jittered per drawing (slant, rotation, aspect, stroke shape), so no two drawings are alike.
 *
 * <p>{@code java -cp ... dlbank.data.DrawnDigits DIR COUNT SEED} writes COUNT drawings of each digit
 * into DIR as {@code d<digit>-<n>.png} (or .jpg).
 */
public final class DrawnDigits {

    /** One drawing and the digit it shows. */
    public record Drawing(int digit, BufferedImage image, boolean jpeg) {}

    private DrawnDigits() {}

    public static List<Drawing> draw(int perDigit, long seed) {
        Random random = new Random(seed);
        List<Drawing> drawings = new ArrayList<>();
        for (int n = 0; n < perDigit; n++) {
            for (int digit = 0; digit < 10; digit++) {
                drawings.add(draw(digit, random));
            }
        }
        return drawings;
    }

    static Drawing draw(int digit, Random random) {
        int width = 200 + random.nextInt(900);
        int height = 200 + random.nextInt(700);
        boolean darkOnLight = random.nextDouble() < 0.7;
        boolean transparent = darkOnLight && random.nextDouble() < 0.15;
        boolean jpeg = !transparent && random.nextDouble() < 0.25;
        BufferedImage image = new BufferedImage(width, height,
                transparent ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        if (!transparent) {
            g.setColor(darkOnLight ? shade(random, 225, 255) : shade(random, 0, 40));
            g.fillRect(0, 0, width, height);
        }
        g.setColor(darkOnLight ? ink(random, 0, 90) : ink(random, 190, 255));
        double digitHeight = Math.min(width, height) * (0.3 + 0.55 * random.nextDouble());
        double digitWidth = digitHeight * (0.55 + 0.3 * random.nextDouble());
        double x0 = random.nextDouble() * (width - digitWidth - 0.1 * digitHeight) + 0.05 * digitHeight;
        double y0 = random.nextDouble() * (height - digitHeight - 0.1 * digitHeight) + 0.05 * digitHeight;
        AffineTransform transform = new AffineTransform();
        transform.translate(x0 + digitWidth / 2, y0 + digitHeight / 2);
        transform.rotate(Math.toRadians(-8 + 16 * random.nextDouble()));
        transform.shear(-0.25 * random.nextDouble(), 0); // a forward slant, as most handwriting has
        transform.scale(digitWidth, digitHeight);
        transform.translate(-0.5, -0.5);
        float pen = (float) (digitHeight * (0.03 + 0.12 * random.nextDouble()));
        g.setStroke(new BasicStroke(pen, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (java.awt.Shape stroke : strokes(digit, random)) {
            g.draw(transform.createTransformedShape(stroke));
        }
        g.dispose();
        return new Drawing(digit, image, jpeg);
    }

    /** The pen strokes of a digit in a unit box (x right, y down), lightly jittered. */
    static List<java.awt.Shape> strokes(int digit, Random random) {
        double j = 0.04;
        List<java.awt.Shape> strokes = new ArrayList<>();
        Path2D.Double path = new Path2D.Double();
        switch (digit) {
            case 0 -> strokes.add(new Ellipse2D.Double(0.05 + jitter(random, j), 0, 0.9, 1));
            case 1 -> {
                path.moveTo(0.3 + jitter(random, j), 0.2);
                path.lineTo(0.55, 0);
                path.lineTo(0.55 + jitter(random, j), 1);
            }
            case 2 -> {
                path.moveTo(0.1, 0.25 + jitter(random, j));
                path.curveTo(0.15, -0.05, 0.85, -0.08, 0.85, 0.28);
                path.curveTo(0.85, 0.5, 0.3, 0.7, 0.05, 1);
                path.lineTo(0.95, 0.98 + jitter(random, j));
            }
            case 3 -> {
                path.moveTo(0.1, 0.12);
                path.curveTo(0.35, -0.05, 0.9, 0.0, 0.85, 0.25);
                path.curveTo(0.8, 0.45, 0.5, 0.48, 0.35 + jitter(random, j), 0.48);
                path.curveTo(0.75, 0.48, 0.95, 0.6, 0.9, 0.78);
                path.curveTo(0.85, 1.02, 0.3, 1.05, 0.05, 0.88);
            }
            case 4 -> {
                path.moveTo(0.6 + jitter(random, j), 0);
                path.lineTo(0.05, 0.68);
                path.lineTo(0.95, 0.68 + jitter(random, j));
                path.moveTo(0.72, 0.3);
                path.lineTo(0.72 + jitter(random, j), 1);
            }
            case 5 -> {
                path.moveTo(0.9, 0.02);
                path.lineTo(0.25, 0);
                path.lineTo(0.18 + jitter(random, j), 0.45);
                path.curveTo(0.5, 0.32, 0.95, 0.45, 0.9, 0.72);
                path.curveTo(0.85, 1.02, 0.35, 1.05, 0.08, 0.88);
            }
            case 6 -> {
                path.moveTo(0.8, 0.02);
                path.curveTo(0.4, 0.1, 0.1, 0.45, 0.12, 0.72);
                path.curveTo(0.15, 1.05, 0.85, 1.05, 0.88, 0.72);
                path.curveTo(0.9, 0.42, 0.35, 0.4, 0.13 + jitter(random, j), 0.68);
            }
            case 7 -> {
                path.moveTo(0.05, 0.05 + jitter(random, j));
                path.lineTo(0.95, 0);
                path.curveTo(0.7, 0.3, 0.45, 0.65, 0.38 + jitter(random, j), 1);
            }
            case 8 -> {
                strokes.add(new Ellipse2D.Double(0.18 + jitter(random, j), 0, 0.64, 0.46));
                strokes.add(new Ellipse2D.Double(0.08, 0.44, 0.84, 0.56));
            }
            case 9 -> {
                strokes.add(new Ellipse2D.Double(0.1, 0, 0.8, 0.5 + jitter(random, j)));
                path.moveTo(0.9, 0.25);
                path.curveTo(0.9, 0.6, 0.75, 0.8, 0.65 + jitter(random, j), 1);
            }
            default -> throw new IllegalArgumentException("digit " + digit);
        }
        if (path.getCurrentPoint() != null) {
            strokes.add(path);
        }
        return strokes;
    }

    private static double jitter(Random random, double amount) {
        return (random.nextDouble() * 2 - 1) * amount;
    }

    private static Color shade(Random random, int from, int to) {
        int v = from + random.nextInt(to - from + 1);
        return new Color(v, v, Math.min(255, v + random.nextInt(10)));
    }

    private static Color ink(Random random, int from, int to) {
        return new Color(from + random.nextInt(to - from + 1), from + random.nextInt(to - from + 1),
                from + random.nextInt(to - from + 1));
    }

    /** Writes the drawings; returns the files in order. */
    public static List<Path> write(List<Drawing> drawings, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        int[] counts = new int[10];
        for (Drawing drawing : drawings) {
            String name = String.format("d%d-%02d.%s", drawing.digit(), counts[drawing.digit()]++, drawing.jpeg() ? "jpg" : "png");
            Path file = dir.resolve(name);
            ImageIO.write(drawing.image(), drawing.jpeg() ? "jpg" : "png", file.toFile());
            files.add(file);
        }
        return files;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/drawn-digits");
        int perDigit = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        List<Path> files = write(draw(perDigit, seed), dir);
        System.out.println(files.size() + " drawings in " + dir);
    }
}
