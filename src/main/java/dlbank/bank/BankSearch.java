package dlbank.bank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds entries by words in either language. Every query word must occur (as a substring, so
 * Chinese needs no word segmentation) in the entry's title, id or answer, in English or Chinese;
 * entries whose title matches come first, then by how often the words occur.
 */
public final class BankSearch {

    /** An entry found, with the language the words were found in. */
    public record Hit(BankEntry entry, boolean titleMatch, int occurrences) {}

    private final Bank bank;

    public BankSearch(Bank bank) {
        this.bank = bank;
    }

    /** Hits in bank order of relevance, shown in {@code language}. */
    public List<Hit> search(String query, String language) {
        List<String> words = words(query);
        if (words.isEmpty()) {
            return List.of();
        }
        List<BankEntry> shown = bank.entries(language);
        List<List<BankEntry>> versions = new ArrayList<>();
        for (String lang : Bank.LANGUAGES) {
            versions.add(lang.equals(language) ? shown : bank.entries(lang));
        }
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            StringBuilder titles = new StringBuilder(shown.get(i).id().replace('-', ' '));
            StringBuilder bodies = new StringBuilder();
            for (List<BankEntry> version : versions) {
                titles.append('\n').append(version.get(i).title());
                bodies.append('\n').append(version.get(i).body());
            }
            String title = titles.toString().toLowerCase(Locale.ROOT);
            String all = title + bodies.toString().toLowerCase(Locale.ROOT);
            boolean everyWord = words.stream().allMatch(all::contains);
            if (!everyWord) {
                continue;
            }
            boolean titleMatch = words.stream().allMatch(title::contains);
            int occurrences = words.stream().mapToInt(word -> count(all, word)).sum();
            hits.add(new Hit(shown.get(i), titleMatch, occurrences));
        }
        hits.sort(Comparator.comparing((Hit hit) -> !hit.titleMatch())
                .thenComparing(Comparator.comparingInt(Hit::occurrences).reversed())
                .thenComparingInt(hit -> hit.entry().number()));
        return hits;
    }

    static List<String> words(String query) {
        List<String> words = new ArrayList<>();
        for (String word : query.toLowerCase(Locale.ROOT).split("[\\s,，。?？!！;；:：]+")) {
            if (!word.isBlank()) {
                words.add(word.strip());
            }
        }
        return words;
    }

    private static int count(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
    }
}
