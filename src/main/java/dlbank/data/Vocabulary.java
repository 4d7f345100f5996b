package dlbank.data;

import dlbank.UserException;
import dlbank.report.AtomicFiles;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words a text model knows, each with an integer id: the most frequent tokens of the training
 * texts, never of the test texts (a word seen only in test reviews must stay unknown, or the test
 * would leak into the model).
 *
 * <p>Id 0 is padding and id 1 an unknown word; the words take ids 2, 3, ... in order of falling
 * frequency, ties broken alphabetically, so the same texts always give the same ids.
 */
public final class Vocabulary {

    public static final int PADDING = 0;
    public static final int UNKNOWN = 1;
    /** As task/imdb-rnn specifies; on the 25,000 training reviews they cover 94.3% of the tokens. */
    public static final int DEFAULT_MAX_WORDS = 10_000;

    private static final int FIRST_WORD_ID = 2;
    private static final int FORMAT_VERSION = 1;
    private static final Pattern HEADER = Pattern.compile("# dlbank vocabulary, format (\\d+), (\\d+) words\\b.*");

    /** Which tokens a review keeps when it is longer than the model's input. */
    public enum Truncation {
        /** The opening: where a review names the film and often says at once what it thinks. */
        KEEP_FIRST,
        /** The ending: where a review usually gives its verdict, and what a recurrent model read last. */
        KEEP_LAST
    }

    private final List<String> words; // the word of id FIRST_WORD_ID + i at index i
    private final Map<String, Integer> idByWord;

    private Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        this.idByWord = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            // A word with white space in it would not survive save and load.
            if (word.isEmpty() || word.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("not a word: \"" + word + "\"");
            }
            if (idByWord.put(word, FIRST_WORD_ID + i) != null) {
                throw new IllegalArgumentException("\"" + word + "\" twice");
            }
        }
    }

    /** The {@code maxWords} most frequent tokens of the training texts (fewer if they hold fewer). */
    public static Vocabulary build(Iterable<? extends Collection<String>> trainingTexts, int maxWords) {
        if (maxWords < 1) {
            throw new IllegalArgumentException("maxWords must be at least 1, got " + maxWords);
        }
        Map<String, int[]> counts = new HashMap<>();
        for (Collection<String> tokens : trainingTexts) {
            for (String token : tokens) {
                counts.computeIfAbsent(token, word -> new int[1])[0]++;
            }
        }
        List<Map.Entry<String, int[]>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Comparator.<Map.Entry<String, int[]>>comparingInt(entry -> -entry.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        return new Vocabulary(ranked.subList(0, Math.min(maxWords, ranked.size())).stream()
                .map(Map.Entry::getKey).toList());
    }

    /** Ids 0 and 1 plus the words. */
    public int size() {
        return FIRST_WORD_ID + words.size();
    }

    /** The word's id, or {@link #UNKNOWN}. */
    public int idOf(String word) {
        return idByWord.getOrDefault(word, UNKNOWN);
    }

    /** The word of an id; "&lt;pad&gt;" and "&lt;unk&gt;" for 0 and 1. */
    public String word(int id) {
        if (id == PADDING) {
            return "<pad>";
        }
        if (id == UNKNOWN) {
            return "<unk>";
        }
        if (id < FIRST_WORD_ID || id >= size()) {
            throw new IllegalArgumentException("id " + id + " is outside 0.." + (size() - 1));
        }
        return words.get(id - FIRST_WORD_ID);
    }

    /**
     * Exactly {@code length} ids: the kept tokens first, then padding (0) at the end, so that a model
     * finds each review's real tokens at positions 0 .. {@link #realLength}-1.
     */
    public int[] encode(List<String> tokens, int length, Truncation truncation) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be at least 1, got " + length);
        }
        int kept = Math.min(tokens.size(), length);
        int first = truncation == Truncation.KEEP_LAST ? tokens.size() - kept : 0;
        int[] ids = new int[length]; // zeros: padding
        for (int i = 0; i < kept; i++) {
            ids[i] = idOf(tokens.get(first + i));
        }
        return ids;
    }

    /** How many of the encoded ids are real tokens: the position of the first padding id, or the length. */
    public static int realLength(int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == PADDING) {
                return i;
            }
        }
        return ids.length;
    }

    /** Writes a header line, then one word per line in id order from id 2; atomically. */
    public void save(Path file) {
        StringBuilder text = new StringBuilder(words.size() * 8);
        text.append(String.format(Locale.ROOT,
                "# dlbank vocabulary, format %d, %d words (ids %d..%d; 0 = padding, 1 = unknown)\n",
                FORMAT_VERSION, words.size(), FIRST_WORD_ID, size() - 1));
        for (String word : words) {
            text.append(word).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /** Reads a file that {@link #save} wrote; anything else fails with one line naming the file. */
    public static Vocabulary load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw UserException.input("error.file.missing", file);
        } catch (CharacterCodingException e) {
            throw UserException.input("error.vocabulary.not-utf8", file);
        } catch (IOException e) {
            throw UserException.input("error.file.cannot-read", file, UserException.reason(e));
        }
        Matcher header = HEADER.matcher(lines.isEmpty() ? "" : lines.get(0));
        if (!header.matches()) {
            throw UserException.input("error.vocabulary.header", file);
        }
        if (!header.group(1).equals(Integer.toString(FORMAT_VERSION))) {
            throw UserException.input("error.vocabulary.format", file, header.group(1), FORMAT_VERSION);
        }
        List<String> words = lines.subList(1, lines.size());
        if (!header.group(2).equals(Integer.toString(words.size()))) {
            throw UserException.input("error.vocabulary.count", file, header.group(2), words.size());
        }
        try {
            return new Vocabulary(words);
        } catch (IllegalArgumentException e) {
            throw UserException.input("error.vocabulary.corrupt", file, UserException.reason(e));
        }
    }
}
