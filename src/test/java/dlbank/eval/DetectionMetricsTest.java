package dlbank.eval;

import dlbank.eval.DetectionMetrics.Detection;
import dlbank.eval.DetectionMetrics.Truth;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** IoU, NMS and mAP against hand-computed values and against their slow references. */
class DetectionMetricsTest {

    @Test
    void iouOfHandComputedBoxes() {
        // 10x10 and 10x10 overlapping in a 5x10 strip: 50 / (100 + 100 - 50) = 1/3.
        assertThat(new Box(0, 0, 10, 10).iou(new Box(5, 0, 15, 10))).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(new Box(0, 0, 10, 10).iou(new Box(0, 0, 10, 10))).isEqualTo(1.0);
        // Touching edges share no area.
        assertThat(new Box(0, 0, 10, 10).iou(new Box(10, 0, 20, 10))).isZero();
        // One inside the other: 4 / 100.
        assertThat(new Box(0, 0, 10, 10).iou(new Box(2, 2, 4, 4))).isCloseTo(0.04, within(1e-12));
    }

    @Test
    void iouEqualsPixelCountingOnRandomBoxes() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            Box a = new Box(random.nextInt(20), random.nextInt(20), 20 + random.nextInt(20), 20 + random.nextInt(20));
            Box b = new Box(random.nextInt(30), random.nextInt(30), 30 + random.nextInt(10), 30 + random.nextInt(10));
            assertThat(a.iou(b)).isEqualTo(BoxChecks.pixelIou(a, b));
        }
    }

    @Test
    void nmsKeepsTheBestOfEachOverlappingGroupPerClass() {
        Detection best = new Detection(new Box(0, 0, 10, 10), 3, 0.9);
        Detection duplicate = new Detection(new Box(1, 0, 11, 10), 3, 0.8);      // IoU 90/110 = 0.82 with best
        Detection otherClass = new Detection(new Box(1, 0, 11, 10), 5, 0.7);     // same place, another class: kept
        Detection apart = new Detection(new Box(30, 30, 40, 40), 3, 0.6);
        Detection neighbour = new Detection(new Box(6, 0, 16, 10), 3, 0.5);     // IoU 40/160 = 0.25 with best: kept
        List<Detection> kept = DetectionMetrics.nms(List.of(neighbour, duplicate, apart, best, otherClass), 0.5);
        assertThat(kept).containsExactly(best, otherClass, apart, neighbour);
        int mask = BoxChecks.nmsBySubsets(List.of(neighbour, duplicate, apart, best, otherClass), 0.5);
        assertThat(mask).isEqualTo(0b11101);
    }

    @Test
    void averagePrecisionOfAHandRankedList() {
        // Two true 7s in one image; detections by falling score: hit, duplicate of the same digit (a false
        // positive), miss elsewhere, hit of the second. Precision 1, 1/2, 1/3, 2/4 at recall 1/2, 1/2, 1/2, 1.
        // Envelope: 1 up to recall 1/2, then 1/2: AP = 0.5·1 + 0.5·0.5 = 0.75.
        List<Truth> truths = List.of(new Truth(new Box(0, 0, 10, 10), 7), new Truth(new Box(20, 20, 30, 30), 7));
        List<Detection> detections = List.of(new Detection(new Box(0, 0, 10, 10), 7, 0.9),
                new Detection(new Box(0, 0, 10, 11), 7, 0.8), new Detection(new Box(40, 40, 50, 50), 7, 0.7),
                new Detection(new Box(20, 20, 30, 30), 7, 0.6));
        assertThat(DetectionMetrics.averagePrecision(List.of(detections), List.of(truths), 7, 0.5)).isCloseTo(0.75, within(1e-12));
        // After NMS the duplicate is gone: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1: AP = 0.5 + 0.5·(2/3).
        List<Detection> kept = DetectionMetrics.nms(detections, 0.5);
        assertThat(DetectionMetrics.averagePrecision(List.of(kept), List.of(truths), 7, 0.5))
                .isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
        // No true 3 anywhere: no AP for class 3, and the mean is over class 7 alone.
        assertThat(DetectionMetrics.averagePrecision(List.of(detections), List.of(truths), 3, 0.5)).isNaN();
        assertThat(DetectionMetrics.meanAveragePrecision(List.of(kept), List.of(truths), 10, 0.5))
                .isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
    }

    @Test
    void aWrongClassIsAFalsePositiveWhateverItsBox() {
        List<Truth> truths = List.of(new Truth(new Box(0, 0, 10, 10), 1));
        List<Detection> detections = List.of(new Detection(new Box(0, 0, 10, 10), 2, 0.9));
        assertThat(DetectionMetrics.averagePrecision(List.of(detections), List.of(truths), 1, 0.5)).isZero();
    }

    @Test
    void theHandWrittenIouAndNmsAgreeWithTheirReferences() {
        double[] iouErrors = BoxChecks.iouErrors(3_000, 11);
        assertThat(iouErrors[0]).isZero();
        assertThat(iouErrors[1]).isLessThan(1e-6);
        int[] nms = BoxChecks.nmsMismatches(200, 11, 0.5);
        assertThat(nms[0]).as("sets where NMS differs from the subset search").isZero();
        assertThat(nms[1]).as("boxes suppressed: the sets do overlap").isGreaterThan(400);
    }
}
