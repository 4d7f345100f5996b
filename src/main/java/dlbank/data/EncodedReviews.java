package dlbank.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.data.ImdbDataset.Review;

import java.util.Arrays;
import java.util.List;

/**
 * Reviews as the models read them: one row of exactly {@code length} token ids per review (real
 * tokens first, padding 0 after them), a label 1 (positive) or 0, and how many tokens the review had
 * before it was cut to the length.
 */
public record EncodedReviews(int[] ids, float[] labels, int[] tokenCounts, int length) {

    public int size() {
        return labels.length;
    }

    /** Tokenises each review and encodes it with the vocabulary. */
    public static EncodedReviews encode(List<Review> reviews, Vocabulary vocabulary, int length,
                                        Vocabulary.Truncation truncation) {
        int[] ids = new int[reviews.size() * length];
        float[] labels = new float[reviews.size()];
        int[] counts = new int[reviews.size()];
        for (int i = 0; i < reviews.size(); i++) {
            List<String> tokens = TextTokenizer.tokenize(reviews.get(i).text());
            System.arraycopy(vocabulary.encode(tokens, length, truncation), 0, ids, i * length, length);
            labels[i] = reviews.get(i).positive() ? 1 : 0;
            counts[i] = tokens.size();
        }
        return new EncodedReviews(ids, labels, counts, length);
    }

    /** Reviews {@code from} (inclusive) to {@code to} (exclusive). */
    public EncodedReviews range(int from, int to) {
        return new EncodedReviews(Arrays.copyOfRange(ids, from * length, to * length),
                Arrays.copyOfRange(labels, from, to), Arrays.copyOfRange(tokenCounts, from, to), length);
    }

    /** The ids as one (N, length) int32 array. */
    public NDArray ids(NDManager manager) {
        return manager.create(ids, new Shape(size(), length));
    }

    /** The labels as one (N) float array, the form DJL's binary cross-entropy takes. */
    public NDArray labels(NDManager manager) {
        return manager.create(labels);
    }

    /**
     * What the pipeline produced, for the claim that checks it.
     *
     * @param malformedRows rows whose real tokens are not exactly the first min(tokens, length)
     *                      positions followed only by padding
     * @param idsOutOfRange ids outside 0 .. vocabulary size - 1
     */
    public record Stats(long rows, long malformedRows, long idsOutOfRange, long realTokens, long unknownTokens,
                        long truncatedRows) {}

    /** Checks every row against the token count it came from. */
    public Stats stats(int vocabularySize) {
        long malformed = 0;
        long outOfRange = 0;
        long real = 0;
        long unknown = 0;
        long truncated = 0;
        for (int i = 0; i < size(); i++) {
            int expectedReal = Math.min(tokenCounts[i], length);
            truncated += tokenCounts[i] > length ? 1 : 0;
            boolean wellFormed = true;
            for (int t = 0; t < length; t++) {
                int id = ids[i * length + t];
                if (id < 0 || id >= vocabularySize) {
                    outOfRange++;
                }
                boolean shouldBeReal = t < expectedReal;
                wellFormed &= shouldBeReal == (id != Vocabulary.PADDING);
                if (id != Vocabulary.PADDING) {
                    real++;
                    unknown += id == Vocabulary.UNKNOWN ? 1 : 0;
                }
            }
            malformed += wellFormed ? 0 : 1;
        }
        return new Stats(size(), malformed, outOfRange, real, unknown, truncated);
    }
}
