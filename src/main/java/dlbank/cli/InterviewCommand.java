package dlbank.cli;

import dlbank.UserException;
import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.data.DlbankHome;
import dlbank.interview.Grader;
import dlbank.interview.InterviewSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dlbank interview}: a mock interview with typed answers, graded as {@code dlbank grade} grades them. */
@Command(name = "interview", mixinStandardHelpOptions = true,
        description = {"A mock interview: concept questions and one programming task. Type each answer (several lines, "
                + "ended by a line holding only \".\"), see it graded against the entry's key points and red flags, then "
                + "answer one follow-up question. Works with piped input.",
                "At the end: a summary per question and topic; the transcript in $DLBANK_HOME/interviews/ "
                        + "(default ~/.dlbank/interviews/); questions scored under " + InterviewSession.BOX_ONE_BELOW
                        + " go back to box 1 of the quiz. Score as in 'dlbank grade': covered share of the key points, "
                        + "minus " + Grader.RED_FLAG_PENALTY + " per red flag."})
final class InterviewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--questions", paramLabel = "N", defaultValue = "5",
            description = "How many questions, the last a programming task (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--topic", paramLabel = "T", description = "Only questions of this topic, e.g. training.")
    String topic;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for drawing the questions and follow-ups "
            + "(default: a new one each time, printed so the interview can be repeated).")
    Long seed;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() {
        String language = languageOption.resolve();
        List<BankEntry> all = Bank.load().entries(language);
        List<BankEntry> entries = topic == null ? all
                : all.stream().filter(entry -> entry.topic().equalsIgnoreCase(topic)).toList();
        if (entries.isEmpty()) {
            throw UserException.usage("no questions with topic '" + topic + "'; topics: "
                    + String.join(", ", all.stream().map(BankEntry::topic).distinct().toList()));
        }
        if (questions < 1 || questions > all.size()) {
            throw UserException.usage("--questions " + questions + ": between 1 and " + all.size());
        }
        long drawn = seed != null ? seed : new java.util.Random().nextInt(1_000_000);
        List<InterviewSession.Question> picked = InterviewSession.pick(entries, questions, drawn);
        boolean zh = language.equals("zh");
        String header = zh ? String.format("dlbank 模拟面试：%d 道题，种子 %d（用 --seed %d 可重现）", picked.size(), drawn, drawn)
                : String.format("dlbank mock interview: %d questions, seed %d (repeat it with --seed %d)", picked.size(), drawn, drawn);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        new InterviewSession(picked, in, spec.commandLine().getOut(), System.console() == null)
                .run(DlbankHome.path().resolve("interviews"), DlbankHome.path().resolve("quiz.json"), header);
        return 0;
    }
}
