package dlbank.cli;

import dlbank.TestSupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Runs the command line in-process, with runs/ and the dlbank home moved into a test folder. */
final class Cli {

    /** Exit code and the two output streams of one command. */
    record Outcome(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\n"));
        }
    }

    private Cli() {}

    static void isolateIn(Path home) {
        TestSupport.configureEngine();
        System.setProperty("dlbank.runs", home.resolve("runs").toString());
        System.setProperty("dlbank.home", home.resolve("dlbank-home").toString());
    }

    static void restore() {
        System.clearProperty("dlbank.runs");
        System.clearProperty("dlbank.home");
    }

    static Outcome dlbank(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DlbankCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }
}
