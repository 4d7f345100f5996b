package dlbank.bank;

import dlbank.experiment.ExperimentRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bank's content: every entry in both languages, consistent, and pointing at real experiments. */
class BankContentTest {

    private final Bank bank = Bank.load();

    @Test
    void holdsTheConceptEntriesThenTheFiveTasksInBankOrder() {
        List<String> ids = bank.ids();
        int tasks = ids.size() - 5;
        assertThat(ids).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
        assertThat(ids.subList(0, tasks)).allMatch(id -> id.startsWith("concept/"));
        assertThat(ids.subList(tasks, ids.size())).containsExactly("task/and-gate", "task/mnist-cnn", "task/imdb-rnn",
                "task/mnist-gan", "task/denoising-autoencoder");
        // The architecture entries of issue 24 follow concept/cnn, in this order.
        assertThat(ids).containsSubsequence("concept/cnn", "concept/efficient-cnn", "concept/detection-segmentation",
                "concept/vision-transformer", "concept/rnn");
        // The Transformer wave follows attention, in the order of QUESTIONS.md Part 3.
        int attention = ids.indexOf("concept/attention");
        assertThat(ids.subList(attention + 1, attention + 7)).containsExactly("concept/transformer",
                "concept/positional-encoding", "concept/tokenization-embeddings", "concept/llm-decoding",
                "concept/post-training", "concept/mixture-of-experts");
    }

    @Test
    void everyEntryExistsInBothLanguagesWithMatchingFrontMatter() {
        List<BankEntry> english = bank.entries("en");
        List<BankEntry> chinese = bank.entries("zh");
        for (int i = 0; i < english.size(); i++) {
            BankEntry en = english.get(i);
            BankEntry zh = chinese.get(i);
            assertThat(zh.id()).isEqualTo(en.id());
            assertThat(zh.topic()).as(en.id()).isEqualTo(en.topic());
            assertThat(zh.experiments()).as(en.id()).isEqualTo(en.experiments());
            assertThat(zh.related()).as(en.id()).isEqualTo(en.related());
            assertThat(zh.title()).as(en.id()).isNotEqualTo(en.title()).matches(".*\\p{IsHan}.*");
            assertThat(en.title()).as(en.id()).doesNotMatch(".*\\p{IsHan}.*");
        }
    }

    @Test
    void everyEntryHasTheFiveSectionsInOrder() {
        for (String language : Bank.LANGUAGES) {
            List<String> headings = language.equals("zh")
                    ? List.of("简答", "深入", "常见错误", "追问", "动手运行")
                    : List.of("Short answer", "In depth", "Common mistakes", "Follow-up questions", "Run it");
            for (BankEntry entry : bank.entries(language)) {
                int last = -1;
                for (String heading : headings) {
                    int at = entry.body().indexOf("\n## " + heading + "\n");
                    at = at < 0 && entry.body().startsWith("## " + heading + "\n") ? 0 : at;
                    assertThat(at).as(entry.id() + "." + language + " has ## " + heading).isGreaterThanOrEqualTo(0);
                    assertThat(at).as(entry.id() + "." + language + " order of " + heading).isGreaterThan(last);
                    last = at;
                }
                assertThat(entry.shortAnswer()).as(entry.id()).isNotBlank();
            }
        }
    }

    @Test
    void everyExperimentAndRelatedEntryNamedExists() {
        for (BankEntry entry : bank.entries("en")) {
            for (String experiment : entry.experiments()) {
                assertThat(ExperimentRegistry.find(experiment).isPresent() || ExperimentRegistry.isPlanned(experiment))
                        .as(entry.id() + " names " + experiment).isTrue();
            }
            assertThat(entry.related()).as(entry.id()).allSatisfy(id -> assertThat(bank.ids()).contains(id));
        }
    }

    @Test
    void theAnswersGetTheKnownPitfallsRight() {
        BankEntry evaluationZh = bank.find("concept/evaluation", "zh").orElseThrow();
        assertThat(evaluationZh.body()).contains("调和平均").contains("2·P·R/(P+R)");
        BankEntry evaluationEn = bank.find("concept/evaluation", "en").orElseThrow();
        assertThat(evaluationEn.body()).contains("harmonic mean of precision and recall");
        BankEntry rnnZh = bank.find("concept/rnn", "zh").orElseThrow();
        assertThat(rnnZh.body()).contains("长短期记忆").contains("门控循环单元");
        BankEntry rnnEn = bank.find("rnn", "en").orElseThrow();
        assertThat(rnnEn.body()).containsIgnoringCase("long short-term memory").containsIgnoringCase("gated recurrent unit");
        BankEntry regularization = bank.find("concept/regularization", "en").orElseThrow();
        assertThat(regularization.body()).contains("L1 encourages sparsity");
    }
}
