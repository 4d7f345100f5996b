package dlbank.experiment;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import dlbank.TestSupport;
import dlbank.report.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run on a thread of its own (the page's) behaves as one on the command line's main thread. libtorch's
 * grad mode is per thread and on by default, while DJL turns it off only on the thread that loads the
 * engine; six experiments that update weights in place crashed when the page started them.
 */
class RunThreadTest {

    @Test
    void everyRunStartsWithGradModeOffWhateverItsThread(@TempDir Path dir) throws Exception {
        TestSupport.configureEngine();
        AtomicReference<Boolean> seen = new AtomicReference<>();
        Experiment probe = new Experiment() {
            @Override
            public String id() {
                return "lab/probe";
            }

            @Override
            public String title() {
                return "grad mode probe";
            }

            @Override
            public List<String> questions() {
                return List.of();
            }

            @Override
            public Result run(RunContext context) {
                seen.set(JniUtils.isGradMode());
                return Result.builder().metric("x", 1.0).build();
            }
        };
        ai.djl.engine.Engine.getInstance(); // loaded here, as the server loads it on its main thread
        AtomicReference<Boolean> after = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            assertThat(JniUtils.isGradMode()).as("libtorch's default on a new thread").isTrue();
            ExperimentRunner.run(probe, RunConfig.quickDefaults(), dir, false, true, ProgressSink.silent(),
                    TestSupport.fixtureHome(), Device.cpu());
            after.set(JniUtils.isGradMode());
        });
        thread.start();
        thread.join();
        assertThat(seen.get()).as("grad mode inside the run").isFalse();
        assertThat(after.get()).as("the thread's own mode is given back").isTrue();
    }

    @Test
    void aLabThatUpdatesWeightsInPlaceFinishesOnAFreshThread(@TempDir Path dir) throws Exception {
        TestSupport.configureEngine();
        ai.djl.engine.Engine.getInstance();
        Experiment lab = ExperimentRegistry.require("lab/loss-functions");
        RunConfig quick = RunConfig.quickDefaults();
        RunConfig config = new RunConfig(quick.seed(), null, null, true, quick.device(), 0, Map.of());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                ExperimentRunner.run(lab, config, dir, false, true, ProgressSink.silent(), TestSupport.fixtureHome(),
                        Device.cpu());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join();
        assertThat(failure.get()).as("lab/loss-functions on a fresh thread").isNull();
        assertThat(Files.exists(dir.resolve(RunDirectory.REPORT_FILE))).isTrue();
    }
}
