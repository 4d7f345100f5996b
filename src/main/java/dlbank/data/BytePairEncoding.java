package dlbank.data;

import dlbank.UserException;
import dlbank.report.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level byte-pair encoding (Sennrich, Haddow &amp; Birch, 2016, Neural Machine Translation of Rare
 * Words with Subword Units; on bytes, as GPT-2 does: Radford et al., 2019), trained here on the reviews.
 *
 * <p>Ids 0-255 are the bytes of UTF-8, so any text encodes without an unknown token; id 256 + i is
 * merge i, the pair of tokens that was most frequent when it was learned; the last id is the end of
 * a text. Text is first cut into pieces (a word, a number or a run of punctuation, each with the
 * single space before it), and merges never cross a piece: " movie" and " movies" share the token
 * " movie", but no token spans two words.
 *
 * <p>Training counts each distinct piece once with its frequency, keeps the pair counts up to date
 * as merges rewrite the pieces that hold them, and takes the next merge from a heap (stale entries
 * are skipped): 32,000 merges over the 25,000 training reviews take seconds, not hours.
 */
public final class BytePairEncoding {

    public static final int BYTES = 256;
    private static final int FORMAT_VERSION = 1;
    private static final Pattern HEADER = Pattern.compile("# dlbank byte-pair encoding, format (\\d+), (\\d+) merges\\b.*");

    private final int[] left;        // merge i joins left[i] and right[i] into token BYTES + i
    private final int[] right;
    private final byte[][] bytesOf;  // the UTF-8 bytes of each token, the end of text included (none)
    private final Map<Long, Integer> rankOfPair = new HashMap<>();
    private final Map<String, int[]> pieceCache = new HashMap<>();

    private BytePairEncoding(int[] left, int[] right) {
        this.left = left;
        this.right = right;
        bytesOf = new byte[BYTES + left.length + 1][];
        for (int b = 0; b < BYTES; b++) {
            bytesOf[b] = new byte[] {(byte) b};
        }
        for (int i = 0; i < left.length; i++) {
            if (left[i] < 0 || right[i] < 0 || left[i] >= BYTES + i || right[i] >= BYTES + i) {
                throw new IllegalArgumentException("merge " + i + " joins a token that does not exist yet");
            }
            byte[] joined = Arrays.copyOf(bytesOf[left[i]], bytesOf[left[i]].length + bytesOf[right[i]].length);
            System.arraycopy(bytesOf[right[i]], 0, joined, bytesOf[left[i]].length, bytesOf[right[i]].length);
            bytesOf[BYTES + i] = joined;
            rankOfPair.putIfAbsent(pair(left[i], right[i]), i);
        }
        bytesOf[endOfText()] = new byte[0];
    }

    /** The number of ids: 256 bytes, the merges, the end of text. */
    public int size() {
        return BYTES + left.length + 1;
    }

    public int merges() {
        return left.length;
    }

    /** The id that ends a text (and starts the next one in a stream of texts). */
    public int endOfText() {
        return BYTES + left.length;
    }

    // ---------------------------------------------------------------------------------------------
    // Text into pieces

    /**
     * A review as the language models read it: HTML tags and entities out, every run of white space
     * one space, case kept (unlike {@link TextTokenizer}, which lowers it for the classifiers).
     */
    public static String normalize(String review) {
        String text = TextTokenizer.decodeEntities(TextTokenizer.replaceTags(review));
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Normalised text cut into pieces: a run of letters (with apostrophes inside it: "didn't"), a run
     * of digits, or a run of other characters, each with the one space before it if there is one.
     */
    public static List<String> pieces(String normalized) {
        List<String> pieces = new ArrayList<>(normalized.length() / 4 + 1);
        int n = normalized.length();
        int i = 0;
        while (i < n) {
            int start = i;
            if (normalized.charAt(i) == ' ') {
                i++;
                if (i == n) {
                    pieces.add(" ");
                    break;
                }
            }
            int kind = kind(normalized, i);
            i += Character.charCount(normalized.codePointAt(i));
            while (i < n && normalized.charAt(i) != ' ') {
                int next = kind(normalized, i);
                boolean innerApostrophe = kind == LETTER && normalized.charAt(i) == '\'' && i + 1 < n
                        && kind(normalized, i + 1) == LETTER;
                if (next != kind && !innerApostrophe) {
                    break;
                }
                i += Character.charCount(normalized.codePointAt(i));
            }
            pieces.add(normalized.substring(start, i));
        }
        return pieces;
    }

    private static final int LETTER = 0;
    private static final int DIGIT = 1;
    private static final int OTHER = 2;

    private static int kind(String text, int at) {
        int codePoint = text.codePointAt(at);
        if (Character.isLetter(codePoint)) {
            return LETTER;
        }
        int type = Character.getType(codePoint);
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK) {
            return LETTER;
        }
        return Character.isDigit(codePoint) ? DIGIT : OTHER;
    }

    // ---------------------------------------------------------------------------------------------
    // Training

    /**
     * Learns merges from normalised texts until the vocabulary (bytes + merges + end of text) has
     * {@code vocabularySize} ids, or no pair occurs twice.
     */
    public static BytePairEncoding train(Iterable<String> normalizedTexts, int vocabularySize) {
        if (vocabularySize < BYTES + 1) {
            throw new IllegalArgumentException("a byte-level vocabulary has at least 257 ids, asked " + vocabularySize);
        }
        Map<String, long[]> counts = new HashMap<>();
        for (String text : normalizedTexts) {
            for (String piece : pieces(text)) {
                counts.computeIfAbsent(piece, p -> new long[1])[0]++;
            }
        }
        // Sorted, so that the words' order, and with it every tie below, is the same on every run.
        String[] distinct = counts.keySet().toArray(new String[0]);
        Arrays.sort(distinct);
        int[][] words = new int[distinct.length][];
        long[] frequency = new long[distinct.length];
        for (int w = 0; w < distinct.length; w++) {
            byte[] utf8 = distinct[w].getBytes(StandardCharsets.UTF_8);
            words[w] = new int[utf8.length];
            for (int j = 0; j < utf8.length; j++) {
                words[w][j] = utf8[j] & 0xff;
            }
            frequency[w] = counts.get(distinct[w])[0];
        }
        return new MergeLearner(words, frequency).run(vocabularySize - BYTES - 1);
    }

    /** The merge loop over distinct pieces with their frequencies. */
    private static final class MergeLearner {
        private final int[][] words;
        private final long[] frequency;
        private final Map<Long, long[]> pairCount = new HashMap<>();
        private final Map<Long, IntList> pairWords = new HashMap<>();
        // Most frequent first; equal counts: the smaller pair key (left id, then right id) first.
        private final PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) ->
                a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));

        MergeLearner(int[][] words, long[] frequency) {
            this.words = words;
            this.frequency = frequency;
            for (int w = 0; w < words.length; w++) {
                for (int j = 0; j + 1 < words[w].length; j++) {
                    long key = pair(words[w][j], words[w][j + 1]);
                    pairCount.computeIfAbsent(key, k -> new long[1])[0] += frequency[w];
                    pairWords.computeIfAbsent(key, k -> new IntList()).add(w);
                }
            }
            pairCount.forEach((key, count) -> heap.add(new long[] {count[0], key}));
        }

        BytePairEncoding run(int maxMerges) {
            IntList lefts = new IntList();
            IntList rights = new IntList();
            int[] visited = new int[words.length];
            Arrays.fill(visited, -1);
            while (lefts.size < maxMerges && !heap.isEmpty()) {
                long[] top = heap.poll();
                long[] current = pairCount.get(top[1]);
                long count = current == null ? 0 : current[0];
                if (count != top[0]) {
                    if (count > 0) {
                        heap.add(new long[] {count, top[1]}); // the count fell since this entry: try again at its place
                    }
                    continue;
                }
                if (count < 2) {
                    break;
                }
                int a = (int) (top[1] >>> 32);
                int b = (int) top[1];
                int merged = BYTES + lefts.size;
                lefts.add(a);
                rights.add(b);
                IntList holders = pairWords.remove(top[1]);
                pairCount.remove(top[1]);
                Map<Long, long[]> grown = new HashMap<>();
                for (int h = 0; h < holders.size; h++) {
                    int w = holders.values[h];
                    if (visited[w] == merged) {
                        continue;
                    }
                    visited[w] = merged;
                    rewrite(w, a, b, merged, grown);
                }
                grown.forEach((key, c) -> heap.add(new long[] {pairCount.get(key)[0], key}));
            }
            return new BytePairEncoding(Arrays.copyOf(lefts.values, lefts.size), Arrays.copyOf(rights.values, rights.size));
        }

        /** Replaces every (a, b) in word w by {@code merged}, moving the pair counts along. */
        private void rewrite(int w, int a, int b, int merged, Map<Long, long[]> grown) {
            int[] old = words[w];
            int[] next = mergeAll(old, a, b, merged);
            if (next.length == old.length) {
                return; // a stale holder: the pair left this word in an earlier merge
            }
            long f = frequency[w];
            for (int j = 0; j + 1 < old.length; j++) {
                long key = pair(old[j], old[j + 1]);
                long[] c = pairCount.get(key);
                if (c != null) {
                    c[0] -= f;
                }
            }
            for (int j = 0; j + 1 < next.length; j++) {
                long key = pair(next[j], next[j + 1]);
                pairCount.computeIfAbsent(key, k -> new long[1])[0] += f;
                if (next[j] == merged || next[j + 1] == merged) {
                    pairWords.computeIfAbsent(key, k -> new IntList()).add(w);
                    grown.put(key, null);
                }
            }
            words[w] = next;
        }
    }

    /** The symbols with every non-overlapping (a, b), left to right, replaced by {@code merged}. */
    private static int[] mergeAll(int[] symbols, int a, int b, int merged) {
        int[] out = new int[symbols.length];
        int n = 0;
        for (int j = 0; j < symbols.length; j++) {
            if (j + 1 < symbols.length && symbols[j] == a && symbols[j + 1] == b) {
                out[n++] = merged;
                j++;
            } else {
                out[n++] = symbols[j];
            }
        }
        return n == symbols.length ? symbols : Arrays.copyOf(out, n);
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    /** A growable int array. */
    private static final class IntList {
        int[] values = new int[4];
        int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Encoding and decoding

    /** The ids of a review: normalised, cut into pieces, each piece merged as training learned. */
    public int[] encode(String review) {
        return encodeNormalized(normalize(review));
    }

    /** The ids of text that is already normalised (a prompt keeps its trailing space this way too). */
    public int[] encodeNormalized(String normalized) {
        int[] ids = new int[normalized.length()];
        int n = 0;
        for (String piece : pieces(normalized)) {
            for (int id : encodePiece(piece)) {
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, ids.length * 2 + 1);
                }
                ids[n++] = id;
            }
        }
        return Arrays.copyOf(ids, n);
    }

    /** One piece: its bytes, then, repeatedly, the adjacent pair that was learned first is merged. */
    int[] encodePiece(String piece) {
        int[] cached = pieceCache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[utf8.length];
        for (int j = 0; j < utf8.length; j++) {
            symbols[j] = utf8[j] & 0xff;
        }
        while (symbols.length > 1) {
            int best = Integer.MAX_VALUE;
            for (int j = 0; j + 1 < symbols.length; j++) {
                Integer rank = rankOfPair.get(pair(symbols[j], symbols[j + 1]));
                if (rank != null && rank < best) {
                    best = rank;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            symbols = mergeAll(symbols, left[best], right[best], BYTES + best);
        }
        if (pieceCache.size() < 500_000) {
            pieceCache.put(piece, symbols);
        }
        return symbols;
    }

    /** The text of the ids (the end of text adds nothing); bytes that are not valid UTF-8 become U+FFFD. */
    public String decode(int[] ids) {
        Decoder decoder = new Decoder();
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            text.append(decoder.next(id));
        }
        return text.toString();
    }

    /** A token shown on its own: its text, with a leading space as "▁" (for tables and plots). */
    public String show(int id) {
        if (id == endOfText()) {
            return "<eot>";
        }
        String text = new String(bytesOf[id], StandardCharsets.UTF_8);
        return text.startsWith(" ") ? "▁" + text.substring(1) : text;
    }

    /** The UTF-8 bytes of one token. */
    public byte[] bytes(int id) {
        return bytesOf[id].clone();
    }

    /**
     * Decodes a stream of ids one at a time, for text printed as it is generated: a character whose
     * bytes are split over two tokens is held back until it is complete.
     */
    public final class Decoder {
        private byte[] pending = new byte[0];

        /** The text that token {@code id} completes (maybe empty). */
        public String next(int id) {
            if (id < 0 || id >= size()) {
                throw new IllegalArgumentException("id " + id + " is outside 0.." + (size() - 1));
            }
            byte[] joined = Arrays.copyOf(pending, pending.length + bytesOf[id].length);
            System.arraycopy(bytesOf[id], 0, joined, pending.length, bytesOf[id].length);
            int complete = completeLength(joined);
            pending = Arrays.copyOfRange(joined, complete, joined.length);
            return new String(joined, 0, complete, StandardCharsets.UTF_8);
        }

        /** Whatever is held back, as replacement characters; call at the end of a stream. */
        public String flush() {
            String rest = new String(pending, StandardCharsets.UTF_8);
            pending = new byte[0];
            return rest;
        }
    }

    /** The length of the longest prefix that does not end inside an unfinished UTF-8 sequence. */
    static int completeLength(byte[] bytes) {
        int n = bytes.length;
        // Look back at most 3 bytes for the lead byte of the last sequence.
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xff;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte
            }
            int needed = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // Files

    /** A header line, then one merge per line, "left right", in the order learned; atomically. */
    public void save(Path file) {
        StringBuilder text = new StringBuilder(left.length * 10 + 100);
        text.append(String.format(Locale.ROOT, "# dlbank byte-pair encoding, format %d, %d merges "
                + "(ids 0-255 bytes, %d-%d merges, %d end of text)\n", FORMAT_VERSION, left.length, BYTES,
                BYTES + left.length - 1, endOfText()));
        for (int i = 0; i < left.length; i++) {
            text.append(left[i]).append(' ').append(right[i]).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /** Reads what {@link #save} wrote; anything else fails with one line naming the file. */
    public static BytePairEncoding load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw UserException.input("error.file.missing", file);
        } catch (IOException e) {
            throw UserException.input("error.file.cannot-read", file, UserException.reason(e));
        }
        Matcher header = HEADER.matcher(lines.isEmpty() ? "" : lines.get(0));
        if (!header.matches() || !header.group(1).equals(Integer.toString(FORMAT_VERSION))) {
            throw UserException.input("error.bpe.header", file);
        }
        int merges = Integer.parseInt(header.group(2));
        if (lines.size() - 1 != merges) {
            throw UserException.input("error.bpe.count", file, merges, lines.size() - 1);
        }
        int[] left = new int[merges];
        int[] right = new int[merges];
        try {
            for (int i = 0; i < merges; i++) {
                String[] parts = lines.get(i + 1).trim().split(" ");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("line " + (i + 2) + " is not two ids");
                }
                left[i] = Integer.parseInt(parts[0]);
                right[i] = Integer.parseInt(parts[1]);
            }
            return new BytePairEncoding(left, right);
        } catch (IllegalArgumentException e) {
            throw UserException.input("error.bpe.corrupt", file, UserException.reason(e));
        }
    }
}
