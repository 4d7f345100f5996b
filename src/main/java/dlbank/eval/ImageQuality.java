package dlbank.eval;

/**
 * PSNR (peak signal-to-noise ratio) and SSIM (structural similarity) of grey images with values in
 * [0, 1], so the peak is 1.
 *
 * <p>SSIM follows Wang, Bovik, Sheikh and Simoncelli, "Image quality assessment: from error
 * visibility to structural similarity" (IEEE TIP, 2004), as in their reference code ssim_index.m:
 * local means, variances and covariance under an 11x11 Gaussian window (σ = 1.5, normalised to sum
 * 1), K1 = 0.01, K2 = 0.03, L = 1, and the mean of the SSIM map over the valid window positions
 * only, with no padding: a 28x28 MNIST image has 18x18 of them. scikit-image's structural_similarity
 * follows the same recipe with gaussian_weights=True, sigma=1.5, use_sample_covariance=False and
 * data_range=1 (its defaults differ); implementations that average the map over padded borders give
 * slightly different numbers.
 */
public final class ImageQuality {

    /** Side of the Gaussian window. */
    public static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01; // (K1·L)^2
    private static final double C2 = 0.03 * 0.03; // (K2·L)^2
    /** The window is separable: the 2-D Gaussian is the outer product of this 1-D one. */
    private static final double[] KERNEL = gaussianKernel();

    private ImageQuality() {}

    /**
     * 10·log10(1 / MSE) in decibels. Identical images have MSE 0 and an infinite PSNR:
     * Double.POSITIVE_INFINITY is returned, not an error.
     */
    public static double psnr(float[] reference, float[] test) {
        requireSameLength(reference, test);
        if (reference.length == 0) {
            throw new IllegalArgumentException("no pixels");
        }
        return psnr(reference, test, 0, reference.length);
    }

    /**
     * The mean of the per-image PSNRs of N images stored one after another, each pixelsPerImage long.
     * This is not the PSNR of the pooled MSE (the log of a mean is not the mean of logs); one identical
     * pair makes the mean infinite.
     */
    public static double meanPsnr(float[] references, float[] tests, int pixelsPerImage) {
        int images = countImages(references, tests, pixelsPerImage);
        double sum = 0;
        for (int image = 0; image < images; image++) {
            sum += psnr(references, tests, image * pixelsPerImage, pixelsPerImage);
        }
        return sum / images;
    }

    /** SSIM of two height x width images, row-major: 1 for identical images, lower as they differ. */
    public static double ssim(float[] a, float[] b, int height, int width) {
        requireSameLength(a, b);
        if (a.length != height * width) {
            throw new IllegalArgumentException(a.length + " pixels for a " + height + "x" + width + " image");
        }
        return ssim(a, b, 0, height, width);
    }

    /** The mean SSIM of N height x width images stored one after another. */
    public static double meanSsim(float[] a, float[] b, int height, int width) {
        int images = countImages(a, b, height * width);
        double sum = 0;
        for (int image = 0; image < images; image++) {
            sum += ssim(a, b, image * height * width, height, width);
        }
        return sum / images;
    }

    private static double psnr(float[] reference, float[] test, int offset, int length) {
        double squaredError = 0;
        for (int i = offset; i < offset + length; i++) {
            double difference = (double) reference[i] - test[i];
            squaredError += difference * difference;
        }
        double meanSquaredError = squaredError / length;
        return meanSquaredError == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / meanSquaredError);
    }

    private static double ssim(float[] a, float[] b, int offset, int height, int width) {
        if (height < WINDOW || width < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + "x" + WINDOW
                    + " pixels, got " + height + "x" + width);
        }
        double[] x = new double[height * width];
        double[] y = new double[height * width];
        double[] xx = new double[height * width];
        double[] yy = new double[height * width];
        double[] xy = new double[height * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = a[offset + i];
            y[i] = b[offset + i];
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        // Each map: (height - 10, width - 10), the valid positions of the window.
        double[] meanX = filterValid(x, height, width);
        double[] meanY = filterValid(y, height, width);
        double[] meanXX = filterValid(xx, height, width);
        double[] meanYY = filterValid(yy, height, width);
        double[] meanXY = filterValid(xy, height, width);
        double sum = 0;
        for (int i = 0; i < meanX.length; i++) {
            double varianceX = meanXX[i] - meanX[i] * meanX[i];
            double varianceY = meanYY[i] - meanY[i] * meanY[i];
            double covariance = meanXY[i] - meanX[i] * meanY[i];
            sum += (2 * meanX[i] * meanY[i] + C1) * (2 * covariance + C2)
                    / ((meanX[i] * meanX[i] + meanY[i] * meanY[i] + C1) * (varianceX + varianceY + C2));
        }
        return sum / meanX.length;
    }

    /** Gaussian-weighted sums at each valid window position: rows first, then columns. */
    private static double[] filterValid(double[] image, int height, int width) {
        int outHeight = height - WINDOW + 1;
        int outWidth = width - WINDOW + 1;
        double[] rows = new double[height * outWidth]; // (height, outWidth)
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < outWidth; c++) {
                double sum = 0;
                for (int k = 0; k < WINDOW; k++) {
                    sum += KERNEL[k] * image[r * width + c + k];
                }
                rows[r * outWidth + c] = sum;
            }
        }
        double[] out = new double[outHeight * outWidth]; // (outHeight, outWidth)
        for (int r = 0; r < outHeight; r++) {
            for (int c = 0; c < outWidth; c++) {
                double sum = 0;
                for (int k = 0; k < WINDOW; k++) {
                    sum += KERNEL[k] * rows[(r + k) * outWidth + c];
                }
                out[r * outWidth + c] = sum;
            }
        }
        return out;
    }

    private static double[] gaussianKernel() {
        double[] kernel = new double[WINDOW];
        double sum = 0;
        for (int k = 0; k < WINDOW; k++) {
            double distance = k - (WINDOW - 1) / 2.0;
            kernel[k] = Math.exp(-distance * distance / (2 * SIGMA * SIGMA));
            sum += kernel[k];
        }
        for (int k = 0; k < WINDOW; k++) {
            kernel[k] /= sum;
        }
        return kernel;
    }

    private static int countImages(float[] a, float[] b, int pixelsPerImage) {
        requireSameLength(a, b);
        if (pixelsPerImage <= 0 || a.length == 0 || a.length % pixelsPerImage != 0) {
            throw new IllegalArgumentException(a.length + " values are not a whole number of images of "
                    + pixelsPerImage + " pixels");
        }
        return a.length / pixelsPerImage;
    }

    private static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("images differ in size: " + a.length + " and " + b.length + " values");
        }
    }
}
