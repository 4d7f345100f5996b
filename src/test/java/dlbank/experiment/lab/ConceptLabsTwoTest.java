package dlbank.experiment.lab;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.TestSupport;
import dlbank.data.ImageDataset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The labels the labs make from images: top-heavy ink (multi-task) and rotations (self-supervised). */
class ConceptLabsTwoTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void topHeavyCountsTheInkOfEachHalf() {
        byte[] pixels = new byte[3 * 16];
        pixels[0] = (byte) 200;                 // image 0: ink in row 0 -> top-heavy
        pixels[16 + 12] = (byte) 255;           // image 1: ink in row 3 -> bottom-heavy
        pixels[32 + 1] = (byte) 100;            // image 2: equal ink in rows 0 and 3 -> not top-heavy
        pixels[32 + 13] = (byte) 100;
        ImageDataset images = new ImageDataset("test", pixels, new byte[] {0, 0, 0}, 4, 4, 10);
        assertThat(MultiTaskLab.topHeavy(images)).containsExactly(1, 0, 0);
    }

    @Test
    void everyImageComesInFourQuarterTurnsLabelledByTheTurn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Two 2x2 images: [[1, 2], [3, 4]] and [[5, 6], [7, 8]].
            var images = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 1, 2, 2));
            NDList rotated = SelfSupervisedLab.allRotations(images, manager);
            assertThat(rotated.get(0).getShape()).isEqualTo(new Shape(8, 1, 2, 2));
            assertThat(rotated.get(1).toFloatArray()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
            float[] all = rotated.get(0).toFloatArray();
            // Quarter turn (counter-clockwise) of [[1, 2], [3, 4]] is [[2, 4], [1, 3]]; half turn [[4, 3], [2, 1]].
            assertThat(java.util.Arrays.copyOfRange(all, 0, 4)).containsExactly(1, 2, 3, 4);
            assertThat(java.util.Arrays.copyOfRange(all, 8, 12)).containsExactly(2, 4, 1, 3);
            assertThat(java.util.Arrays.copyOfRange(all, 16, 20)).containsExactly(4, 3, 2, 1);
            assertThat(java.util.Arrays.copyOfRange(all, 24, 28)).containsExactly(3, 1, 4, 2);
            assertThat(java.util.Arrays.copyOfRange(all, 28, 32)).containsExactly(7, 5, 8, 6);
        }
    }
}
