package dlbank.cli;

import dlbank.UserException;
import dlbank.bank.Bank;
import dlbank.bank.QuizState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dlbank interview} with piped input, as a user runs it. */
class InterviewCommandTest {

    @TempDir
    Path home;

    private InputStream savedIn;

    @BeforeEach
    void isolate() {
        Cli.isolateIn(home);
        savedIn = System.in;
    }

    @AfterEach
    void restore() {
        System.setIn(savedIn);
        Cli.restore();
    }

    @Test
    void aFiveQuestionPipedInterview() throws Exception {
        // Ten answers: each question and its follow-up; short, partly wrong answers.
        String answers = String.join("\n", List.of(
                "Weights are shared and a filter slides over the image.", ".",
                "Not sure.", ".",
                "It uses the chain rule layer by layer.", ".",
                ".",
                "Adam combines SGD and momentum.", ".",
                "I don't know.", ".",
                "Dropout and L2.", ".",
                ".",
                "AND is linearly separable so one neuron with a sigmoid is enough; check the truth table.", ".",
                "."));
        System.setIn(new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)));
        Cli.Outcome outcome = Cli.dlbank("interview", "--questions", "5", "--seed", "42", "--lang", "en");
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("dlbank mock interview: 5 questions, seed 42", "[1/5]", "[5/5] task/",
                "Follow-up: ", "Summary", "By topic", "Overall mean", "back to box 1 of the quiz", "Transcript saved: ");
        Path interviews = home.resolve("dlbank-home/interviews");
        try (Stream<Path> files = Files.list(interviews)) {
            assertThat(files.toList()).singleElement().satisfies(file -> assertThat(Files.readString(file)).contains("## Summary"));
        }
        assertThat(QuizState.read(home.resolve("dlbank-home/quiz.json")).cards()).isNotEmpty()
                .allSatisfy((id, card) -> assertThat(card.box()).isEqualTo(1));
    }

    @Test
    void theSameSeedAsksTheSameQuestions() {
        System.setIn(new ByteArrayInputStream(".\n.\n".getBytes(StandardCharsets.UTF_8)));
        String first = Cli.dlbank("interview", "--questions", "1", "--seed", "9", "--lang", "en").out();
        System.setIn(new ByteArrayInputStream(".\n.\n".getBytes(StandardCharsets.UTF_8)));
        String second = Cli.dlbank("interview", "--questions", "1", "--seed", "9", "--lang", "en").out();
        assertThat(first.lines().filter(line -> line.startsWith("[1/1]")).toList())
                .isEqualTo(second.lines().filter(line -> line.startsWith("[1/1]")).toList()).hasSize(1);
    }

    @Test
    void userErrorsAreOneLine() {
        System.setIn(new ByteArrayInputStream(new byte[0]));
        Cli.Outcome empty = Cli.dlbank("interview", "--seed", "1");
        assertThat(empty.exitCode()).isEqualTo(UserException.INPUT);
        assertThat(empty.errLines()).singleElement().asString().contains("no answer");

        Cli.Outcome topic = Cli.dlbank("interview", "--topic", "cooking");
        assertThat(topic.exitCode()).isEqualTo(UserException.USAGE);
        assertThat(topic.errLines()).singleElement().asString().contains("no questions with topic 'cooking'");

        Cli.Outcome count = Cli.dlbank("interview", "--questions", "0");
        assertThat(count.exitCode()).isEqualTo(UserException.USAGE);
        assertThat(count.errLines()).singleElement().asString().contains("between 1 and " + Bank.load().ids().size());
    }
}
