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
@Command(name = "interview", mixinStandardHelpOptions = true)
final class InterviewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--questions", paramLabel = "N", defaultValue = "5")
    int questions;

    @Option(names = "--topic", paramLabel = "T")
    String topic;

    @Option(names = "--seed", paramLabel = "S")
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
            throw UserException.usage("error.interview.topic", topic, String.join(", ", all.stream().map(BankEntry::topic).distinct().toList()));
        }
        if (questions < 1 || questions > all.size()) {
            throw UserException.usage("error.interview.questions", questions, all.size());
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
