package dlbank.interview;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vectors stored in the jar for the bank's own sentences: every sentence the grader encodes for
 * the bank is there (else: run {@code scripts/store-sentences}), and they are what the model gives now.
 */
class SentenceStoreTest {

    @ParameterizedTest
    @ValueSource(strings = {"en", "zh"})
    void theStoreHoldsEverySentenceOfTheBankAsTheModelEncodesIt(String language) {
        Map<String, float[]> stored = SentenceStore.read(SentenceEncoder.modelName(language));
        Bank bank = Bank.load();
        List<String> sentences = SentenceStore.bankSentences(bank, language);
        assertThat(sentences).hasSizeGreaterThan(1_000);
        assertThat(sentences.stream().filter(text -> !stored.containsKey(text)).toList())
                .as("sentences of the bank without a stored vector: run scripts/store-sentences").isEmpty();
        // The first entry's sentences, encoded afresh in the batches the store used for them.
        BankEntry first = bank.entries(language).get(0);
        List<String> texts = Grader.ModelSentences.of(first.id(), language, KeyPoints.of(first)).texts.stream().distinct().toList();
        float[][] fresh = SentenceEncoder.forLanguage(language).encodeBatched(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(SentenceEncoder.dot(fresh[i], stored.get(texts.get(i)))).as(texts.get(i)).isGreaterThan(0.9999f);
        }
    }
}
