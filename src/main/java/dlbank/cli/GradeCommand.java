package dlbank.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.UserException;
import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.interview.Evidence;
import dlbank.interview.GradeReport;
import dlbank.interview.GradeResult;
import dlbank.interview.Grader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dlbank grade ID FILE|-}: one typed answer graded against the entry's key points and red flags. */
@Command(name = "grade", mixinStandardHelpOptions = true)
final class GradeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "FILE|-")
    String file;

    @Option(names = "--json")
    boolean json;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String language = languageOption.resolve();
        BankEntry entry = find(Bank.load(), id, language);
        String answer = read(file);
        if (answer.isBlank()) {
            throw UserException.input("error.grade.empty",
                    file.equals("-") ? dlbank.i18n.Messages.get("error.grade.stdin") : file);
        }
        // The sentence encoder loads on a second thread while this one builds the text analysers.
        Grader.preload(Grader.languageOf(answer, entry.language()));
        GradeResult result = new Grader(language).grade(entry, answer);
        List<Evidence> evidence = Evidence.latest(entry);
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(GradeReport.toMap(result, evidence)));
        } else {
            out.println(entry.id() + " · " + entry.title());
            out.print(GradeReport.text(result, evidence));
        }
        out.flush();
        return 0;
    }

    static BankEntry find(Bank bank, String id, String language) {
        return bank.find(id, language).orElseThrow(() -> UserException.usage(
                "error.show.unknown", id, bank.ids().size()));
    }

    private static String read(String file) throws IOException {
        if (file.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw UserException.input("error.grade.no-file", file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw UserException.input("error.grade.not-utf8", file);
        } catch (IOException e) {
            throw UserException.input("error.grade.unreadable", file, UserException.reason(e), e);
        }
    }
}
