package dlbank.interview;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grader's labelled development set ({@code src/test/resources/grader/dev-set.<lang>.txt}): answers
 * written as candidates write them, each with the band an interviewer would give it.
 */
final class DevSet {

    /** The kinds of answer, in the order the report lists them. */
    static final List<String> KINDS = List.of("good", "paraphrase", "weak", "wrong", "negated", "salad", "offtopic",
            "partly", "rambling", "other");

    /** Kinds whose answers are right as far as they go: a red flag on one of them is a false alarm. */
    static final List<String> RIGHT_KINDS = List.of("good", "paraphrase", "partly", "rambling", "other");

    /**
     * One labelled answer.
     *
     * @param entryId the question's bank entry
     * @param language the question's language (the answer may be in the other one: kind "other")
     * @param band high (score >= 70), mid (40-69), low (< 40) or flag (at least one red flag)
     */
    record Item(String entryId, String language, String kind, String band, String answer) {

        /** Whether a grade lands in this item's band (right kinds must also raise no red flag). */
        boolean inBand(GradeResult result) {
            boolean flagged = !result.redFlags().isEmpty();
            boolean scoreInBand = switch (band) {
                case "high" -> result.score() >= 70;
                case "mid" -> result.score() >= 40 && result.score() < 70;
                case "low" -> result.score() < 40;
                case "flag" -> flagged;
                default -> throw new IllegalStateException("unknown band " + band);
            };
            return scoreInBand && !(RIGHT_KINDS.contains(kind) && flagged);
        }
    }

    private DevSet() {}

    static List<Item> load() {
        List<Item> items = new ArrayList<>();
        for (String language : List.of("en", "zh")) {
            items.addAll(parse(read("grader/dev-set." + language + ".txt")));
        }
        return items;
    }

    static List<Item> parse(String text) {
        List<Item> items = new ArrayList<>();
        String[] header = null;
        StringBuilder answer = new StringBuilder();
        for (String line : (text + "\n### end").split("\n")) {
            if (line.startsWith("### ")) {
                if (header != null) {
                    items.add(new Item(header[0], header[1], header[2], header[3], answer.toString().strip()));
                }
                header = line.substring(4).strip().split("\\s+");
                answer.setLength(0);
            } else if (header != null && !line.startsWith("#")) {
                answer.append(line).append('\n');
            }
        }
        return items;
    }

    /** In-band count and total per kind, in {@link #KINDS} order. */
    static Map<String, int[]> tally(List<Item> items, List<GradeResult> results) {
        Map<String, int[]> tally = new LinkedHashMap<>();
        KINDS.forEach(kind -> tally.put(kind, new int[2]));
        for (int i = 0; i < items.size(); i++) {
            int[] counts = tally.get(items.get(i).kind());
            counts[0] += items.get(i).inBand(results.get(i)) ? 1 : 0;
            counts[1]++;
        }
        return tally;
    }

    private static String read(String resource) {
        try (InputStream in = DevSet.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
