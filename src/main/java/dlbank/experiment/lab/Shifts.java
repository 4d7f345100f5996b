package dlbank.experiment.lab;

/** Square images or feature maps moved by whole pixels, and how far two stacks of maps are from being shifts of each other. */
final class Shifts {

    private Shifts() {}

    /**
     * Each of the {@code count} images (side x side, row-major, one after the other) moved down by
     * {@code dy} and right by {@code dx} pixels (negative: up, left); uncovered pixels become 0.
     */
    static float[] shift(float[] images, int count, int side, int dy, int dx) {
        float[] moved = new float[images.length];
        int size = side * side;
        for (int n = 0; n < count; n++) {
            for (int y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
                for (int x = Math.max(0, dx); x < Math.min(side, side + dx); x++) {
                    moved[n * size + y * side + x] = images[n * size + (y - dy) * side + x - dx];
                }
            }
        }
        return moved;
    }

    /**
     * The largest |b[y][x] − a[y − s][x − s]| over every map, for y and x from s + margin up to
     * side − margin, divided by the largest |a|: 0 when b is a shifted by s in both directions.
     */
    static double mismatch(float[] a, float[] b, int maps, int side, int s, int margin) {
        double largest = 1e-30;
        double worst = 0;
        int size = side * side;
        for (int m = 0; m < maps; m++) {
            for (int y = s + margin; y < side - margin; y++) {
                for (int x = s + margin; x < side - margin; x++) {
                    float expected = a[m * size + (y - s) * side + x - s];
                    largest = Math.max(largest, Math.abs(expected));
                    worst = Math.max(worst, Math.abs(b[m * size + y * side + x] - expected));
                }
            }
        }
        return worst / largest;
    }
}
