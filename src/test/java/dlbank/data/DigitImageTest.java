package dlbank.data;

import dlbank.UserException;
import org.junit.jupiter.api.Test;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DigitImageTest {

    /** A "1"-like vertical bar with a foot, drawn like a user would: dark pen on a light canvas. */
    private static BufferedImage drawing(int size, int x, int y, int height, float pen, boolean darkOnLight) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(darkOnLight ? new Color(250, 248, 240) : Color.BLACK);
        g.fillRect(0, 0, size, size);
        g.setColor(darkOnLight ? new Color(20, 20, 60) : Color.WHITE);
        g.setStroke(new BasicStroke(pen, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(x, y, x, y + height);
        g.drawLine(x - height / 4, y + height, x + height / 4, y + height);
        g.dispose();
        return image;
    }

    @Test
    void aHugePictureIsRefusedFromItsHeaderBeforeAnyPixelIsDecoded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // 20,000 x 20,000 pixels in 57 bytes: decoding it would take gigabytes; the header is enough to refuse it.
        java.nio.file.Path huge = java.nio.file.Files.write(dir.resolve("huge.png"), dlbank.TestSupport.pngHeaderOnly(20_000, 20_000));
        assertThatThrownBy(() -> DigitImage.read(huge))
                .isInstanceOf(UserException.class)
                .hasMessageEndingWith("huge.png: 20000 x 20000 pixels is larger than the 40,000,000 pixels allowed");
    }

    @Test
    void bringsAnOffCentreDarkOnLightDrawingToMnistForm() {
        float[] digit = DigitImage.toMnist(drawing(600, 100, 50, 200, 6f, true), "test");
        assertThat(digit).hasSize(28 * 28);
        int[] box = box(digit);
        // Longer side scaled to 20 px: the drawing is 200 px tall, so 20 rows carry ink.
        assertThat(box[3] - box[1] + 1).isBetween(19, 21);
        double[] centre = centreOfMass(digit);
        assertThat(centre[0]).isCloseTo(14, within(1.0));
        assertThat(centre[1]).isCloseTo(14, within(1.0));
        // Ink is bright: the brightest pixel is 1 and the corners are background.
        assertThat(max(digit)).isEqualTo(1f);
        assertThat(digit[0]).isZero();
    }

    @Test
    void polarityAndPenWidthDoNotChangeTheResultMuch() {
        float[] darkThin = DigitImage.toMnist(drawing(600, 300, 100, 300, 4f, true), "a");
        float[] lightThick = DigitImage.toMnist(drawing(600, 300, 100, 300, 30f, false), "b");
        // Thin strokes are thickened to MNIST's width, so both have comparable amounts of ink.
        double inkThin = sum(darkThin);
        double inkThick = sum(lightThick);
        assertThat(inkThin / inkThick).isBetween(0.5, 2.0);
        assertThat(inkThin).isGreaterThan(25); // a 20-row stroke about 2 px wide
    }

    @Test
    void aBlankImageIsRejectedWithOneLine() {
        BufferedImage blank = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> DigitImage.toMnist(blank, "blank.png"))
                .isInstanceOf(UserException.class)
                .hasMessage("blank.png: no digit found (the image is blank or has no contrast)");
    }

    /** The bounding box of the ink above 0.1: {left, top, right, bottom}. */
    static int[] box(float[] digit) {
        int[] box = {28, 28, -1, -1};
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (digit[y * 28 + x] > 0.1f) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                }
            }
        }
        return box;
    }

    /** The ink's centre of mass, {x, y}, in pixels from the top left corner. */
    static double[] centreOfMass(float[] digit) {
        double mass = 0;
        double x = 0;
        double y = 0;
        for (int row = 0; row < 28; row++) {
            for (int column = 0; column < 28; column++) {
                float v = digit[row * 28 + column];
                mass += v;
                x += v * (column + 0.5);
                y += v * (row + 0.5);
            }
        }
        return new double[] {x / mass, y / mass};
    }

    private static float max(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static double sum(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }
}
