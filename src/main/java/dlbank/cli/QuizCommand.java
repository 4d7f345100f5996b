package dlbank.cli;

import dlbank.UserException;
import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.bank.QuizSession;
import dlbank.bank.TerminalMarkdown;
import dlbank.data.DlbankHome;
import dlbank.i18n.ConsoleEncoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dlbank quiz}: spaced repetition over the bank with Leitner boxes in ~/.dlbank/quiz.json. */
@Command(name = "quiz", mixinStandardHelpOptions = true)
final class QuizCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", paramLabel = "T")
    String topic;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() {
        String language = languageOption.resolve();
        List<BankEntry> all = Bank.load().entries(language);
        List<BankEntry> entries = topic == null ? all
                : all.stream().filter(entry -> entry.topic().equalsIgnoreCase(topic)).toList();
        if (entries.isEmpty()) {
            throw UserException.usage("error.quiz.topic", topic,
                    String.join(", ", all.stream().map(BankEntry::topic).distinct().toList()));
        }
        TerminalMarkdown renderer = new TerminalMarkdown(Terminal.width(), Terminal.interactive());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, ConsoleEncoding.charset()));
        java.nio.file.Path stateFile = DlbankHome.path().resolve("quiz.json");
        java.io.PrintWriter err = spec.commandLine().getErr();
        // An unreadable state is set aside here, with its warning on the error stream, before the session reads it.
        dlbank.bank.QuizState.read(stateFile, warning -> {
            err.println("dlbank: " + warning);
            err.flush();
        });
        new QuizSession(entries, stateFile, in, spec.commandLine().getOut(), renderer::render,
                System.console() == null).run();
        return 0;
    }
}
