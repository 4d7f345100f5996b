package dlbank.cli;

import ai.djl.engine.EngineException;
import dlbank.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The root command: the subcommands, the options they all share, and how errors reach the user. */
@Command(name = "dlbank", mixinStandardHelpOptions = true, version = "dlbank 0.1.0",
        description = "A deep-learning interview question bank whose every answer runs.",
        subcommands = {ListCommand.class, ShowCommand.class, SearchCommand.class, QuizCommand.class,
                GradeCommand.class, InterviewCommand.class,
                RunCommand.class, PredictCommand.class, BenchCommand.class, DataCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class DlbankCommand implements Runnable {

    /** Exit code of an unexpected failure (a bug): the message says to rerun with --verbose. */
    public static final int INTERNAL = 70;

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show engine log lines and stack traces.")
    boolean verbose;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Data sets folder (default: $DLBANK_HOME/data or ~/.dlbank/data). "
                    + "Holds <set>/ folders, or your own standard files (IDX raw or .gz).")
    Path dataDir;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code; output goes to the given writers. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        DlbankCommand root = new DlbankCommand();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) ->
                report(exception, err, root.verbose));
        commandLine.setParameterExceptionHandler((exception, parsed) -> {
            String help = exception.getCommandLine().getCommandSpec().qualifiedName();
            String suggestion = "";
            if (exception instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getSuggestions().isEmpty()) {
                suggestion = " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
            }
            err.println("dlbank: " + exception.getMessage() + suggestion + "; see '" + help + " --help'");
            err.flush();
            return UserException.USAGE;
        });
        return commandLine.execute(args);
    }

    /** One line for the user; the stack trace only with --verbose. */
    static int report(Exception exception, PrintWriter err, boolean verbose) {
        Throwable cause = exception;
        while (!(cause instanceof UserException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        int code;
        if (cause instanceof UserException user) {
            err.println("dlbank: " + user.getMessage());
            code = user.exitCode();
        } else if (exception instanceof EngineException) {
            err.println("dlbank: the PyTorch engine failed to start: " + exception.getMessage());
            code = INTERNAL;
        } else if (exception instanceof UncheckedIOException io) {
            err.println("dlbank: " + io.getMessage());
            code = UserException.INPUT;
        } else {
            err.println("dlbank: internal error: " + exception + " (run again with --verbose for the stack trace)");
            code = INTERNAL;
        }
        if (verbose) {
            exception.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The data home the user chose, or the default. */
    dlbank.data.DataHome dataHome() {
        return dlbank.data.DataHome.resolve(dataDir);
    }
}
