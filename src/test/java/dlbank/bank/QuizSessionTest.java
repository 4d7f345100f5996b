package dlbank.bank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class QuizSessionTest {

    private final Bank bank = Bank.load();

    @Test
    void pipedAnswersMoveCardsAndAreSavedAfterEachAnswer(@TempDir Path dir) {
        Path state = dir.resolve("quiz.json");
        StringWriter out = new StringWriter();
        // Enter, "knew it"; Enter, "did not"; then quit at the third question.
        QuizSession session = new QuizSession(bank.entries("en"), state,
                new BufferedReader(new StringReader("\ny\n\nn\nq\n")), new PrintWriter(out), text -> text + "\n");
        QuizSession.Summary summary = session.run();
        assertThat(summary).isEqualTo(new QuizSession.Summary(2, 1));
        assertThat(out.toString()).contains("What is deep learning").contains("-> box 2").contains("-> box 1");
        LeitnerSchedule saved = QuizState.read(state);
        assertThat(saved.card("concept/deep-learning").box()).isEqualTo(2);
        assertThat(saved.card("concept/activations").box()).isEqualTo(1);
        assertThat(saved.card("concept/activations").seen()).isEqualTo(1);
    }

    @Test
    void endOfInputEndsCleanlyAndUnclearAnswersAreAskedAgain(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        QuizSession session = new QuizSession(bank.entries("zh"), dir.resolve("quiz.json"),
                new BufferedReader(new StringReader("\nmaybe\ny\n")), new PrintWriter(out), text -> text + "\n");
        assertThat(session.run()).isEqualTo(new QuizSession.Summary(1, 1));
        assertThat(out.toString()).contains("请输入 y、n 或 q。").contains("本轮答了 1 题");
    }
}
