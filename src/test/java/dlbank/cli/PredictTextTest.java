package dlbank.cli;

import dlbank.TestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code predict task/imdb-rnn}: texts typed on the command line or read from a file, and bad input. */
class PredictTextTest {

    @TempDir
    static Path home;

    @BeforeAll
    static void trainAQuickModel() {
        Cli.isolateIn(home);
        Cli.Outcome noModel = Cli.dlbank("predict", "task/imdb-rnn", "good");
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.err()).contains("no trained model of task/imdb-rnn");
        Cli.Outcome trained = Cli.dlbank("run", "task/imdb-rnn", "--quick", "--cell", "lstm",
                "--data-dir", TestSupport.FIXTURES.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
    }

    @AfterAll
    static void restore() {
        Cli.restore();
    }

    @Test
    void readsTypedSentencesIncludingOnesWithNoKnownWord() {
        Cli.Outcome outcome = Cli.dlbank("predict", "task/imdb-rnn", "One of the best films I have seen.",
                "qwxz zzyzx blorptastic");
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("model: ").contains("the newest model");
        assertThat(outcome.out().lines().filter(line -> line.matches("(positive|negative) +p\\(positive\\) = 0\\.\\d{3} .*")))
                .hasSize(2);
        assertThat(outcome.out()).contains("\"qwxz zzyzx blorptastic\"  (no word of it is in the vocabulary)");
    }

    @Test
    void readsAFileOfReviewsOneALine() throws IOException {
        Path file = Files.writeString(home.resolve("reviews.txt"), "Dreadful acting.\n\nA joy from start to end.\n");
        Cli.Outcome outcome = Cli.dlbank("predict", "task/imdb-rnn", "--file", file.toString());
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("\"Dreadful acting.\"").contains("\"A joy from start to end.\"");
    }

    @Test
    void emptyTextAndFilesThatAreNotTextAreOneLineAndExit3() throws IOException {
        Cli.Outcome empty = Cli.dlbank("predict", "task/imdb-rnn", "  ");
        assertThat(empty.exitCode()).isEqualTo(3);
        assertThat(empty.errLines()).containsExactly("dlbank: text 1 has no words to read (it is empty)");

        Path binary = Files.write(home.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2});
        Cli.Outcome notText = Cli.dlbank("predict", "task/imdb-rnn", "--file", binary.toString());
        assertThat(notText.exitCode()).isEqualTo(3);
        assertThat(notText.errLines()).containsExactly("dlbank: " + binary + ": not a UTF-8 text file");

        Path blank = Files.writeString(home.resolve("blank.txt"), "\n \n");
        assertThat(Cli.dlbank("predict", "task/imdb-rnn", "--file", blank.toString()).errLines())
                .containsExactly("dlbank: " + blank + ": holds no reviews (every line is empty)");

        Cli.Outcome nothing = Cli.dlbank("predict", "task/imdb-rnn");
        assertThat(nothing.exitCode()).isEqualTo(2);
    }
}
