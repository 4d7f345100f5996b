package dlbank.data;

import dlbank.TestSupport;
import dlbank.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BytePairEncodingTest {

    private static final List<String> REVIEWS = ImdbSplit.load(TestSupport.fixtureHome(), line -> { }).train().stream()
            .map(review -> BytePairEncoding.normalize(review.text())).toList();

    @Test
    void cutsTextIntoWordsNumbersAndPunctuationWithTheirSpace() {
        assertThat(BytePairEncoding.pieces("I didn't like it... 10/10! Café 'quoted'"))
                .containsExactly("I", " didn't", " like", " it", "...", " 10", "/", "10", "!", " Café", " '", "quoted", "'");
        assertThat(BytePairEncoding.normalize("  A<br /><br />film &amp; a\tsong  ")).isEqualTo("A film & a song");
    }

    @Test
    void learnsTheSameMergesAsRecountingEveryPairAfterEachMerge() {
        List<String> texts = REVIEWS.subList(0, 150);
        BytePairEncoding fast = BytePairEncoding.train(texts, 257 + 250);
        List<long[]> slow = bruteForceMerges(texts, 250);
        assertThat(fast.merges()).isEqualTo(250);
        for (int i = 0; i < 250; i++) {
            int id = BytePairEncoding.BYTES + i;
            byte[] expected = concat(bytesOf(slow, (int) slow.get(i)[0]), bytesOf(slow, (int) slow.get(i)[1]));
            assertThat(fast.bytes(id)).as("merge " + i).isEqualTo(expected);
        }
    }

    @Test
    void decodesWhatItEncodesWithoutAnUnknownToken() {
        BytePairEncoding bpe = BytePairEncoding.train(REVIEWS.subList(0, 100), 1_000);
        List<String> texts = new ArrayList<>(REVIEWS.subList(100, 140));
        texts.add("Ünïcödé never seen: 日本語の映画 🎬, and a tab-free line.");
        for (String text : texts) {
            int[] ids = bpe.encodeNormalized(text);
            assertThat(java.util.Arrays.stream(ids).boxed().toList()).allMatch(id -> id >= 0 && id < bpe.endOfText());
            assertThat(bpe.decode(ids)).isEqualTo(text);
            // Streaming token by token gives the same text, multi-byte characters held back until whole.
            BytePairEncoding.Decoder decoder = bpe.new Decoder();
            StringBuilder streamed = new StringBuilder();
            for (int id : ids) {
                String piece = decoder.next(id);
                assertThat(piece).doesNotContain("\uFFFD");
                streamed.append(piece);
            }
            assertThat(streamed.append(decoder.flush()).toString()).isEqualTo(text);
        }
        assertThat(bpe.encodeNormalized(" the the the").length).as("a frequent word is one token").isEqualTo(3);
    }

    @Test
    void savesAndLoadsTheSameEncodingAndRefusesACorruptFile(@TempDir Path dir) throws Exception {
        BytePairEncoding bpe = BytePairEncoding.train(REVIEWS, 600);
        Path file = dir.resolve("bpe.txt");
        bpe.save(file);
        BytePairEncoding loaded = BytePairEncoding.load(file);
        assertThat(loaded.size()).isEqualTo(600);
        for (String text : REVIEWS.subList(0, 20)) {
            assertThat(loaded.encodeNormalized(text)).isEqualTo(bpe.encodeNormalized(text));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(5, "9999 1"); // merge 4
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BytePairEncoding.load(file)).isInstanceOf(UserException.class)
                .hasMessageContaining("bpe.txt").hasMessageContaining("merge 4");
        Files.writeString(file, "hello\n");
        assertThatThrownBy(() -> BytePairEncoding.load(file)).isInstanceOf(UserException.class)
                .hasMessageContaining("not a dlbank byte-pair encoding");
    }

    @Test
    void holdsBackAnUnfinishedUtf8Character() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 'a' then three bytes
        assertThat(BytePairEncoding.completeLength(euro)).isEqualTo(4);
        assertThat(BytePairEncoding.completeLength(java.util.Arrays.copyOf(euro, 3))).isEqualTo(1);
        assertThat(BytePairEncoding.completeLength(java.util.Arrays.copyOf(euro, 2))).isEqualTo(1);
    }

    /** The textbook algorithm: count every adjacent pair of every piece, merge the most frequent, repeat. */
    private static List<long[]> bruteForceMerges(List<String> texts, int merges) {
        Map<String, Integer> counts = new HashMap<>();
        texts.forEach(text -> BytePairEncoding.pieces(text).forEach(piece -> counts.merge(piece, 1, Integer::sum)));
        List<List<Integer>> words = new ArrayList<>();
        List<Integer> frequency = new ArrayList<>();
        counts.forEach((piece, count) -> {
            List<Integer> symbols = new ArrayList<>();
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                symbols.add(b & 0xff);
            }
            words.add(symbols);
            frequency.add(count);
        });
        List<long[]> learned = new ArrayList<>();
        for (int m = 0; m < merges; m++) {
            Map<Long, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                for (int j = 0; j + 1 < words.get(w).size(); j++) {
                    pairs.merge(((long) words.get(w).get(j) << 32) | words.get(w).get(j + 1), (long) frequency.get(w), Long::sum);
                }
            }
            long best = -1;
            long bestCount = 0;
            for (Map.Entry<Long, Long> entry : pairs.entrySet()) {
                if (entry.getValue() > bestCount || (entry.getValue() == bestCount && entry.getKey() < best)) {
                    best = entry.getKey();
                    bestCount = entry.getValue();
                }
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            learned.add(new long[] {a, b});
            for (List<Integer> word : words) {
                for (int j = 0; j + 1 < word.size(); j++) {
                    if (word.get(j) == a && word.get(j + 1) == b) {
                        word.set(j, BytePairEncoding.BYTES + m);
                        word.remove(j + 1);
                    }
                }
            }
        }
        return learned;
    }

    private static byte[] bytesOf(List<long[]> merges, int id) {
        return id < BytePairEncoding.BYTES ? new byte[] {(byte) id}
                : concat(bytesOf(merges, (int) merges.get(id - BytePairEncoding.BYTES)[0]),
                        bytesOf(merges, (int) merges.get(id - BytePairEncoding.BYTES)[1]));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
