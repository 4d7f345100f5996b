package dlbank.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * The grey level and opacity of every pixel, as the file stores them, for any image type ImageIO
 * reads: 8- and 16-bit grey, grey with alpha, palette, RGB and RGBA of 8 or 16 bits.
 *
 * <p>Why not {@link BufferedImage#getRGB}: a grey-scale PNG reads as TYPE_BYTE_GRAY (or USHORT_GRAY),
 * whose colour space Java takes to be linear, so getRGB converts each level to sRGB and brightens
 * every mid-tone (stored 64 reads 137, 128 reads 188). Anti-aliased or blurred strokes then come out
 * thinner dark on light and thicker light on dark. Grey files hold the sRGB-encoded levels a viewer
 * shows, like RGB files do; this class reads the stored numbers and treats all files alike.
 *
 * @param luminance per pixel, row-major, 0 = black, 1 = white (Rec. 601 weights on the stored levels)
 * @param alpha per pixel, 0 = transparent, 1 = opaque
 * @param hasAlpha whether the image has an alpha channel at all
 */
public record GreyLevels(int width, int height, float[] luminance, float[] alpha, boolean hasAlpha) {

    public static GreyLevels of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] luminance = new float[width * height];
        float[] alpha = new float[width * height];
        java.util.Arrays.fill(alpha, 1f);
        Raster raster = image.getRaster();
        int colourType = image.getColorModel().getColorSpace().getType();
        if (image.getColorModel() instanceof ComponentColorModel model
                && (colourType == ColorSpace.TYPE_GRAY || colourType == ColorSpace.TYPE_RGB)) {
            readComponents(raster, model, colourType == ColorSpace.TYPE_GRAY, luminance, alpha);
        } else if (image.getColorModel() instanceof IndexColorModel palette) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int index = raster.getSample(x, y, 0);
                    luminance[y * width + x] = weigh(palette.getRed(index), palette.getGreen(index), palette.getBlue(index)) / 255f;
                    alpha[y * width + x] = palette.getAlpha(index) / 255f;
                }
            }
        } else {
            // Packed RGB and ARGB (sRGB, so getRGB changes nothing) and anything exotic, which getRGB converts.
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    luminance[y * width + x] = weigh((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff) / 255f;
                    alpha[y * width + x] = ((argb >>> 24) & 0xff) / 255f;
                }
            }
        }
        return new GreyLevels(width, height, luminance, alpha, image.getColorModel().hasAlpha());
    }

    /** Samples straight from the raster, each scaled by its own bit depth (8 or 16), un-premultiplied. */
    private static void readComponents(Raster raster, ComponentColorModel model, boolean grey, float[] luminance,
                                       float[] alpha) {
        int colours = grey ? 1 : 3;
        boolean hasAlpha = model.hasAlpha();
        float[] max = new float[raster.getNumBands()];
        for (int band = 0; band < max.length; band++) {
            max[band] = (1L << model.getComponentSize(band)) - 1;
        }
        int width = raster.getWidth();
        float[] samples = new float[raster.getNumBands()];
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < width; x++) {
                raster.getPixel(x, y, samples);
                float opacity = hasAlpha ? samples[colours] / max[colours] : 1f;
                float divide = model.isAlphaPremultiplied() && opacity > 0 ? opacity : 1f;
                float value = grey ? samples[0] / max[0]
                        : weigh(samples[0] / max[0], samples[1] / max[1], samples[2] / max[2]);
                luminance[y * width + x] = Math.min(1f, value / divide);
                alpha[y * width + x] = opacity;
            }
        }
    }

    private static float weigh(float red, float green, float blue) {
        return 0.299f * red + 0.587f * green + 0.114f * blue;
    }
}
