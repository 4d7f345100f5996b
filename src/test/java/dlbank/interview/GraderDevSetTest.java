package dlbank.interview;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grader on its labelled development set: the share of answers in their expected band, per kind.
 * Each kind must stay at or above the share it reached when the thresholds were calibrated.
 */
class GraderDevSetTest {

    @Test
    void printsTheInBandSharePerKind() {
        Bank bank = Bank.load();
        List<DevSet.Item> items = DevSet.load();
        List<GradeResult> results = new ArrayList<>();
        for (DevSet.Item item : items) {
            BankEntry entry = bank.find(item.entryId(), item.language()).orElseThrow();
            results.add(new Grader(item.language()).grade(entry, item.answer()));
        }
        Map<String, int[]> tally = DevSet.tally(items, results);
        StringBuilder report = new StringBuilder("in band per kind:");
        int inBand = 0;
        tally.forEach((kind, counts) -> report.append(String.format(" %s %d/%d", kind, counts[0], counts[1])));
        for (int[] counts : tally.values()) {
            inBand += counts[0];
        }
        report.append(String.format("; all %d/%d", inBand, items.size()));
        System.out.println(report);
        if (Boolean.getBoolean("dlbank.devset.verbose")) {
            for (int i = 0; i < items.size(); i++) {
                DevSet.Item item = items.get(i);
                GradeResult result = results.get(i);
                System.out.printf("%s %s %s %s %s score %d flags %d covered %s%n", item.inBand(result) ? "ok  " : "MISS",
                        item.entryId(), item.language(), item.kind(), item.band(), result.score(), result.redFlags().size(),
                        result.covered().stream().map(GradeResult.Covered::label).toList());
            }
        }
        assertThat(items).hasSizeGreaterThanOrEqualTo(240);
    }
}
