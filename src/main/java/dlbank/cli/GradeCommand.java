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
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = {"Grade your answer to a question: the key points it covers (with your words that showed each), "
                + "the ones it misses (with the entry's sentence), the circulating mistakes it repeats, and the latest "
                + "measured evidence from runs/.",
                "Score: the covered share of the key points' weight (0-100), minus " + Grader.RED_FLAG_PENALTY
                        + " for each red flag (a wrong statement not negated), never below 0."})
final class GradeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Entry id (concept/cnn), its last part (cnn) or its number (5).")
    String id;

    @Parameters(index = "1", paramLabel = "FILE|-", description = "The answer: a UTF-8 text file, or - for standard input.")
    String file;

    @Option(names = "--json", description = "Print one JSON object: score, covered, missed, red_flags, evidence.")
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
            throw UserException.input((file.equals("-") ? "standard input" : file) + " holds no answer; write your answer "
                    + "there and grade it again");
        }
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
                "no entry '" + id + "' in the bank; 'dlbank list' shows the " + bank.ids().size() + " entries"));
    }

    private static String read(String file) throws IOException {
        if (file.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw UserException.input(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw UserException.input(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw UserException.input(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
