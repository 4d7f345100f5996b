package dlbank.interview;

import dlbank.UserException;
import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.bank.QuizState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A whole interview from piped text: questions, grades, follow-ups, summary, transcript, quiz boxes. */
class InterviewSessionTest {

    private static final Bank BANK = Bank.load();

    @Test
    void pickDrawsConceptQuestionsAndOneTaskLastReproducibly() {
        List<BankEntry> entries = BANK.entries("en");
        List<InterviewSession.Question> picked = InterviewSession.pick(entries, 5, 11);
        assertThat(picked).hasSize(5);
        assertThat(picked.subList(0, 4)).allMatch(question -> question.entry().part() == 1);
        assertThat(picked.get(4).entry().part()).isEqualTo(2);
        assertThat(picked).allMatch(question -> question.followUp() != null);
        assertThat(InterviewSession.pick(entries, 5, 11)).extracting(q -> q.entry().id())
                .isEqualTo(picked.stream().map(q -> q.entry().id()).toList());
    }

    @Test
    void aPipedInterviewRunsEndToEnd(@TempDir Path home) throws Exception {
        List<InterviewSession.Question> questions = InterviewSession.pick(BANK.entries("en"), 3, 5);
        StringBuilder input = new StringBuilder();
        // First question: the entry's own short answer, then its follow-up's own answer.
        input.append(questions.get(0).entry().shortAnswer()).append("\n.\n")
                .append(questions.get(0).followUp().answer()).append("\n.\n");
        // Second: a weak answer over two lines and an empty follow-up.
        input.append("I am not sure.\nSomething about layers.\n.\n.\n");
        // Third: the input ends in the middle of the answer; no follow-up is asked.
        input.append(questions.get(2).entry().shortAnswer());
        StringWriter out = new StringWriter();
        InterviewSession.Summary summary = new InterviewSession(questions, new BufferedReader(new StringReader(input.toString())),
                new PrintWriter(out), true).run(home.resolve("interviews"), home.resolve("quiz.json"), "test interview");

        assertThat(summary.answered()).hasSize(3);
        assertThat(summary.answered().get(0).grade().score()).isGreaterThanOrEqualTo(70);
        assertThat(summary.answered().get(0).followUpGrade().score()).isGreaterThanOrEqualTo(80);
        assertThat(summary.answered().get(1).grade().score()).isLessThan(InterviewSession.BOX_ONE_BELOW);
        assertThat(summary.answered().get(1).followUpGrade().score()).isZero();
        assertThat(summary.answered().get(2).grade().score()).isGreaterThanOrEqualTo(70);
        assertThat(summary.answered().get(2).followUp()).isNull();

        String printed = out.toString();
        assertThat(printed).contains("[1/3]", "[3/3]", "Follow-up: " + questions.get(0).followUp().question(),
                "  > I am not sure.", "Summary", "By topic", "Transcript saved: ");
        String secondId = questions.get(1).entry().id();
        assertThat(summary.toBoxOne()).containsExactly(secondId);
        assertThat(QuizState.read(home.resolve("quiz.json")).card(secondId).box()).isEqualTo(1);
        assertThat(QuizState.read(home.resolve("quiz.json")).cards()).containsOnlyKeys(secondId);

        assertThat(summary.transcript()).isRegularFile().hasParent(home.resolve("interviews"));
        assertThat(summary.transcript().getFileName().toString()).matches("\\d{8}-\\d{6}\\.md");
        String transcript = Files.readString(summary.transcript());
        assertThat(transcript).startsWith("# test interview").contains("> I am not sure.\n> Something about layers.",
                "### Follow-up: " + questions.get(0).followUp().question(), "## Summary");
    }

    @Test
    void chineseInterviewSpeaksChinese(@TempDir Path home) {
        List<InterviewSession.Question> questions = InterviewSession.pick(BANK.entries("zh"), 1, 3);
        String input = questions.get(0).entry().shortAnswer() + "\n.\n" + questions.get(0).followUp().answer() + "\n.\n";
        StringWriter out = new StringWriter();
        InterviewSession.Summary summary = new InterviewSession(questions, new BufferedReader(new StringReader(input)),
                new PrintWriter(out), false).run(home.resolve("interviews"), home.resolve("quiz.json"), "模拟面试");
        assertThat(summary.answered().get(0).grade().score()).isGreaterThanOrEqualTo(70);
        assertThat(out.toString()).contains("追问：", "已覆盖", "总结", "按主题", "记录已保存：");
        assertThat(summary.toBoxOne()).isEmpty();
    }

    @Test
    void noAnswerAtAllIsAnInputError(@TempDir Path home) {
        List<InterviewSession.Question> questions = InterviewSession.pick(BANK.entries("en"), 2, 1);
        InterviewSession session = new InterviewSession(questions, new BufferedReader(new StringReader("")),
                new PrintWriter(new StringWriter()), true);
        assertThatThrownBy(() -> session.run(home.resolve("interviews"), home.resolve("quiz.json"), "x"))
                .isInstanceOf(UserException.class).hasMessageContaining("no answer");
        assertThat(home.resolve("interviews")).doesNotExist();
    }
}
