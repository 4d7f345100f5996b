package dlbank.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** dlbank.Main in a child JVM with this class path, so that a test can kill it with SIGKILL. */
final class ChildJvm {

    /** A running or finished child: its process and the files its output goes to. */
    record Child(Process process, Path out, Path err) {
        String outText() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String errText() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        int waitFor(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                kill9();
                throw new AssertionError("the child did not finish in " + seconds + " s");
            }
            return process.exitValue();
        }

        /** SIGKILL to the child's own children first (a stub npm's sleep), then to the child. */
        void kill9() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly(); // SIGKILL on Linux and macOS
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A property entry that keeps the test's dlbank.home away from the child: it falls back to its own. */
    static final String NO_DLBANK_HOME = "-Ddlbank.home=";

    private ChildJvm() {}

    /**
     * Starts {@code dlbank.Main args} with runs/ and the dlbank home under {@code home}, extra system
     * properties ({@code -Dkey=value}) and environment changes (a null value removes the variable).
     */
    static Child start(Path home, String name, List<String> properties, Map<String, String> environment,
                       String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-Xss4m"));
        if (properties.stream().noneMatch(p -> p.startsWith("-Ddlbank.runs="))) {
            command.add("-Ddlbank.runs=" + home.resolve("runs"));
        }
        if (properties.stream().noneMatch(p -> p.startsWith("-Ddlbank.home=")) && !environment.containsKey("DLBANK_HOME")) {
            command.add("-Ddlbank.home=" + home.resolve("dlbank-home"));
        }
        command.addAll(properties.stream().filter(p -> !p.equals(NO_DLBANK_HOME)).toList());
        command.add("dlbank.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().remove("LC_ALL");
        Files.createDirectories(home);
        Path out = home.resolve(name + ".out");
        Path err = home.resolve(name + ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        process.getOutputStream().write("q\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        return new Child(process, out, err);
    }
}
