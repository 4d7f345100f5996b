package dlbank.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Weight tensors read as images: a first-layer filter or a hidden unit's weights over the 28x28
 * input. How smooth such a map is tells a learned pattern (strokes, edges: neighbouring weights
 * alike) from noise (neighbours unrelated).
 */
public final class WeightMaps {

    private WeightMaps() {}

    /**
     * The Pearson correlation between every weight and its right and lower neighbour, pooled over
     * {@code count} maps of height x width stored one after another: about 0 for independent random
     * weights, towards 1 for smooth maps.
     */
    public static double neighbourCorrelation(float[] maps, int count, int height, int width) {
        double sumA = 0;
        double sumB = 0;
        double sumAA = 0;
        double sumBB = 0;
        double sumAB = 0;
        long pairs = 0;
        for (int m = 0; m < count; m++) {
            int offset = m * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double a = maps[offset + y * width + x];
                    for (int[] step : new int[][] {{0, 1}, {1, 0}}) {
                        int ny = y + step[0];
                        int nx = x + step[1];
                        if (ny < height && nx < width) {
                            double b = maps[offset + ny * width + nx];
                            sumA += a;
                            sumB += b;
                            sumAA += a * a;
                            sumBB += b * b;
                            sumAB += a * b;
                            pairs++;
                        }
                    }
                }
            }
        }
        double covariance = sumAB / pairs - (sumA / pairs) * (sumB / pairs);
        double varianceA = sumAA / pairs - (sumA / pairs) * (sumA / pairs);
        double varianceB = sumBB / pairs - (sumB / pairs) * (sumB / pairs);
        return varianceA <= 0 || varianceB <= 0 ? 0 : covariance / Math.sqrt(varianceA * varianceB);
    }

    /** a − b, entry by entry: what training changed. */
    public static float[] difference(float[] a, float[] b) {
        float[] difference = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            difference[i] = a[i] - b[i];
        }
        return difference;
    }

    /**
     * The first {@code count} maps as grey images for a picture: each scaled on its own so that 0 is
     * mid-grey and its largest |w| is black or white.
     */
    public static List<float[]> asImages(float[] maps, int count, int size) {
        List<float[]> images = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            float max = 1e-12f;
            for (int i = 0; i < size; i++) {
                max = Math.max(max, Math.abs(maps[m * size + i]));
            }
            float[] image = new float[size];
            for (int i = 0; i < size; i++) {
                image[i] = 0.5f + 0.5f * maps[m * size + i] / max;
            }
            images.add(image);
        }
        return images;
    }
}
