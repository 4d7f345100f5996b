package dlbank.interview;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grader on its labelled development set (240 answers, {@code src/test/resources/grader/}): the
 * share of answers in their expected band, per kind. Each kind must stay at or above the count it
 * reached when the thresholds were calibrated ({@link #CALIBRATED}); the grader before this one (words
 * only) reached 135 of 240. Set {@code -Ddlbank.devset.verbose=true} to see every answer's grade.
 */
class GraderDevSetTest {

    /**
     * In-band answers per kind (of 24 each) as measured after calibration: 221 of 240 (paraphrase 14 since the red-flag and verb fixes of
     * the grader branch's last session; 13 before). The points files'
     * paraphrases share no wording with these answers (some that did were rewritten), so the
     * paraphrase figure is what a reworded answer gets, not a memorised one.
     */
    private static final Map<String, Integer> CALIBRATED = Map.of("good", 24, "paraphrase", 14, "weak", 24, "wrong", 23,
            "negated", 24, "salad", 24, "offtopic", 24, "partly", 16, "rambling", 24, "other", 24);
    /** Paraphrased answers (of 24) that score 40 or more: what the held-out acceptance counts. */
    private static final int PARAPHRASES_AT_40 = 24;

    @Test
    void eachKindOfAnswerStaysInItsBand() {
        Bank bank = Bank.load();
        List<DevSet.Item> items = DevSet.load();
        List<GradeResult> results = new ArrayList<>();
        for (DevSet.Item item : items) {
            BankEntry entry = bank.find(item.entryId(), item.language()).orElseThrow();
            results.add(new Grader(item.language()).grade(entry, item.answer()));
        }
        Map<String, int[]> tally = DevSet.tally(items, results);
        StringBuilder report = new StringBuilder("grader development set, in band per kind:");
        tally.forEach((kind, counts) -> report.append(String.format(" %s %d/%d", kind, counts[0], counts[1])));
        report.append(String.format("; all %d/%d", tally.values().stream().mapToInt(counts -> counts[0]).sum(), items.size()));
        System.out.println(report);
        if (Boolean.getBoolean("dlbank.devset.verbose")) {
            for (int i = 0; i < items.size(); i++) {
                DevSet.Item item = items.get(i);
                GradeResult result = results.get(i);
                System.out.printf("%s %s %s %s %s score %d flags %d covered %s%s%n", item.inBand(result) ? "ok  " : "MISS",
                        item.entryId(), item.language(), item.kind(), item.band(), result.score(), result.redFlags().size(),
                        result.covered().stream().map(GradeResult.Covered::label).toList(),
                        result.redFlags().stream().map(flag -> " flag [" + flag.wrong() + "] <- [" + flag.words() + "]").toList());
            }
        }
        assertThat(items).hasSize(240);
        tally.forEach((kind, counts) -> assertThat(counts[0]).as(kind + " in band").isGreaterThanOrEqualTo(CALIBRATED.get(kind)));
        // What the held-out acceptance asks of its own answers, checked on ours too.
        assertThat(mean(items, results, "negated")).as("negated mean").isLessThan(40);
        assertThat(mean(items, results, "salad")).as("salad mean").isLessThan(40);
        long paraphrasesAt40 = java.util.stream.IntStream.range(0, items.size())
                .filter(i -> items.get(i).kind().equals("paraphrase") && results.get(i).score() >= 40).count();
        assertThat(paraphrasesAt40).as("paraphrases scoring 40 or more").isGreaterThanOrEqualTo(PARAPHRASES_AT_40);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).kind().equals("good") || items.get(i).kind().equals("paraphrase")) {
                assertThat(results.get(i).redFlags()).as(items.get(i).entryId() + " " + items.get(i).kind()).isEmpty();
            }
        }
    }

    private static double mean(List<DevSet.Item> items, List<GradeResult> results, String kind) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).kind().equals(kind)) {
                sum += results.get(i).score();
                count++;
            }
        }
        return sum / count;
    }
}
