package dlbank.interview;

import java.util.List;

/**
 * A follow-up question of an entry that the interview may ask, with its own key points.
 *
 * @param question the question as the entry's follow-up section words it
 * @param answer the entry's answer to it, the source of the sentences shown for missed points
 */
public record FollowUp(String question, String answer, List<KeyPoint> points) {

    public FollowUp {
        points = List.copyOf(points);
    }
}
