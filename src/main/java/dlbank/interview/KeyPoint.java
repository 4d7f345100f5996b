package dlbank.interview;

import java.util.List;

/**
 * A point that a strong answer makes, the sentences that make it and the sentences that contradict it.
 *
 * @param label the point in a few words, shown to the candidate
 * @param weight its share of the score relative to the entry's other points (1 unless said otherwise)
 * @param terms words, synonyms, abbreviations or formulas whose presence in an asserting clause is
 *     strong evidence of the point; {@code "a & b"} needs both in one sentence (see {@link TermPattern})
 * @param statement the point as one sentence that asserts it (empty for a follow-up's point without one)
 * @param contrary sentences that assert the opposite: the classic mistakes
 * @param paraphrases other correct sentences, in plain words
 */
public record KeyPoint(String label, double weight, List<String> terms, String statement, List<String> contrary,
                       List<String> paraphrases) {

    public KeyPoint {
        terms = List.copyOf(terms);
        statement = statement == null ? "" : statement.strip();
        contrary = contrary == null ? List.of() : List.copyOf(contrary);
        paraphrases = paraphrases == null ? List.of() : List.copyOf(paraphrases);
        if (weight <= 0) {
            throw new IllegalStateException("key point '" + label + "' has weight " + weight);
        }
    }

    /** A point matched by its terms only (a follow-up's numbers and names). */
    public KeyPoint(String label, double weight, List<String> terms) {
        this(label, weight, terms, "", List.of(), List.of());
    }

    /** The sentences that make the point: the statement, then the paraphrases. */
    List<String> assertions() {
        return statement.isEmpty() ? paraphrases : java.util.stream.Stream.concat(java.util.stream.Stream.of(statement),
                paraphrases.stream()).toList();
    }
}
