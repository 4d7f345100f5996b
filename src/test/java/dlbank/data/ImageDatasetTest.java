package dlbank.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageDatasetTest {

    /** Two 3x3 images whose pixels are numbered 0..8 and 10..18 row by row. */
    private static ImageDataset numbered() {
        byte[] pixels = new byte[18];
        for (int i = 0; i < 9; i++) {
            pixels[i] = (byte) i;
            pixels[9 + i] = (byte) (10 + i);
        }
        return new ImageDataset("numbered", pixels, new byte[] {3, 7}, 3, 3, 10);
    }

    @Test
    void aQuarterTurnClockwiseMovesTheLeftColumnToTheTopRow() {
        ImageDataset turned = numbered().rotatedQuarterTurn();
        // 0 1 2        6 3 0
        // 3 4 5   ->   7 4 1
        // 6 7 8        8 5 2
        assertThat(turned.pixels()).startsWith(6, 3, 0, 7, 4, 1, 8, 5, 2);
        assertThat(java.util.Arrays.copyOfRange(turned.pixels(), 9, 18)).containsExactly(16, 13, 10, 17, 14, 11, 18, 15, 12);
        assertThat(turned.labels()).containsExactly(3, 7);
    }

    @Test
    void fourQuarterTurnsGiveTheImagesBackAndTheOriginalIsUntouched() {
        ImageDataset original = numbered();
        byte[] before = original.pixels().clone();
        ImageDataset back = original.rotatedQuarterTurn().rotatedQuarterTurn().rotatedQuarterTurn().rotatedQuarterTurn();
        assertThat(back.pixels()).containsExactly(before);
        assertThat(original.pixels()).containsExactly(before);
    }

    @Test
    void onlySquareImagesTurn() {
        ImageDataset wide = new ImageDataset("wide", new byte[6], new byte[] {1}, 2, 3, 10);
        assertThatThrownBy(wide::rotatedQuarterTurn).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2x3");
    }
}
