package dlbank.interview;

import java.util.List;

/**
 * A point that a strong answer makes, and the terms that show it was made.
 *
 * @param label the point in a few words, shown to the candidate
 * @param weight its share of the score relative to the entry's other points (1 unless said otherwise)
 * @param terms any one of them in the answer covers the point: words, synonyms, abbreviations, a
 *     formula written several ways; {@code "a & b"} needs both in one sentence (see {@link TermPattern})
 */
public record KeyPoint(String label, double weight, List<String> terms) {

    public KeyPoint {
        terms = List.copyOf(terms);
        if (weight <= 0) {
            throw new IllegalStateException("key point '" + label + "' has weight " + weight);
        }
    }
}
