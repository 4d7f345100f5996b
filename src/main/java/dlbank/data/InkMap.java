package dlbank.data;

import java.util.Arrays;

/**
 * How much ink each pixel of a picture of a digit holds, 0 (background) to 1 (a stroke's inside), for
 * pictures taken any way: either polarity, on a transparent canvas, or a photo of paper under uneven
 * light with shadows.
 *
 * <p>The background is estimated locally: on a coarse copy of the picture (shorter side about 64
 * cells, which also averages away sensor and JPEG noise), a grey-level closing (the brightest value
 * nearby, then the darkest of those) with a window wider than any stroke removes the strokes and
 * keeps what is larger: the paper, its light falling off, the edge of a shadow. Ink is then how much
 * darker than its own paper a pixel is, as a fraction of that paper's brightness (paper reflects a
 * share of the light that falls on it, and so does ink on it).
 */
final class InkMap {

    /** Cells along the coarse copy's shorter side. */
    private static final int COARSE_CELLS = 64;
    /** Half the background window, as a share of the shorter side: wider than a thick marker's stroke. */
    private static final double WINDOW = 0.2;

    /**
     * The ink map.
     *
     * @param values per pixel, row-major, in [0, 1]
     * @param source where the ink came from: "alpha", "dark on light" or "light on dark"
     */
    record Ink(float[] values, int width, int height, String source) {}

    private InkMap() {}

    static Ink of(GreyLevels grey) {
        int width = grey.width();
        int height = grey.height();
        int transparent = 0;
        for (float alpha : grey.alpha()) {
            transparent += alpha < 0.5f ? 1 : 0;
        }
        if (grey.hasAlpha() && transparent > width * height / 10) {
            // Strokes on a transparent canvas: the opacity is the ink, whatever the strokes' colour.
            return new Ink(normalised(grey.alpha().clone(), width, height), width, height, "alpha");
        }
        float darkest = 1f;
        float lightest = 0f;
        for (float level : grey.luminance()) {
            darkest = Math.min(darkest, level);
            lightest = Math.max(lightest, level);
        }
        if (lightest - darkest < 0.05f) {
            // One level all over (a blank canvas): no contrast, so no ink; against black "paper" the
            // ratio below would call every pixel ink.
            return new Ink(new float[width * height], width, height, "no contrast");
        }
        int factor = Math.max(1, Math.min(width, height) / COARSE_CELLS);
        int coarseWidth = (width + factor - 1) / factor;
        int coarseHeight = (height + factor - 1) / factor;
        int radius = Math.max(1, (int) Math.round(WINDOW * Math.min(coarseWidth, coarseHeight)));
        float[] coarse = shrink(grey.luminance(), width, height, factor);
        boolean darkOnLight = backgroundIsLight(coarse, coarseWidth, coarseHeight, radius);
        float[] level = grey.luminance().clone(); // from here on, ink is dark: light-on-dark pictures are inverted
        if (!darkOnLight) {
            invert(level);
            invert(coarse);
        }
        float[] paper = grow(minFilter(maxFilter(coarse, coarseWidth, coarseHeight, radius), coarseWidth, coarseHeight,
                radius), coarseWidth, coarseHeight, factor, width, height);
        float[] ink = new float[level.length];
        for (int i = 0; i < ink.length; i++) {
            ink[i] = Math.max(0f, 1f - level[i] / Math.max(paper[i], 1 / 255f));
        }
        return new Ink(normalised(ink, width, height), width, height, darkOnLight ? "dark on light" : "light on dark");
    }

    /**
     * The polarity: in a picture of ink on a background most pixels are background, so most pixels sit
     * nearer the background's end of the range around them. Each pixel votes by how far it sits above
     * the middle of the darkest and lightest value in its window; a shadow's edge casts as many votes
     * either way (lit above it, shaded below), so only the ink tips the balance.
     */
    static boolean backgroundIsLight(float[] coarse, int width, int height, int radius) {
        float[] max = maxFilter(coarse, width, height, radius);
        float[] min = minFilter(coarse, width, height, radius);
        double vote = 0;
        for (int i = 0; i < coarse.length; i++) {
            vote += coarse[i] - (max[i] + min[i]) / 2;
        }
        return vote >= 0;
    }

    /**
     * Scales the ink so that a stroke's inside is 1 and what is fainter than a quarter of it (paper
     * grain, JPEG ringing, a smudge) is 0, as in MNIST, whose background is exactly 0. The stroke level
     * is the median of the pixels at least half as dark as the darkest ink (the darkest ink ignores the
     * few darkest pixels, a quarter of the shorter side, so a speck of noise cannot set it).
     */
    static float[] normalised(float[] ink, int width, int height) {
        float[] sorted = ink.clone();
        Arrays.sort(sorted);
        float peak = sorted[Math.max(0, sorted.length - Math.max(4, Math.min(width, height) / 4))];
        if (peak < 0.05f) {
            Arrays.fill(ink, 0f); // no contrast: nothing is ink
            return ink;
        }
        int from = Arrays.binarySearch(sorted, peak / 2);
        from = from < 0 ? -from - 1 : from;
        float stroke = sorted[from + (sorted.length - from) / 2];
        float floor = stroke / 4;
        for (int i = 0; i < ink.length; i++) {
            ink[i] = Math.max(0f, Math.min(1f, (ink[i] - floor) / (stroke - floor)));
        }
        return ink;
    }

    /** The mean of each factor x factor block (blocks at the right and bottom edges may be smaller). */
    static float[] shrink(float[] values, int width, int height, int factor) {
        int coarseWidth = (width + factor - 1) / factor;
        int coarseHeight = (height + factor - 1) / factor;
        float[] sum = new float[coarseWidth * coarseHeight];
        int[] count = new int[sum.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int cell = (y / factor) * coarseWidth + x / factor;
                sum[cell] += values[y * width + x];
                count[cell]++;
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= count[i];
        }
        return sum;
    }

    /** Back to width x height: bilinear between cell centres, edges repeated. */
    static float[] grow(float[] coarse, int coarseWidth, int coarseHeight, int factor, int width, int height) {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            double cy = Math.max(0, Math.min(coarseHeight - 1, (y + 0.5) / factor - 0.5));
            int y0 = (int) cy;
            int y1 = Math.min(y0 + 1, coarseHeight - 1);
            double fy = cy - y0;
            for (int x = 0; x < width; x++) {
                double cx = Math.max(0, Math.min(coarseWidth - 1, (x + 0.5) / factor - 0.5));
                int x0 = (int) cx;
                int x1 = Math.min(x0 + 1, coarseWidth - 1);
                double fx = cx - x0;
                out[y * width + x] = (float) ((1 - fy) * ((1 - fx) * coarse[y0 * coarseWidth + x0] + fx * coarse[y0 * coarseWidth + x1])
                        + fy * ((1 - fx) * coarse[y1 * coarseWidth + x0] + fx * coarse[y1 * coarseWidth + x1]));
            }
        }
        return out;
    }

    /** The largest value in the (2 radius + 1)-square around each pixel (grey dilation), clipped at the edges. */
    static float[] maxFilter(float[] values, int width, int height, int radius) {
        return squareFilter(values, width, height, radius, true);
    }

    /** The smallest value in the (2 radius + 1)-square around each pixel (grey erosion). */
    static float[] minFilter(float[] values, int width, int height, int radius) {
        return squareFilter(values, width, height, radius, false);
    }

    // Separable: a square's extreme is the extreme over rows of the extremes over columns.
    private static float[] squareFilter(float[] values, int width, int height, int radius, boolean max) {
        float[] rows = new float[values.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float best = values[y * width + x];
                for (int dx = Math.max(0, x - radius); dx <= Math.min(width - 1, x + radius); dx++) {
                    best = max ? Math.max(best, values[y * width + dx]) : Math.min(best, values[y * width + dx]);
                }
                rows[y * width + x] = best;
            }
        }
        float[] out = new float[values.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float best = rows[y * width + x];
                for (int dy = Math.max(0, y - radius); dy <= Math.min(height - 1, y + radius); dy++) {
                    best = max ? Math.max(best, rows[dy * width + x]) : Math.min(best, rows[dy * width + x]);
                }
                out[y * width + x] = best;
            }
        }
        return out;
    }

    private static void invert(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = 1f - values[i];
        }
    }
}
