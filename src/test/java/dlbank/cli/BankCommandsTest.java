package dlbank.cli;

import dlbank.bank.LeitnerSchedule;
import dlbank.bank.QuizState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** list, show, search and quiz as a user runs them. */
class BankCommandsTest {

    @TempDir
    static Path home;

    @BeforeAll
    static void isolate() {
        Cli.isolateIn(home);
    }

    @AfterAll
    static void restore() {
        Cli.restore();
    }

    private static String[] dlbank(String... args) {
        Cli.Outcome outcome = Cli.dlbank(args);
        return new String[] {Integer.toString(outcome.exitCode()), outcome.out(), outcome.err()};
    }

    @Test
    void listGroupsTheEntriesByPartAndNamesTheRunnableExperiments() {
        String[] result = dlbank("list", "--lang", "en");
        assertThat(result[0]).isEqualTo("0");
        // The id columns are as wide as the longest id (at least 30 for the entries).
        int idWidth = Math.max(30, dlbank.bank.Bank.load().ids().stream().mapToInt(String::length).max().orElse(0));
        int experimentWidth = dlbank.experiment.ExperimentRegistry.all().stream().mapToInt(e -> e.id().length()).max().orElse(0);
        assertThat(result[1]).contains("Part 1: concept questions").contains("Part 2: programming tasks")
                .contains(String.format("%4d  %-" + idWidth + "s ○   Write a small neural network",
                        dlbank.bank.Bank.load().ids().indexOf("task/and-gate") + 1, "task/and-gate"))
                .contains(String.format("  %-" + experimentWidth + "s the specified CNN on MNIST", "task/mnist-cnn"));
    }

    @Test
    void showRendersTheAnswerAndSaysWhichExperimentsHaveNoRunYet() {
        String[] result = dlbank("show", "concept/cnn", "--lang", "en");
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).contains("What is a convolutional neural network (CNN) and how does it work?").contains("Short answer\n============")
                .contains("Measured on this machine").contains("lab/cnn: no saved run yet.")
                .doesNotContain("**").doesNotContain("```");
        String[] zh = dlbank("show", "concept/evaluation", "--lang", "zh");
        assertThat(zh[1]).contains("简答").contains("task/mnist-cnn：还没有运行记录");
        String[] missing = dlbank("show", "concept/quantum");
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2].strip()).isEqualTo("dlbank: no entry 'concept/quantum' in the bank; 'dlbank list' shows the "
                + dlbank.bank.Bank.load().ids().size() + " entries");
    }

    @Test
    void searchFindsRegularizationByChineseAndByEnglish() {
        assertThat(dlbank("search", "正则化")[1]).contains("concept/regularization");
        assertThat(dlbank("search", "dropout")[1]).contains("concept/regularization");
        String[] none = dlbank("search", "blockchain");
        assertThat(none[0]).isEqualTo("1");
        assertThat(none[1]).contains("No entry contains \"blockchain\"");
    }

    @Test
    void quizReadsPipedAnswersAndUpdatesQuizJson() throws Exception {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("y\nn\nq\n".getBytes(StandardCharsets.UTF_8)));
            String[] result = dlbank("quiz", "--lang", "en", "--topic", "training");
            assertThat(result[0]).isEqualTo("0");
            assertThat(result[1]).contains("[1/").contains("Answered 1, knew 0");
        } finally {
            System.setIn(stdin);
        }
        LeitnerSchedule saved = QuizState.read(home.resolve("dlbank-home/quiz.json"));
        assertThat(saved.session()).isEqualTo(1);
        // The first entry of topic "training" in the bank's order.
        assertThat(saved.card("concept/initialization").seen()).isEqualTo(1);
        assertThat(saved.card("concept/initialization").box()).isEqualTo(1);
        assertThat(dlbank("quiz", "--topic", "astrology")[2]).contains("no questions with topic 'astrology'");
    }
}
