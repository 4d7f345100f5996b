package dlbank.cli;

import ai.djl.engine.EngineException;
import dlbank.UserException;
import dlbank.i18n.Language;
import dlbank.i18n.Messages;
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
        subcommands = {ListCommand.class, ShowCommand.class, SearchCommand.class, QuizCommand.class,
                GradeCommand.class, InterviewCommand.class,
                RunCommand.class, PredictCommand.class, BenchCommand.class, DataCommand.class, DoctorCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class DlbankCommand implements Runnable {

    /** Exit code of an unexpected failure (a bug): the message says to rerun with --verbose. */
    public static final int INTERNAL = 70;

    @Spec
    CommandSpec spec;

    /** Help texts of every command, in English and Chinese: src/main/resources/dlbank/cli/help*.properties. */
    static final String HELP_BUNDLE = "dlbank.cli.help";

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT)
    boolean verbose;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR")
    Path dataDir;

    /**
     * Checked here; the language itself was chosen from the arguments before picocli built the help
     * (see {@link #execute}), so that the help and the parsing errors are in it too.
     */
    @Option(names = "--lang", scope = ScopeType.INHERIT, paramLabel = "zh|en")
    void setLanguage(String value) {
        if (value != null && !Language.isValid(value)) {
            throw new CommandLine.ParameterException(spec.commandLine(), Messages.get("error.lang", value));
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line and returns the exit code; output goes to the given writers. The language
     * (--lang anywhere in the arguments, else the locale) holds for the help, the errors and the output.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        String previous = Messages.language();
        Messages.use(languageOf(args));
        try {
            DlbankCommand root = new DlbankCommand();
            CommandLine commandLine = new CommandLine(root);
            commandLine.setResourceBundle(Messages.bundle(HELP_BUNDLE, Messages.language()));
            commandLine.setOut(out);
            commandLine.setErr(err);
            commandLine.setExecutionExceptionHandler((exception, failed, parseResult) ->
                    report(exception, err, root.verbose));
            commandLine.setParameterExceptionHandler((exception, parsed) -> {
                String help = exception.getCommandLine().getCommandSpec().qualifiedName();
                String suggestion = "";
                if (exception instanceof CommandLine.UnmatchedArgumentException unmatched
                        && !unmatched.getSuggestions().isEmpty()) {
                    suggestion = Messages.get("error.parameter.suggestion",
                            String.join(Messages.get("error.parameter.or"), unmatched.getSuggestions()));
                }
                err.println("dlbank: " + Messages.get("error.parameter", describe(exception), suggestion, help));
                err.flush();
                return UserException.USAGE;
            });
            return commandLine.execute(args);
        } finally {
            Messages.use(previous);
        }
    }

    /** The language of this command line: its --lang (before any "--") if valid, else the locale's. */
    static String languageOf(String[] args) {
        String option = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--lang") && i + 1 < args.length) {
                option = args[i + 1];
            } else if (args[i].startsWith("--lang=")) {
                option = args[i].substring("--lang=".length());
            }
        }
        return Language.resolve(option != null && Language.isValid(option) ? option : null);
    }

    /**
     * Picocli's message about bad arguments; in Chinese for the common ones (unknown option, extra
     * argument, missing parameter, a value of the wrong type), picocli's English for the rest.
     */
    private static String describe(CommandLine.ParameterException exception) {
        if (!Messages.chinese()) {
            return exception.getMessage();
        }
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched) {
            String arguments = "'" + String.join("', '", unmatched.getUnmatched()) + "'";
            return Messages.get(unmatched.isUnknownOption() ? "error.parameter.unknown-option" : "error.parameter.unmatched",
                    arguments);
        }
        if (exception instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
            CommandLine.Model.ArgSpec first = missing.getMissing().get(0);
            if (first.isOption() && exception.getMessage().contains("for option")) {
                return Messages.get("error.parameter.missing-value",
                        "'" + ((CommandLine.Model.OptionSpec) first).longestName() + "'");
            }
            return Messages.get("error.parameter.missing", String.join(", ", missing.getMissing().stream()
                    .map(arg -> "'" + (arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel())
                            + "'").toList()));
        }
        if (exception.getClass() == CommandLine.ParameterException.class && exception.getArgSpec() != null
                && exception.getValue() != null && String.valueOf(exception.getMessage()).startsWith("Invalid value")) {
            CommandLine.Model.ArgSpec arg = exception.getArgSpec();
            return Messages.get("error.parameter.invalid-value", "'" + (arg.isOption()
                    ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel()) + "'",
                    "'" + exception.getValue() + "'");
        }
        return exception.getMessage();
    }

    /** One line for the user; the stack trace only with --verbose. */
    static int report(Exception exception, PrintWriter err, boolean verbose) {
        Throwable cause = exception;
        while (!(cause instanceof UserException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        int code;
        if (cause instanceof UserException user) {
            err.println("dlbank: " + oneLine(user.getLocalizedMessage()));
            code = user.exitCode();
        } else if (exception instanceof EngineException) {
            err.println("dlbank: " + Messages.get("error.engine", exception.getMessage()));
            code = INTERNAL;
        } else if (exception instanceof UncheckedIOException io) {
            err.println("dlbank: " + oneLine(String.valueOf(io.getMessage())));
            code = UserException.INPUT;
        } else {
            err.println("dlbank: " + Messages.get("error.internal", exception));
            code = INTERNAL;
        }
        if (verbose) {
            exception.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** A message on one line, whatever its arguments hold (a library's multi-line message). */
    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The data home the user chose, or the default. */
    dlbank.data.DataHome dataHome() {
        if (dataDir != null && !java.nio.file.Files.isDirectory(dataDir)) {
            throw UserException.input("error.data-dir.missing", dataDir.toAbsolutePath().normalize());
        }
        return dlbank.data.DataHome.resolve(dataDir);
    }
}
