package dlbank;

import dlbank.cli.DlbankCommand;
import dlbank.i18n.ConsoleEncoding;

/**
 * Entry point: sets the output encoding, configures the engine and logging before any DJL class
 * loads, then runs the CLI.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // Before anything prints: Chinese text must not become "?" under LANG=C or an uninstalled locale.
        ConsoleEncoding.install();
        String[] arguments = ConsoleEncoding.arguments(args);
        configureRuntime(hasVerboseFlag(arguments));
        int exitCode = DlbankCommand.execute(arguments, ConsoleEncoding.writer(System.out), ConsoleEncoding.writer(System.err));
        System.exit(exitCode);
    }

    /**
     * Sets the system properties that DJL and SLF4J read once, at class-loading time.
     * Must run before the first DJL class is touched; tests call it too.
     */
    public static void configureRuntime(boolean verbose) {
        System.setProperty("java.awt.headless", "true");
        // No machine here downloads anything at run time: natives come from the classifier jar.
        setIfAbsent("ai.djl.offline", "true");
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        setIfAbsent("ai.djl.pytorch.num_threads", cores);
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        // DJL's engine lines (thread counts, native paths) stay out of the user's terminal.
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "error");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static boolean hasVerboseFlag(String[] args) {
        for (String arg : args) {
            if (arg.equals("--verbose") || arg.equals("-v")) {
                return true;
            }
            if (arg.equals("--")) {
                break;
            }
        }
        return false;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
