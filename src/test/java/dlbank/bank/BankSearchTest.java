package dlbank.bank;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BankSearchTest {

    private final Bank bank = Bank.load();
    private final BankSearch search = new BankSearch(bank);

    @Test
    void findsEveryEntryByAWordOfItsChineseAndOfItsEnglishTitle() {
        List<BankEntry> english = bank.entries("en");
        List<BankEntry> chinese = bank.entries("zh");
        for (int i = 0; i < english.size(); i++) {
            String id = english.get(i).id();
            String englishWord = longestWord(english.get(i).title().replaceAll("[^A-Za-z0-9 -]", " "));
            String chineseWord = chineseWord(chinese.get(i).title());
            assertThat(ids(search.search(englishWord, "en"))).as(id + " by '" + englishWord + "'").contains(id);
            assertThat(ids(search.search(chineseWord, "zh"))).as(id + " by '" + chineseWord + "'").contains(id);
        }
    }

    @Test
    void titleMatchesComeFirst() {
        assertThat(search.search("正则化", "zh").get(0).entry().id()).isEqualTo("concept/regularization");
        assertThat(ids(search.search("dropout", "en"))).contains("concept/regularization");
        assertThat(search.search("dropout", "en").get(0).titleMatch()).isFalse();
        assertThat(search.search("optimizers", "en").get(0).entry().id()).isEqualTo("concept/optimizers");
    }

    @Test
    void allWordsMustOccur() {
        assertThat(search.search("dropout xylophone", "en")).isEmpty();
        assertThat(search.search("  ", "en")).isEmpty();
    }

    private static List<String> ids(List<BankSearch.Hit> hits) {
        return hits.stream().map(hit -> hit.entry().id()).toList();
    }

    private static String longestWord(String title) {
        String best = "";
        for (String word : title.split("\\s+")) {
            if (word.length() > best.length()) {
                best = word;
            }
        }
        return best;
    }

    /** The first two characters of the title's longest run of Han characters. */
    private static String chineseWord(String title) {
        String longest = "";
        for (String run : title.split("[^\\p{IsHan}]+")) {
            if (run.length() > longest.length()) {
                longest = run;
            }
        }
        return longest.substring(0, Math.min(2, longest.length()));
    }
}
