package dlbank.bank;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds entries by words in either language. Every query word, or one of its synonyms
 * ({@code bank/search-synonyms.txt}), must occur somewhere in the entry, in English or Chinese.
 * Entries are ranked by where the words occur: the title counts most, then the short answer, then
 * the key points ({@code <id>.<lang>.points.yaml}), then the rest of the answer, so that an entry
 * about the words comes before one that mentions them in passing; words found side by side, as
 * typed, count again.
 *
 * <p>Chinese words match as substrings (Chinese needs no word segmentation that way); Latin words
 * match at the start of a word, so "LoRA" does not find "exploration" and "optimizer" still finds
 * "optimizers".
 */
public final class BankSearch {

    /** An entry found: whether every word is in its title, how often the words occur, and its score. */
    public record Hit(BankEntry entry, boolean titleMatch, int occurrences, double score) {}

    /** Weights of one occurrence in each field; the body's count is capped so that length alone does not win. */
    static final double TITLE = 100;
    static final double SHORT_ANSWER = 8;
    static final double KEY_POINTS = 6;
    static final double BODY = 1;
    static final int BODY_CAP = 12;

    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** An entry's searchable text in both languages, lower case. */
    private record Fields(String title, String shortAnswer, String keyPoints, String body) {}

    private final Bank bank;
    private final Map<String, List<String>> synonyms;
    private final Map<String, Fields> fields = new LinkedHashMap<>();

    public BankSearch(Bank bank) {
        this.bank = bank;
        this.synonyms = synonyms(Bank.resource("bank/search-synonyms.txt").orElse(""));
    }

    /** Hits in order of relevance, shown in {@code language}. */
    public List<Hit> search(String query, String language) {
        List<String> words = words(query);
        if (words.isEmpty()) {
            return List.of();
        }
        List<List<Pattern>> alternatives = words.stream().map(this::patterns).toList();
        List<Hit> hits = new ArrayList<>();
        for (BankEntry entry : bank.entries(language)) {
            Fields text = fields.computeIfAbsent(entry.id(), id -> fieldsOf(id));
            boolean everyWord = true;
            boolean everyInTitle = true;
            int occurrences = 0;
            double score = 0;
            for (List<Pattern> word : alternatives) {
                int inTitle = count(text.title(), word);
                int inShort = count(text.shortAnswer(), word);
                int inPoints = count(text.keyPoints(), word);
                int inBody = count(text.body(), word);
                everyWord &= inTitle + inShort + inPoints + inBody > 0;
                everyInTitle &= inTitle > 0;
                occurrences += inTitle + inShort + inPoints + inBody;
                score += TITLE * Math.min(inTitle, 1) + SHORT_ANSWER * inShort + KEY_POINTS * inPoints
                        + BODY * Math.min(inBody, BODY_CAP);
            }
            if (words.size() > 1) {
                // The words side by side, as typed ("max pooling"), count once more in each field.
                List<Pattern> phrase = List.of(pattern(String.join(" ", words)));
                score += TITLE * Math.min(count(text.title(), phrase), 1) + SHORT_ANSWER * count(text.shortAnswer(), phrase)
                        + KEY_POINTS * count(text.keyPoints(), phrase) + BODY * Math.min(count(text.body(), phrase), BODY_CAP);
            }
            if (everyWord) {
                hits.add(new Hit(entry, everyInTitle, occurrences, score));
            }
        }
        hits.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingInt(hit -> hit.entry().number()));
        return hits;
    }

    /** The title (and id), short answer, key points and the rest of one entry, both languages together. */
    private Fields fieldsOf(String id) {
        StringBuilder title = new StringBuilder(id.replace('-', ' '));
        StringBuilder shortAnswer = new StringBuilder();
        StringBuilder keyPoints = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String language : Bank.LANGUAGES) {
            BankEntry entry = bank.find(id, language).orElseThrow();
            String answer = entry.shortAnswer();
            title.append('\n').append(entry.title());
            shortAnswer.append('\n').append(answer);
            keyPoints.append('\n').append(keyPointText(id, language));
            body.append('\n').append(entry.body().replace(answer, ""));
        }
        return new Fields(lower(title), lower(shortAnswer), lower(keyPoints), lower(body));
    }

    /** The labels, terms and statements of an entry's key points, one language. */
    @SuppressWarnings("unchecked")
    private static String keyPointText(String id, String language) {
        String yaml = Bank.resource("bank/" + id + "." + language + ".points.yaml").orElse("");
        if (yaml.isBlank()) {
            return "";
        }
        try {
            Map<String, Object> file = YAML.readValue(yaml, Map.class);
            StringBuilder text = new StringBuilder();
            if (file.get("points") instanceof List<?> points) {
                for (Object point : points) {
                    if (point instanceof Map<?, ?> map) {
                        for (String key : List.of("label", "statement", "terms")) {
                            Object value = ((Map<String, Object>) map).get(key);
                            if (value != null) {
                                text.append(value).append('\n');
                            }
                        }
                    }
                }
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("bank/" + id + "." + language + ".points.yaml", e);
        }
    }

    /** The word and its synonyms, each as a pattern. */
    private List<Pattern> patterns(String word) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(word);
        forms.addAll(synonyms.getOrDefault(word, List.of()));
        return forms.stream().map(BankSearch::pattern).toList();
    }

    /** A substring for Chinese and symbols; for a Latin word, the word at the start of a word. */
    static Pattern pattern(String form) {
        boolean latinStart = !form.isEmpty() && Character.isLetterOrDigit(form.codePointAt(0))
                && !HAN.matcher(form.substring(0, Character.charCount(form.codePointAt(0)))).find();
        return Pattern.compile((latinStart ? "(?<![\\p{L}\\p{N}])" : "") + Pattern.quote(form));
    }

    /** Places where any form of the word starts; a place two forms match ("overfit", "overfitting") counts once. */
    private static int count(String text, List<Pattern> word) {
        Set<Integer> starts = new java.util.HashSet<>();
        for (Pattern form : word) {
            Matcher m = form.matcher(text);
            while (m.find()) {
                starts.add(m.start());
            }
        }
        return starts.size();
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

    /** Each line of the file is a group of forms that mean the same; every form maps to the others. */
    static Map<String, List<String>> synonyms(String file) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String line : file.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> group = new ArrayList<>();
            for (String form : line.split(",")) {
                if (!form.isBlank()) {
                    group.add(form.strip().toLowerCase(Locale.ROOT));
                }
            }
            for (String form : group) {
                map.computeIfAbsent(form, key -> new ArrayList<>()).addAll(group.stream().filter(f -> !f.equals(form)).toList());
            }
        }
        return map;
    }

    private static String lower(StringBuilder text) {
        return text.toString().toLowerCase(Locale.ROOT);
    }
}
