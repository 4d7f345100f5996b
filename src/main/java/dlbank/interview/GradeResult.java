package dlbank.interview;

import java.util.List;

/**
 * How one answer did: the score, the key points it covered (with the words that showed each), the
 * points it missed (with the entry's own sentence for each) and the red flags it raised.
 *
 * @param language the language of the labels, sentences and corrections (the output's)
 * @param answerLanguage the language the answer is written in, and so of the key points it was graded against
 * @param score 0 to 100: the covered share of the key points' weight, less
 *     {@link Grader#RED_FLAG_PENALTY} per red flag raised, never below 0
 */
public record GradeResult(String entryId, String language, String answerLanguage, int score, List<Covered> covered, List<Missed> missed,
                          List<RaisedFlag> redFlags) {

    /** A key point the answer made, and the answer's words that showed it. */
    public record Covered(String label, double weight, String words) {}

    /** A key point the answer did not make, and how the entry puts it. */
    public record Missed(String label, double weight, String sentence) {}

    /** A wrong statement the answer made, the words that made it, and the correction. */
    public record RaisedFlag(String wrong, String correction, String words) {}

    public GradeResult {
        covered = List.copyOf(covered);
        missed = List.copyOf(missed);
        redFlags = List.copyOf(redFlags);
    }
}
