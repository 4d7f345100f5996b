package dlbank.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import dlbank.eval.Box;
import dlbank.eval.DetectionMetrics.Detection;
import dlbank.eval.DetectionMetrics.Truth;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiny one-stage, anchor-free detector in the manner of FCOS (Tian et al., 2019, FCOS: Fully
 * Convolutional One-Stage Object Detection): a convolutional backbone turns a (1, 64, 64) canvas
 * into a 16x16 grid of cells (stride 4), and every cell predicts at once an objectness logit, the
 * distances from its centre to the four sides of a box (left, top, right, bottom, in units of
 * {@link #SCALE} pixels) and 10 class logits. There are no anchors and no second stage: each cell
 * near an object's centre is trained to predict that object, so several neighbouring cells find the
 * same digit, and non-maximum suppression keeps one of them.
 */
public final class DigitDetector {

    /** Input pixels per grid cell. */
    public static final int STRIDE = 4;
    /** Box distances are predicted in units of this many pixels. */
    public static final float SCALE = 16f;
    /** A cell is trained on an object when its centre lies inside the box and this close to the box centre (FCOS's 1.5 strides). */
    public static final float CENTRE_RADIUS = 1.5f * STRIDE;
    /** Outputs per cell: objectness, 4 distances, 10 class logits. */
    public static final int OUTPUTS = 15;
    /** Target values per cell: objectness, 4 distances, class. */
    public static final int TARGETS = 6;

    private DigitDetector() {}

    /**
     * conv 16 → pool → conv 32 → pool → conv 48 → conv 48 (dilation 2) → 1x1 conv to 15 outputs:
     * (B, 1, 64, 64) → (B, 15, 16, 16). The dilated layer widens the receptive field to 34 pixels,
     * more than a digit, without more multiply-adds.
     */
    public static SequentialBlock build() {
        return new SequentialBlock()
                .add(conv(16, 3, 1)).add(Activation::relu)                // (B, 16, 64, 64)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))                // (B, 16, 32, 32)
                .add(conv(32, 3, 1)).add(Activation::relu)                // (B, 32, 32, 32)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))                // (B, 32, 16, 16)
                .add(conv(48, 3, 1)).add(Activation::relu)                // (B, 48, 16, 16)
                .add(conv(48, 3, 2)).add(Activation::relu)                // (B, 48, 16, 16)
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(OUTPUTS).build()); // (B, 15, 16, 16)
    }

    private static Conv2d conv(int filters, int kernel, int dilation) {
        int padding = dilation * (kernel - 1) / 2;
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optPadding(new Shape(padding, padding)).optDilation(new Shape(dilation, dilation)).build();
    }

    /** The pixel coordinates of a cell's centre: column (x) or row (y) index times the stride, plus half. */
    static float centre(int index) {
        return index * STRIDE + STRIDE / 2f;
    }

    /**
     * The training targets of every cell of every canvas, (N, grid, grid, 6) row-major: objectness
     * (1 for a cell trained on an object), the distances to the object's four sides / SCALE, and its
     * class. A cell inside two objects' central regions takes the smaller object (FCOS's rule).
     */
    public static float[] targets(List<List<Truth>> truths, int size) {
        int grid = size / STRIDE;
        float[] targets = new float[truths.size() * grid * grid * TARGETS];
        for (int n = 0; n < truths.size(); n++) {
            for (int row = 0; row < grid; row++) {
                for (int column = 0; column < grid; column++) {
                    float x = centre(column);
                    float y = centre(row);
                    Truth chosen = null;
                    for (Truth truth : truths.get(n)) {
                        if (trainsOn(truth.box(), x, y) && (chosen == null || truth.box().area() < chosen.box().area())) {
                            chosen = truth;
                        }
                    }
                    if (chosen != null) {
                        int at = ((n * grid + row) * grid + column) * TARGETS;
                        Box box = chosen.box();
                        targets[at] = 1;
                        targets[at + 1] = (float) (x - box.x1()) / SCALE;
                        targets[at + 2] = (float) (y - box.y1()) / SCALE;
                        targets[at + 3] = (float) (box.x2() - x) / SCALE;
                        targets[at + 4] = (float) (box.y2() - y) / SCALE;
                        targets[at + 5] = chosen.label();
                    }
                }
            }
        }
        return targets;
    }

    /** Inside the box and within {@link #CENTRE_RADIUS} of its centre, or the cell holding the centre itself. */
    static boolean trainsOn(Box box, float x, float y) {
        double cx = (box.x1() + box.x2()) / 2;
        double cy = (box.y1() + box.y2()) / 2;
        boolean holdsCentre = Math.floor(cx / STRIDE) == Math.floor(x / STRIDE) && Math.floor(cy / STRIDE) == Math.floor(y / STRIDE);
        boolean inside = x > box.x1() && x < box.x2() && y > box.y1() && y < box.y2();
        return holdsCentre || inside && Math.abs(x - cx) <= CENTRE_RADIUS && Math.abs(y - cy) <= CENTRE_RADIUS;
    }

    /**
     * Every cell's prediction for one canvas whose score (objectness probability x the top class's
     * probability) reaches {@code minScore}, before any suppression.
     *
     * @param output the canvas's outputs (15, grid, grid), row-major
     */
    public static List<Detection> decode(float[] output, int grid, double minScore) {
        int cells = grid * grid;
        List<Detection> detections = new ArrayList<>();
        for (int row = 0; row < grid; row++) {
            for (int column = 0; column < grid; column++) {
                int cell = row * grid + column;
                double objectness = 1 / (1 + Math.exp(-output[cell]));
                int best = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 10; c++) {
                    double logit = output[(5 + c) * cells + cell];
                    if (logit > max) {
                        max = logit;
                        best = c;
                    }
                }
                double sum = 0;
                for (int c = 0; c < 10; c++) {
                    sum += Math.exp(output[(5 + c) * cells + cell] - max);
                }
                double score = objectness / sum; // objectness x softmax probability of the best class
                if (score >= minScore) {
                    float x = centre(column);
                    float y = centre(row);
                    double[] d = new double[4];
                    for (int k = 0; k < 4; k++) {
                        d[k] = Math.max(0, output[(1 + k) * cells + cell]) * SCALE;
                    }
                    detections.add(new Detection(new Box(x - d[0], y - d[1], x + d[2], y + d[3]), best, score));
                }
            }
        }
        return detections;
    }
}
