package dlbank.interview;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The two sentence encoders: unit vectors, and a paraphrase nearer than an unrelated sentence. */
class SentenceEncoderTest {

    @Test
    void aParaphraseIsNearerThanAnUnrelatedSentenceInBothLanguages() {
        check("en", "The same filter weights are reused at every position of the image.",
                "One small window of numbers is applied all over the picture.", "I spent the weekend baking bread.");
        check("zh", "同一个卷积核在所有位置共享权重。", "整张图都在用同一小组数去乘。", "周末我在家烤面包。");
    }

    private static void check(String language, String sentence, String paraphrase, String unrelated) {
        float[][] vectors = SentenceEncoder.forLanguage(language).encode(List.of(sentence, paraphrase, unrelated));
        assertThat(SentenceEncoder.dot(vectors[0], vectors[0])).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(SentenceEncoder.dot(vectors[0], vectors[1])).isGreaterThan(SentenceEncoder.dot(vectors[0], vectors[2]) + 0.1f);
        // Batched and alone: nearly the same vector (int8 activations are scaled over the whole batch).
        float[] alone = SentenceEncoder.forLanguage(language).encode(List.of(unrelated))[0];
        assertThat(SentenceEncoder.dot(alone, vectors[2])).isGreaterThan(0.98f);
    }
}
