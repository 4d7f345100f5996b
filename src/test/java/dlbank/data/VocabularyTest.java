package dlbank.data;

import dlbank.TestSupport;
import dlbank.UserException;
import dlbank.data.Vocabulary.Truncation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocabularyTest {

    /** the ×3; cat, sat ×2 (a tie); a, dog, café ×1 (a tie of three). */
    private static final List<List<String>> CORPUS = List.of(
            List.of("the", "cat", "sat"),
            List.of("the", "dog", "sat", "café"),
            List.of("a", "cat", "the"));

    @Test
    void reservesIdsZeroAndOneForPaddingAndUnknown() {
        Vocabulary vocabulary = Vocabulary.build(CORPUS, 10);
        assertThat(vocabulary.size()).isEqualTo(6 + 2);
        assertThat(vocabulary.word(Vocabulary.PADDING)).isEqualTo("<pad>");
        assertThat(vocabulary.word(Vocabulary.UNKNOWN)).isEqualTo("<unk>");
        assertThat(vocabulary.idOf("<pad>")).as("the name of a reserved id is no word").isEqualTo(Vocabulary.UNKNOWN);
        assertThat(vocabulary.idOf("zebra")).isEqualTo(Vocabulary.UNKNOWN);
        assertThatThrownBy(() -> vocabulary.word(8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByFrequencyThenAlphabetically() {
        Vocabulary vocabulary = Vocabulary.build(CORPUS, 10);
        assertThat(List.of(2, 3, 4, 5, 6, 7)).extracting(vocabulary::word)
                .containsExactly("the", "cat", "sat", "a", "café", "dog");

        Vocabulary capped = Vocabulary.build(List.of(CORPUS.get(2), CORPUS.get(1), CORPUS.get(0)), 4);
        assertThat(capped.size()).isEqualTo(6);
        assertThat(List.of("the", "cat", "sat", "a", "café", "dog")).extracting(capped::idOf)
                .as("the text order does not matter; words beyond the cap are unknown")
                .containsExactly(2, 3, 4, 5, 1, 1);
    }

    @Test
    void knowsOnlyWordsOfTheTrainingReviews() {
        ImdbSplit split = ImdbSplit.load(TestSupport.fixtureHome(), line -> { });
        List<List<String>> trainTokens = split.train().stream().map(r -> TextTokenizer.tokenize(r.text())).toList();
        Set<String> trainWords = new HashSet<>();
        trainTokens.forEach(trainWords::addAll);
        Vocabulary vocabulary = Vocabulary.build(trainTokens, 1_000_000);

        assertThat(vocabulary.size()).isEqualTo(trainWords.size() + 2);
        List<String> testOnly = split.test().stream().flatMap(r -> TextTokenizer.tokenize(r.text()).stream())
                .filter(word -> !trainWords.contains(word)).distinct().toList();
        assertThat(testOnly).hasSizeGreaterThan(100);
        assertThat(testOnly).allMatch(word -> vocabulary.idOf(word) == Vocabulary.UNKNOWN);
        assertThat(trainWords).allMatch(word -> vocabulary.idOf(word) != Vocabulary.UNKNOWN);
        assertThat(Vocabulary.build(trainTokens, Vocabulary.DEFAULT_MAX_WORDS).word(2)).isEqualTo("the");
    }

    @Test
    void encodesToExactlyTheLengthWithPaddingAtTheEnd() {
        Vocabulary vocabulary = Vocabulary.build(CORPUS, 10);
        int[] ids = vocabulary.encode(List.of("the", "cat", "zebra"), 5, Truncation.KEEP_FIRST);
        assertThat(ids).containsExactly(2, 3, 1, 0, 0);
        assertThat(Vocabulary.realLength(ids)).isEqualTo(3);
        assertThat(vocabulary.encode(List.of("the", "cat", "zebra"), 5, Truncation.KEEP_LAST))
                .as("a short review is the same either way").containsExactly(2, 3, 1, 0, 0);
        assertThat(vocabulary.encode(List.of(), 3, Truncation.KEEP_LAST)).containsExactly(0, 0, 0);
        assertThat(Vocabulary.realLength(new int[] {0, 0, 0})).isZero();
    }

    @Test
    void truncatesKeepingTheFirstOrTheLastTokens() {
        Vocabulary vocabulary = Vocabulary.build(CORPUS, 10);
        List<String> review = List.of("a", "cat", "sat", "the", "dog");
        int[] first = vocabulary.encode(review, 3, Truncation.KEEP_FIRST);
        int[] last = vocabulary.encode(review, 3, Truncation.KEEP_LAST);
        assertThat(first).containsExactly(5, 3, 4);
        assertThat(last).containsExactly(4, 2, 7);
        assertThat(Vocabulary.realLength(last)).isEqualTo(3);
        assertThat(vocabulary.encode(review, 5, Truncation.KEEP_LAST)).containsExactly(5, 3, 4, 2, 7);
    }

    @Test
    void savesAndLoadsTheSameIds(@TempDir Path dir) throws IOException {
        ImdbSplit split = ImdbSplit.load(TestSupport.fixtureHome(), line -> { });
        Vocabulary vocabulary = Vocabulary.build(
                split.train().stream().map(r -> TextTokenizer.tokenize(r.text())).toList(), 1_000);
        Path file = dir.resolve("vocabulary.txt");
        vocabulary.save(file);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0))
                .isEqualTo("# dlbank vocabulary, format 1, 1000 words (ids 2..1001; 0 = padding, 1 = unknown)");
        assertThat(lines).hasSize(1 + 1000);
        assertThat(lines.get(1)).isEqualTo("the");
        Vocabulary loaded = Vocabulary.load(file);
        assertThat(loaded.size()).isEqualTo(vocabulary.size());
        for (int id = 0; id < vocabulary.size(); id++) {
            assertThat(loaded.word(id)).isEqualTo(vocabulary.word(id));
            assertThat(loaded.idOf(vocabulary.word(id))).isEqualTo(id < 2 ? Vocabulary.UNKNOWN : id);
        }
        Vocabulary.build(CORPUS, 10).save(file);
        assertThat(Vocabulary.load(file).idOf("café")).as("UTF-8").isEqualTo(6);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void aFileThatIsNoVocabularyFailsWithOneLine(@TempDir Path dir) throws IOException {
        String header = "# dlbank vocabulary, format 1, 2 words\n";
        assertThat(failure(dir, "the\nand\n".getBytes(StandardCharsets.UTF_8)))
                .contains("not a dlbank vocabulary file");
        assertThat(failure(dir, new byte[0])).contains("not a dlbank vocabulary file");
        assertThat(failure(dir, new byte[] {(byte) 0x1f, (byte) 0x8b, (byte) 0xff, 0}))
                .contains("not a dlbank vocabulary file (not UTF-8 text)");
        assertThat(failure(dir, Files.readAllBytes(TestSupport.FIXTURES.resolve("imdb/reviews.json"))))
                .contains("not a dlbank vocabulary file");
        assertThat(failure(dir, (header + "the\n").getBytes(StandardCharsets.UTF_8)))
                .contains("the header announces 2 words but 1 follow");
        assertThat(failure(dir, (header + "the\nthe\n").getBytes(StandardCharsets.UTF_8)))
                .contains("corrupt vocabulary (\"the\" twice)");
        assertThat(failure(dir, (header + "the\n\n").getBytes(StandardCharsets.UTF_8)))
                .contains("corrupt vocabulary (not a word: \"\")");
        assertThat(failure(dir, "# dlbank vocabulary, format 2, 0 words\n".getBytes(StandardCharsets.UTF_8)))
                .contains("vocabulary format 2, this dlbank reads format 1");

        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> Vocabulary.load(missing)).isInstanceOf(UserException.class)
                .hasMessage(missing + ": no such file");
    }

    private static String failure(Path dir, byte[] content) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "vocabulary", ".txt"), content);
        try {
            Vocabulary.load(file);
        } catch (UserException e) {
            assertThat(e.exitCode()).isEqualTo(UserException.INPUT);
            assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted " + new String(content, StandardCharsets.UTF_8));
    }
}
