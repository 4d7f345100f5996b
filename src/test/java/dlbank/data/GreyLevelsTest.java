package dlbank.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every image type ImageIO reads gives the grey levels and opacities its file stores. */
class GreyLevelsTest {

    @TempDir
    Path dir;

    /** Written to a file and read back, as predict reads it. */
    private BufferedImage roundTrip(BufferedImage image, String format) throws IOException {
        Path file = dir.resolve("image." + format);
        assertThat(ImageIO.write(image, format, file.toFile())).as("a writer for " + format).isTrue();
        return DigitImage.read(file);
    }

    @Test
    void eightBitGreyIsReadAsStoredNotBrightenedLikeGetRgb() throws IOException {
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        int[] stored = {0, 64, 128, 255};
        for (int x = 0; x < stored.length; x++) {
            image.getRaster().setSample(x, 0, 0, stored[x]);
        }
        BufferedImage read = roundTrip(image, "png");
        assertThat(read.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        // The suspect, measured: getRGB takes the grey as linear light and converts it to sRGB.
        assertThat(read.getRGB(1, 0) & 0xff).isEqualTo(137);
        assertThat(read.getRGB(2, 0) & 0xff).isEqualTo(188);
        GreyLevels grey = GreyLevels.of(read);
        for (int x = 0; x < stored.length; x++) {
            assertThat(grey.luminance()[x]).isCloseTo(stored[x] / 255f, within(1e-6f));
        }
        assertThat(grey.alpha()).containsOnly(1f);
        assertThat(grey.hasAlpha()).isFalse();
    }

    @Test
    void sixteenBitGreyIsReadAsStored() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(0, 0, 0, 0);
        image.getRaster().setSample(1, 0, 0, 0x8000);
        image.getRaster().setSample(2, 0, 0, 0xffff);
        BufferedImage read = roundTrip(image, "png");
        assertThat(read.getType()).isEqualTo(BufferedImage.TYPE_USHORT_GRAY);
        assertThat(read.getRGB(1, 0) & 0xff).as("getRGB brightens 16-bit grey too").isEqualTo(188);
        assertThat(GreyLevels.of(read).luminance()).containsExactly(new float[] {0f, 0x8000 / 65535f, 1f}, within(1e-6f));
    }

    @Test
    void greyWithAlphaIsReadAsStored() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {128, 255});
        raster.setPixel(1, 0, new int[] {64, 0});
        GreyLevels grey = GreyLevels.of(roundTrip(new BufferedImage(model, raster, false, null), "png"));
        assertThat(grey.luminance()).containsExactly(new float[] {128 / 255f, 64 / 255f}, within(1e-6f));
        assertThat(grey.alpha()).containsExactly(1f, 0f);
        assertThat(grey.hasAlpha()).isTrue();
    }

    @Test
    void paletteEntriesGiveTheirColoursLevelAndOpacity() throws IOException {
        byte[] red = {(byte) 128, (byte) 255, 0};
        byte[] green = {(byte) 128, 0, 0};
        byte[] blue = {(byte) 128, 0, 0};
        byte[] alpha = {(byte) 255, (byte) 255, 0};
        IndexColorModel palette = new IndexColorModel(8, 3, red, green, blue, alpha);
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int x = 0; x < 3; x++) {
            image.getRaster().setSample(x, 0, 0, x);
        }
        BufferedImage read = roundTrip(image, "png");
        assertThat(read.getColorModel()).isInstanceOf(IndexColorModel.class);
        GreyLevels grey = GreyLevels.of(read);
        assertThat(grey.luminance()[0]).isCloseTo(128 / 255f, within(1e-6f));
        assertThat(grey.luminance()[1]).isCloseTo(0.299f, within(1e-6f)); // pure red, Rec. 601 weight
        assertThat(grey.alpha()).containsExactly(1f, 1f, 0f);
    }

    @Test
    void rgbIsReadAsStoredWhetherPackedOrInBytes() throws IOException {
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, (200 << 16) | (100 << 8) | 50);
        float expected = (0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255f;
        assertThat(GreyLevels.of(image).luminance()[0]).isCloseTo(expected, within(1e-6f));
        BufferedImage read = roundTrip(image, "png");
        assertThat(read.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR); // how ImageIO reads an RGB PNG
        assertThat(GreyLevels.of(read).luminance()[0]).isCloseTo(expected, within(1e-6f));
    }

    @Test
    void rgbaKeepsColourAndOpacityApart() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, (128 << 24) | (100 << 16) | (100 << 8) | 100);
        image.setRGB(1, 0, 0x00ffffff);
        GreyLevels grey = GreyLevels.of(roundTrip(image, "png"));
        assertThat(grey.luminance()[0]).isCloseTo(100 / 255f, within(1e-5f));
        assertThat(grey.alpha()).containsExactly(new float[] {128 / 255f, 0f}, within(1e-6f));
        assertThat(grey.hasAlpha()).isTrue();
    }

    @Test
    void sixteenBitRgbIsReadAsStored() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {0x8000, 0x8000, 0x8000});
        GreyLevels grey = GreyLevels.of(roundTrip(new BufferedImage(model, raster, false, null), "png"));
        assertThat(grey.luminance()[0]).isCloseTo(0x8000 / 65535f, within(1e-6f));
    }

    @Test
    void aGreyPngOfADigitReadsTheSameInEitherTypeOfFile() throws IOException {
        // The same mid-grey strokes stored as grey and as RGB give the same MNIST input.
        BufferedImage grey = new BufferedImage(60, 60, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(60, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 60; x++) {
                int level = Math.abs(x - 30) < 4 && y > 10 && y < 50 ? 40 : Math.abs(x - 30) < 7 && y > 8 && y < 52 ? 128 : 230;
                grey.getRaster().setSample(x, y, 0, level);
                rgb.setRGB(x, y, (level << 16) | (level << 8) | level);
            }
        }
        float[] fromGrey = DigitImage.toMnist(roundTrip(grey, "png"), "grey");
        float[] fromRgb = DigitImage.toMnist(rgb, "rgb");
        assertThat(fromGrey).containsExactly(fromRgb, within(1e-5f));
    }
}
