package dlbank.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.eval.DetectionMetrics.Detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Slow, independent references for the hand-written box code: IoU by counting pixels, IoU computed
 * by the engine on whole arrays, and NMS found by trying every subset of the boxes.
 */
public final class BoxChecks {

    private BoxChecks() {}

    /**
     * The hand-written IoU ({@link Box#iou}) on {@code pairs} random box pairs with whole-number
     * corners: {largest |hand − pixel count|, largest |hand − engine|}.
     */
    public static double[] iouErrors(int pairs, long seed) {
        Random random = new Random(seed);
        List<Box> first = new ArrayList<>();
        List<Box> second = new ArrayList<>();
        double pixelError = 0;
        for (int i = 0; i < pairs; i++) {
            first.add(randomBox(random, 40));
            second.add(randomBox(random, 40));
            pixelError = Math.max(pixelError, Math.abs(first.get(i).iou(second.get(i)) - pixelIou(first.get(i), second.get(i))));
        }
        double engineError = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] engine = engineIou(manager, first, second);
            for (int i = 0; i < pairs; i++) {
                engineError = Math.max(engineError, Math.abs(first.get(i).iou(second.get(i)) - engine[i]));
            }
        }
        return new double[] {pixelError, engineError};
    }

    /**
     * The hand-written NMS ({@link DetectionMetrics#nms}) on {@code trials} sets of ten crowded boxes of
     * two classes with distinct random scores: {sets where it keeps other boxes than {@link #nmsBySubsets},
     * boxes it suppressed in all}.
     */
    public static int[] nmsMismatches(int trials, long seed, double iouThreshold) {
        Random random = new Random(seed);
        int mismatches = 0;
        int suppressed = 0;
        for (int t = 0; t < trials; t++) {
            List<Detection> boxes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                boxes.add(new Detection(randomBox(random, 6), random.nextInt(2), random.nextDouble()));
            }
            List<Detection> kept = DetectionMetrics.nms(boxes, iouThreshold);
            int mask = 0;
            for (Detection detection : kept) {
                mask |= 1 << boxes.indexOf(detection);
            }
            mismatches += mask == nmsBySubsets(boxes, iouThreshold) ? 0 : 1;
            suppressed += boxes.size() - kept.size();
        }
        return new int[] {mismatches, suppressed};
    }

    /** A box with whole-number corners, its top-left in [0, range), sides 4 to 23 pixels. */
    private static Box randomBox(Random random, int range) {
        int x = random.nextInt(range);
        int y = random.nextInt(range);
        return new Box(x, y, x + 4 + random.nextInt(20), y + 4 + random.nextInt(20));
    }

    /** IoU of two boxes with whole-number corners, by counting the pixels inside each, both and either. */
    public static double pixelIou(Box a, Box b) {
        int minX = (int) Math.min(a.x1(), b.x1());
        int maxX = (int) Math.max(a.x2(), b.x2());
        int minY = (int) Math.min(a.y1(), b.y1());
        int maxY = (int) Math.max(a.y2(), b.y2());
        long both = 0;
        long either = 0;
        for (int y = minY; y < maxY; y++) {
            for (int x = minX; x < maxX; x++) {
                boolean inA = x >= a.x1() && x < a.x2() && y >= a.y1() && y < a.y2();
                boolean inB = x >= b.x1() && x < b.x2() && y >= b.y1() && y < b.y2();
                both += inA && inB ? 1 : 0;
                either += inA || inB ? 1 : 0;
            }
        }
        return either == 0 ? 0 : (double) both / either;
    }

    /** IoU of each pair (a[i], b[i]) computed by the engine in float32 on (n, 4) arrays. */
    public static float[] engineIou(NDManager manager, List<Box> a, List<Box> b) {
        NDArray first = corners(manager, a);
        NDArray second = corners(manager, b);
        NDArray topLeft = first.get(":, 0:2").maximum(second.get(":, 0:2"));
        NDArray bottomRight = first.get(":, 2:4").minimum(second.get(":, 2:4"));
        NDArray sides = bottomRight.sub(topLeft).maximum(0f);
        NDArray intersection = sides.get(":, 0").mul(sides.get(":, 1"));
        NDArray areaA = first.get(":, 2").sub(first.get(":, 0")).mul(first.get(":, 3").sub(first.get(":, 1")));
        NDArray areaB = second.get(":, 2").sub(second.get(":, 0")).mul(second.get(":, 3").sub(second.get(":, 1")));
        return intersection.div(areaA.add(areaB).sub(intersection)).toFloatArray();
    }

    private static NDArray corners(NDManager manager, List<Box> boxes) {
        float[] values = new float[4 * boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i);
            values[4 * i] = (float) box.x1();
            values[4 * i + 1] = (float) box.y1();
            values[4 * i + 2] = (float) box.x2();
            values[4 * i + 3] = (float) box.y2();
        }
        return manager.create(values, new Shape(boxes.size(), 4));
    }

    /**
     * NMS by its definition rather than its algorithm: the kept set S is the subset in which a box
     * belongs exactly when no box of S with the same class and a higher score overlaps it by more
     * than the threshold (IoU by {@link #pixelIou}). Every one of the 2^n subsets is tried; returns
     * a bit mask of the kept boxes, or -1 when not exactly one subset qualifies. Distinct scores make
     * the answer unique; n must stay small (at most about 16).
     */
    public static int nmsBySubsets(List<Detection> detections, double iouThreshold) {
        int n = detections.size();
        boolean[][] suppresses = new boolean[n][n]; // suppresses[j][i]: j outranks and overlaps i
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                Detection di = detections.get(i);
                Detection dj = detections.get(j);
                suppresses[j][i] = i != j && dj.label() == di.label() && dj.score() > di.score()
                        && pixelIou(dj.box(), di.box()) > iouThreshold;
            }
        }
        int found = -1;
        int solutions = 0;
        for (int subset = 0; subset < 1 << n; subset++) {
            boolean consistent = true;
            for (int i = 0; i < n && consistent; i++) {
                boolean suppressed = false;
                for (int j = 0; j < n; j++) {
                    suppressed |= (subset >> j & 1) == 1 && suppresses[j][i];
                }
                consistent = ((subset >> i & 1) == 1) == !suppressed;
            }
            if (consistent) {
                solutions++;
                found = subset;
            }
        }
        return solutions == 1 ? found : -1;
    }
}
