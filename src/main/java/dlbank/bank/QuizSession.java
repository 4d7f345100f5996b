package dlbank.bank;

import dlbank.i18n.Messages;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One sitting of the quiz: ask a question, wait for Enter, show the short answer, ask whether the
 * learner knew it, move the card between Leitner boxes and save the state after every answer (so an
 * interrupted quiz loses nothing). Ends on "q" or at the end of input.
 */
public final class QuizSession {

    /** How the sitting went. */
    public record Summary(int asked, int known) {}

    private final List<BankEntry> entries;
    private final Path stateFile;
    private final BufferedReader in;
    private final PrintWriter out;
    private final Function<String, String> render;
    private final String language;
    private final boolean echoNewlines;

    /**
     * @param entries the questions to draw from, in bank order (already filtered by topic)
     * @param render turns an answer's Markdown into terminal text
     */
    public QuizSession(List<BankEntry> entries, Path stateFile, BufferedReader in, PrintWriter out,
                       Function<String, String> render) {
        this(entries, stateFile, in, out, render, true);
    }

    /**
     * @param echoNewlines end the prompt's line after reading an answer: piped input is not echoed,
     *     so without this the next output would continue the prompt's line; a terminal echoes it
     */
    public QuizSession(List<BankEntry> entries, Path stateFile, BufferedReader in, PrintWriter out,
                       Function<String, String> render, boolean echoNewlines) {
        this.echoNewlines = echoNewlines;
        this.entries = entries;
        this.stateFile = stateFile;
        this.in = in;
        this.out = out;
        this.render = render;
        this.language = !entries.isEmpty() && entries.get(0).language().equals("zh") ? "zh" : "en";
    }

    public Summary run() {
        LeitnerSchedule schedule = QuizState.read(stateFile);
        schedule.startSession();
        QuizState.write(stateFile, schedule);
        List<String> queue = schedule.queue(entries.stream().map(BankEntry::id).toList());
        int asked = 0;
        int known = 0;
        for (String id : queue) {
            BankEntry entry = entries.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
            out.println();
            out.println(say("quiz.heading", asked + 1, queue.size(), entry.id(), schedule.card(id).box()));
            out.println(entry.title());
            out.print(say("quiz.think"));
            out.flush();
            String line = readLine();
            if (line == null || line.strip().equalsIgnoreCase("q")) {
                break;
            }
            out.println();
            out.print(render.apply(entry.shortAnswer()));
            out.println(say("quiz.in-depth", entry.id()));
            Boolean knew = askKnew();
            if (knew == null) {
                break;
            }
            LeitnerSchedule.Card card = schedule.answer(id, knew);
            QuizState.write(stateFile, schedule);
            asked++;
            known += knew ? 1 : 0;
            out.println(say("quiz.moved", card.box(), card.dueSession()));
        }
        out.println();
        out.println(say("quiz.done", asked, known, stateFile));
        out.flush();
        return new Summary(asked, known);
    }

    /** y or n; null for q or the end of input; asks again on anything else. */
    private Boolean askKnew() {
        while (true) {
            out.print(say("quiz.knew"));
            out.flush();
            String line = readLine();
            if (line == null) {
                return null;
            }
            String answer = line.strip().toLowerCase();
            switch (answer) {
                case "y", "yes", "是", "会" -> {
                    return true;
                }
                case "n", "no", "否", "不会" -> {
                    return false;
                }
                case "q", "quit" -> {
                    return null;
                }
                default -> out.println(say("quiz.again"));
            }
        }
    }

    /** A prompt in the language of the questions. */
    private String say(String key, Object... args) {
        return Messages.in(language, key, args);
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line != null && echoNewlines) {
                out.println();
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
