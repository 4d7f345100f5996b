package dlbank.data;

import dlbank.UserException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a package client (npm, apt-get, dpkg-deb, tar) and turns its failure into one line. */
final class ExternalCommand {

    private ExternalCommand() {}

    /** The command's combined output and exit code. */
    record Outcome(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The last non-empty line of the output, for a one-line error. */
        String lastLine() {
            String[] lines = output.strip().split("\\R");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        }
    }

    static Outcome run(Path workingDir, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Outcome(process.waitFor(), output);
        } catch (IOException e) {
            throw UserException.unavailable("error.external.cannot-run", command.get(0), UserException.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserException.unavailable("error.external.interrupted", command.get(0));
        }
    }

    /** Runs the command and fails with its last output line when it exits non-zero. */
    static Outcome runOrFail(Path workingDir, List<String> command, String what) {
        Outcome outcome = run(workingDir, command);
        if (!outcome.ok()) {
            throw UserException.unavailable("error.external.failed", what, String.join(" ", command),
                    outcome.exitCode(), outcome.lastLine());
        }
        return outcome;
    }
}
