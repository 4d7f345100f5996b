package dlbank.interview;

import dlbank.UserException;
import dlbank.bank.BankEntry;
import dlbank.bank.LeitnerSchedule;
import dlbank.bank.QuizState;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One mock interview: ask each question, read the typed answer (several lines, ended by a line
 * holding only "." or by the end of input), grade it as {@code dlbank grade} does, ask one of the
 * entry's follow-ups and grade that against the follow-up's own points. At the end: a summary per
 * question and per topic, the transcript saved as Markdown, and every question scored under
 * {@link #BOX_ONE_BELOW} sent back to box 1 of the quiz.
 */
public final class InterviewSession {

    /** Questions scored under this go back to box 1 of the quiz. */
    public static final int BOX_ONE_BELOW = 50;

    /** A question to ask and the follow-up to ask after it (null if the entry has none). */
    public record Question(BankEntry entry, FollowUp followUp) {}

    /** A question as it went; the follow-up fields are null when it was not asked or answered. */
    public record Answered(BankEntry entry, String answer, GradeResult grade, FollowUp followUp,
                           String followUpAnswer, GradeResult followUpGrade) {}

    /** The whole interview: what was answered, where the transcript went, which cards went to box 1. */
    public record Summary(List<Answered> answered, Path transcript, List<String> toBoxOne) {}

    private final List<Question> questions;
    private final BufferedReader in;
    private final PrintWriter out;
    private final boolean echo;
    private final boolean zh;
    private boolean inputEnded;

    /**
     * @param echo repeat the answer's lines in the output: piped input is not echoed by a terminal,
     *     so without this the output would show the grades of answers it never showed
     */
    public InterviewSession(List<Question> questions, BufferedReader in, PrintWriter out, boolean echo) {
        this.questions = questions;
        this.in = in;
        this.out = out;
        this.echo = echo;
        this.zh = !questions.isEmpty() && questions.get(0).entry().language().equals("zh");
    }

    /**
     * Concept questions and one programming task (asked last), drawn by the seed from the given
     * entries; the follow-up of each is drawn from those that have key points.
     */
    public static List<Question> pick(List<BankEntry> entries, int count, long seed) {
        Random random = new Random(seed);
        List<BankEntry> concepts = new ArrayList<>(entries.stream().filter(entry -> entry.part() == 1).toList());
        List<BankEntry> tasks = new ArrayList<>(entries.stream().filter(entry -> entry.part() == 2).toList());
        Collections.shuffle(concepts, random);
        Collections.shuffle(tasks, random);
        int taskCount = tasks.isEmpty() ? 0 : concepts.isEmpty() ? Math.min(count, tasks.size()) : 1;
        List<BankEntry> chosen = new ArrayList<>(concepts.subList(0, Math.min(count - taskCount, concepts.size())));
        chosen.addAll(tasks.subList(0, taskCount));
        List<Question> questions = new ArrayList<>();
        for (BankEntry entry : chosen) {
            List<FollowUp> followUps = KeyPoints.of(entry).followUps();
            questions.add(new Question(entry, followUps.isEmpty() ? null : followUps.get(random.nextInt(followUps.size()))));
        }
        return questions;
    }

    /** Runs the interview; saves the transcript in {@code interviews} and updates {@code quizState}. */
    public Summary run(Path interviews, Path quizState, String header) {
        Grader grader = new Grader(zh ? "zh" : "en");
        Grader.preload(zh ? "zh" : "en"); // the models load while the first answer is typed (answers in the other language load theirs then)
        List<Answered> answered = new ArrayList<>();
        out.println(header);
        out.println(zh ? "每个回答可以写多行，以单独一行“.”结束（或输入结束）。" : "Answers may take several lines; end each with a line holding only \".\" (or the end of input).");
        for (int i = 0; i < questions.size() && !inputEnded; i++) {
            Question question = questions.get(i);
            BankEntry entry = question.entry();
            out.printf("%n[%d/%d] %s · %s%n%s%n", i + 1, questions.size(), entry.id(), entry.topic(), entry.title());
            String answer = readAnswer();
            if (answer == null) {
                break;
            }
            GradeResult grade = grader.grade(entry, answer);
            out.print(GradeReport.text(grade, Evidence.latest(entry)));
            FollowUp followUp = inputEnded ? null : question.followUp();
            String followUpAnswer = null;
            GradeResult followUpGrade = null;
            if (followUp != null) {
                out.printf("%n%s%s%n", zh ? "追问：" : "Follow-up: ", followUp.question());
                followUpAnswer = readAnswer();
                if (followUpAnswer != null) {
                    followUpGrade = grader.gradeFollowUp(entry, followUp, followUpAnswer);
                    out.print(GradeReport.text(followUpGrade, List.of()));
                }
            }
            answered.add(new Answered(entry, answer, grade, followUpGrade == null ? null : followUp, followUpAnswer, followUpGrade));
            out.flush();
        }
        if (answered.isEmpty()) {
            throw UserException.input("error.interview.no-answer");
        }
        List<String> toBoxOne = sendLowScoresToBoxOne(answered, quizState);
        Path transcript = InterviewTranscript.save(interviews, header, answered);
        out.println();
        out.print(InterviewTranscript.summary(answered, zh));
        out.println();
        if (!toBoxOne.isEmpty()) {
            out.println((zh ? "低于 " + BOX_ONE_BELOW + " 分，放回测验的第 1 盒：" : "Scored under " + BOX_ONE_BELOW
                    + ", back to box 1 of the quiz: ") + String.join(", ", toBoxOne));
        }
        out.println((zh ? "记录已保存：" : "Transcript saved: ") + transcript);
        out.flush();
        return new Summary(answered, transcript, toBoxOne);
    }

    private List<String> sendLowScoresToBoxOne(List<Answered> answered, Path quizState) {
        List<String> low = answered.stream().filter(item -> item.grade().score() < BOX_ONE_BELOW)
                .map(item -> item.entry().id()).distinct().toList();
        if (!low.isEmpty()) {
            LeitnerSchedule schedule = QuizState.read(quizState);
            low.forEach(id -> schedule.answer(id, false)); // "did not know it": box 1, due in the next quiz
            QuizState.write(quizState, schedule);
        }
        return low;
    }

    /** The lines up to a lone "." (or the end of input); null if the input had already ended. */
    private String readAnswer() {
        out.print(zh ? "你的回答 > " : "Your answer > ");
        out.flush();
        List<String> lines = new ArrayList<>();
        try {
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    inputEnded = true;
                    break;
                }
                if (line.strip().equals(".")) {
                    break;
                }
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (echo) {
            out.println();
            lines.forEach(line -> out.println("  > " + line));
        }
        if (lines.isEmpty() && inputEnded) {
            return null;
        }
        return String.join("\n", lines);
    }
}
