package dlbank.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.eval.Box;
import dlbank.eval.DetectionMetrics.Truth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Square canvases with one to three MNIST digits pasted at seeded random places, for detection and
 * segmentation. Every box is exact: the tightest box around the pasted digit's non-zero pixels. The
 * digits' boxes never overlap (with a gap of one pixel), so each pixel belongs to at most one digit.
 * Each pixel's class for segmentation is 0 for background and 1 + the digit where that digit's ink is
 * at least half bright.
 *
 * @param pixels row-major grey values in [0, 1], canvas after canvas
 * @param classes each pixel's class: 0 background, 1-10 the digits 0-9
 * @param truths each canvas's digits: box and digit
 */
public record DigitCanvases(int size, float[] pixels, byte[] classes, List<List<Truth>> truths) {

    /** Tries per digit to find a place that overlaps no earlier digit; a digit that finds none is left out. */
    private static final int PLACEMENT_TRIES = 50;

    public int count() {
        return truths.size();
    }

    /**
     * @param digits the images to paste from (28x28), taken in a seeded random order
     */
    public static DigitCanvases make(ImageDataset digits, int count, int size, long seed) {
        Random random = new Random(seed);
        int side = digits.width();
        float[] pixels = new float[count * size * size];
        byte[] classes = new byte[count * size * size];
        List<List<Truth>> truths = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int wanted = 1 + random.nextInt(3);
            List<Truth> placed = new ArrayList<>();
            for (int d = 0; d < wanted; d++) {
                int index = random.nextInt(digits.size());
                int[] ink = inkBounds(digits, index);      // {top, left, bottom, right}, inclusive
                for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
                    int top = random.nextInt(size - side + 1);
                    int left = random.nextInt(size - side + 1);
                    Box box = new Box(left + ink[1], top + ink[0], left + ink[3] + 1, top + ink[2] + 1);
                    if (placed.stream().noneMatch(other -> touches(box, other.box()))) {
                        paste(digits, index, pixels, classes, c * size * size, size, top, left);
                        placed.add(new Truth(box, digits.label(index)));
                        break;
                    }
                }
            }
            truths.add(List.copyOf(placed));
        }
        return new DigitCanvases(size, pixels, classes, List.copyOf(truths));
    }

    /** The canvases as (N, 1, size, size). */
    public NDArray images(NDManager manager) {
        return manager.create(pixels, new Shape(count(), 1, size, size));
    }

    /** The pixel classes as (N, size, size) floats. */
    public NDArray classMaps(NDManager manager) {
        float[] values = new float[classes.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = classes[i];
        }
        return manager.create(values, new Shape(count(), size, size));
    }

    /** One canvas's pixels. */
    public float[] canvas(int index) {
        return java.util.Arrays.copyOfRange(pixels, index * size * size, (index + 1) * size * size);
    }

    /** One canvas's pixel classes. */
    public byte[] classMap(int index) {
        return java.util.Arrays.copyOfRange(classes, index * size * size, (index + 1) * size * size);
    }

    /** {top, left, bottom, right} of the image's non-zero pixels, inclusive. */
    static int[] inkBounds(ImageDataset digits, int index) {
        int side = digits.width();
        int offset = index * digits.pixelsPerImage();
        int top = side;
        int left = side;
        int bottom = -1;
        int right = -1;
        for (int y = 0; y < digits.height(); y++) {
            for (int x = 0; x < side; x++) {
                if (digits.pixels()[offset + y * side + x] != 0) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        return new int[] {top, left, bottom, right};
    }

    /** True when the boxes overlap or lie less than one pixel apart. */
    private static boolean touches(Box a, Box b) {
        return a.x1() <= b.x2() && b.x1() <= a.x2() && a.y1() <= b.y2() && b.y1() <= a.y2();
    }

    private static void paste(ImageDataset digits, int index, float[] pixels, byte[] classes, int canvasOffset, int size,
                              int top, int left) {
        int side = digits.width();
        int offset = index * digits.pixelsPerImage();
        for (int y = 0; y < digits.height(); y++) {
            for (int x = 0; x < side; x++) {
                float value = (digits.pixels()[offset + y * side + x] & 0xff) / 255f;
                int at = canvasOffset + (top + y) * size + left + x;
                // The digits' boxes do not overlap, so the larger value only keeps another digit's zero border.
                pixels[at] = Math.max(pixels[at], value);
                if (value >= 0.5f) {
                    classes[at] = (byte) (1 + digits.label(index));
                }
            }
        }
    }
}
