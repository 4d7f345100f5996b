package dlbank.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Skip-gram with negative sampling puts words that share contexts together, from text alone. */
class SkipGramTest {

    @Test
    void wordsUsedInTheSameContextsEndUpClose() {
        // Words 0-1 always appear between 4 and 5, words 2-3 between 6 and 7; 8 and 9 are filler.
        Random random = new Random(5);
        int[][] texts = new int[2_000][];
        for (int t = 0; t < texts.length; t++) {
            boolean first = random.nextBoolean();
            int middle = first ? random.nextInt(2) : 2 + random.nextInt(2);
            texts[t] = new int[] {8 + random.nextInt(2), first ? 4 : 6, middle, first ? 5 : 7, 8 + random.nextInt(2)};
        }
        SkipGram vectors = SkipGram.train(texts, 10, new SkipGram.Settings(16, 2, 3, 5, 0.05f, 1), 1, epoch -> { });
        assertThat(vectors.cosine(0, 1)).isGreaterThan(vectors.cosine(0, 2) + 0.3);
        assertThat(vectors.cosine(2, 3)).isGreaterThan(vectors.cosine(1, 3) + 0.3);
        assertThat(vectors.nearest(vectors.unitVector(0), 1, 0)[0]).isEqualTo(1);
        // Same seed, same vectors: one thread, one random stream.
        SkipGram again = SkipGram.train(texts, 10, new SkipGram.Settings(16, 2, 3, 5, 0.05f, 1), 1, epoch -> { });
        assertThat(again.unitVector(3)).containsExactly(vectors.unitVector(3));
    }
}
