package dlbank.cli;

import dlbank.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 at random moments of a quick task/mnist-cnn run, each followed by {@code --resume}: the final
 * weights must equal, byte for byte, those of a run that was never interrupted. The suite kills it 5
 * times; {@code -Ddlbank.soak.kills=20 -Ddlbank.soak.epochs=30} is the full soak, run by hand.
 */
class SoakTest {

    private static final int KILLS = Integer.getInteger("dlbank.soak.kills", 5);
    private static final int EPOCHS = Integer.getInteger("dlbank.soak.epochs", 12);
    private static final long SEED = Long.getLong("dlbank.soak.seed", 2026L);
    /** A child's start before its first epoch (JVM, engine, data): about 1.5 s here. */
    private static final double STARTUP_SECONDS = 1.2;

    @TempDir
    Path home;

    @Test
    void killedAtRandomMomentsAndResumedEachTimeItEndsWithTheUninterruptedRunsWeights() throws Exception {
        String[] run = {"run", "task/mnist-cnn", "--quick", "--epochs", Integer.toString(EPOCHS),
                "--data-dir", TestSupport.FIXTURES.toString(), "--out"};
        long begin = System.nanoTime();
        ChildJvm.Child straight = ChildJvm.start(home, "straight", List.of(), Map.of(), with(run, home.resolve("straight")));
        assertThat(straight.waitFor(300)).as(straight.errText()).isZero();
        double straightSeconds = (System.nanoTime() - begin) / 1e9;

        Path soaked = home.resolve("soaked");
        Random random = new Random(SEED);
        List<String> kills = new ArrayList<>();
        ChildJvm.Child child = ChildJvm.start(home, "soak-0", List.of(), Map.of(), with(run, soaked));
        int attempt = 0;
        boolean finished = false;
        while (kills.size() < KILLS) {
            // A random moment of what is left of the process's life: engine start, data loading, an epoch, a
            // checkpoint; the bound stays below the life still ahead so that the kill lands.
            // Every other kill waits for the child's first epoch line, so that half of them land in training
            // (a uniform moment mostly lands in the JVM's start, which is longer than a quick epoch).
            int done = checkpointedEpochs(soaked);
            double epochSeconds = Math.max(0.1, (straightSeconds - STARTUP_SECONDS) / EPOCHS);
            boolean inTraining = kills.size() % 2 == 1;
            if (inTraining) {
                awaitEpochLine(child, 60);
            }
            double window = (inTraining ? 0 : STARTUP_SECONDS) + 0.8 * (EPOCHS - done - (inTraining ? 1 : 0)) * epochSeconds;
            long delay = (long) (random.nextDouble() * Math.max(0.05, window) * 1000);
            Thread.sleep(delay);
            if (!child.process().isAlive()) {
                break; // it finished before this kill: nothing left to interrupt
            }
            child.kill9();
            List<String> lines = child.outText().lines().toList();
            kills.add(String.format("kill %d after %.2f s (%d epochs checkpointed before): %s", kills.size() + 1, delay / 1e3, done,
                    lines.isEmpty() ? "(nothing printed yet)" : lines.get(lines.size() - 1)));
            attempt++;
            if (Files.exists(soaked.resolve("report.json"))) {
                finished = true; // killed after the report was written: the run is complete
                break;
            }
            String[] resume = {"run", "task/mnist-cnn", "--resume", "--data-dir", TestSupport.FIXTURES.toString(),
                    "--out", soaked.toString()};
            // Killed before run.json was written, there is nothing to resume: start it as the first time.
            child = Files.exists(soaked.resolve("run.json"))
                    ? ChildJvm.start(home, "soak-" + attempt, List.of(), Map.of(), resume)
                    : ChildJvm.start(home, "soak-" + attempt, List.of(), Map.of(), with(run, soaked));
        }
        if (!finished) {
            assertThat(child.waitFor(300)).as(child.errText()).isZero();
        }
        System.out.printf("soak: %d kills, uninterrupted run %.1f s%n  %s%n", kills.size(), straightSeconds,
                String.join("\n  ", kills));
        assertThat(kills).as("kills that interrupted the run").hasSize(KILLS);
        assertThat(FaultsTest.modelParams(soaked)).as("the final weights after " + kills.size() + " kills")
                .isEqualTo(FaultsTest.modelParams(home.resolve("straight")));
        assertThat(Files.readAllLines(soaked.resolve("metrics.csv")))
                .as("every epoch's figures but its time").hasSameSizeAs(Files.readAllLines(home.resolve("straight/metrics.csv")));
    }

    /** Waits until the child has printed a line "epoch N/M ..." or has ended, at most {@code seconds}. */
    private static void awaitEpochLine(ChildJvm.Child child, int seconds) throws InterruptedException, java.io.IOException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (child.process().isAlive() && System.nanoTime() < until
                && child.outText().lines().noneMatch(line -> line.matches("epoch \\d+/\\d+ .*"))) {
            Thread.sleep(10);
        }
    }

    /** Epochs in the run's checkpoint, 0 without one. */
    private static int checkpointedEpochs(Path run) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("checkpoint/state.json").toFile())
                    .path("epoch").asInt(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String[] with(String[] args, Path out) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = out.toString();
        return all;
    }
}
