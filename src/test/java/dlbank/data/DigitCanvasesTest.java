package dlbank.data;

import dlbank.TestSupport;
import dlbank.eval.Box;
import dlbank.eval.DetectionMetrics;
import dlbank.eval.DetectionMetrics.Detection;
import dlbank.eval.DetectionMetrics.Truth;
import dlbank.model.DigitDetector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The detection canvases: exact boxes, no overlaps, the same canvases for the same seed; targets that decode back. */
class DigitCanvasesTest {

    private static final ImageDataset DIGITS = ImageDataset.fromIdx("mnist-fixture",
            TestSupport.FIXTURES.resolve("mnist/t10k-images-idx3-ubyte.gz"), TestSupport.FIXTURES.resolve("mnist/t10k-labels-idx1-ubyte.gz"));

    @Test
    void everyBoxIsTheTightBoxOfItsDigitsInk() {
        DigitCanvases canvases = DigitCanvases.make(DIGITS, 200, 64, 5);
        int objects = 0;
        for (int n = 0; n < canvases.count(); n++) {
            List<Truth> truths = canvases.truths().get(n);
            assertThat(truths).hasSizeBetween(1, 3);
            objects += truths.size();
            float[] canvas = canvases.canvas(n);
            byte[] classes = canvases.classMap(n);
            for (int i = 0; i < truths.size(); i++) {
                Box box = truths.get(i).box();
                for (int j = i + 1; j < truths.size(); j++) {
                    assertThat(box.iou(truths.get(j).box())).isZero();
                }
                // Ink on each of the box's four edges, so the box cannot shrink.
                assertThat(inkOnRow(canvas, (int) box.y1(), box)).isTrue();
                assertThat(inkOnRow(canvas, (int) box.y2() - 1, box)).isTrue();
                assertThat(inkOnColumn(canvas, (int) box.x1(), box)).isTrue();
                assertThat(inkOnColumn(canvas, (int) box.x2() - 1, box)).isTrue();
            }
            // Every ink pixel lies in some box, so no box is too small; its class is its box's digit.
            for (int p = 0; p < canvas.length; p++) {
                if (canvas[p] > 0) {
                    int x = p % 64;
                    int y = p / 64;
                    Truth owner = truths.stream().filter(t -> x >= t.box().x1() && x < t.box().x2()
                            && y >= t.box().y1() && y < t.box().y2()).findFirst().orElseThrow();
                    assertThat(classes[p]).isIn((byte) 0, (byte) (owner.label() + 1));
                    assertThat(classes[p] != 0).isEqualTo(canvas[p] >= 0.5f);
                } else {
                    assertThat(classes[p]).isZero();
                }
            }
        }
        assertThat(objects).isGreaterThan(300); // about 2 per canvas
        assertThat(DigitCanvases.make(DIGITS, 20, 64, 5).truths()).isEqualTo(canvases.truths().subList(0, 20));
    }

    private static boolean inkOnRow(float[] canvas, int y, Box box) {
        for (int x = (int) box.x1(); x < box.x2(); x++) {
            if (canvas[y * 64 + x] > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean inkOnColumn(float[] canvas, int x, Box box) {
        for (int y = (int) box.y1(); y < box.y2(); y++) {
            if (canvas[y * 64 + x] > 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void perfectOutputsMadeFromTheTargetsDecodeToTheTrueBoxesAndMapOne() {
        DigitCanvases canvases = DigitCanvases.make(DIGITS, 50, 64, 9);
        int grid = 64 / DigitDetector.STRIDE;
        float[] targets = DigitDetector.targets(canvases.truths(), 64);
        List<List<Detection>> raw = new ArrayList<>();
        int cells = grid * grid;
        for (int n = 0; n < canvases.count(); n++) {
            // What a perfect network would output: objectness logit ±10, the target distances, class logit 10.
            float[] output = new float[DigitDetector.OUTPUTS * cells];
            for (int cell = 0; cell < cells; cell++) {
                int at = (n * cells + cell) * DigitDetector.TARGETS;
                boolean object = targets[at] == 1;
                output[cell] = object ? 10 : -10;
                for (int k = 0; k < 4; k++) {
                    output[(1 + k) * cells + cell] = targets[at + 1 + k];
                }
                output[(5 + (int) targets[at + 5]) * cells + cell] = object ? 10 : 0;
            }
            raw.add(DigitDetector.decode(output, grid, 0.05));
        }
        long objects = canvases.truths().stream().mapToLong(List::size).sum();
        long rawBoxes = raw.stream().mapToLong(List::size).sum();
        assertThat(rawBoxes).as("several cells per digit").isGreaterThan(2 * objects);
        List<List<Detection>> kept = raw.stream().map(d -> DetectionMetrics.nms(d, 0.5)).toList();
        assertThat(kept.stream().mapToLong(List::size).sum()).isEqualTo(objects);
        for (int n = 0; n < canvases.count(); n++) {
            for (Detection detection : kept.get(n)) {
                assertThat(canvases.truths().get(n).stream().anyMatch(t -> t.label() == detection.label()
                        && t.box().iou(detection.box()) > 0.999)).isTrue();
            }
        }
        assertThat(DetectionMetrics.meanAveragePrecision(kept, canvases.truths(), 10, 0.5)).isEqualTo(1.0);
        assertThat(DetectionMetrics.meanAveragePrecision(raw, canvases.truths(), 10, 0.5)).isLessThan(0.9);
    }
}
