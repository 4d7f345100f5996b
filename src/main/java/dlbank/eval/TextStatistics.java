package dlbank.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How repetitive and how varied generated token sequences are (Li et al., 2016, distinct-n; Holtzman et
 * al., 2020, on the repetition of likelihood-maximising decoding).
 */
public final class TextStatistics {

    private TextStatistics() {}

    /**
     * The share of each sequence's n-grams that repeat an n-gram earlier in the same sequence, over
     * all sequences: 0 for text that never repeats itself, near 1 for a loop.
     */
    public static double repetition(List<int[]> sequences, int n) {
        long repeated = 0;
        long total = 0;
        for (int[] sequence : sequences) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i + n <= sequence.length; i++) {
                total++;
                if (!seen.add(key(sequence, i, n))) {
                    repeated++;
                }
            }
        }
        return total == 0 ? 0 : (double) repeated / total;
    }

    /** Distinct n-grams over all n-grams of all sequences together: how varied the outputs are as a set. */
    public static double distinct(List<int[]> sequences, int n) {
        Set<String> distinct = new HashSet<>();
        long total = 0;
        for (int[] sequence : sequences) {
            for (int i = 0; i + n <= sequence.length; i++) {
                distinct.add(key(sequence, i, n));
                total++;
            }
        }
        return total == 0 ? 0 : (double) distinct.size() / total;
    }

    private static String key(int[] sequence, int from, int n) {
        StringBuilder key = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            key.append(sequence[i]).append(',');
        }
        return key.toString();
    }
}
