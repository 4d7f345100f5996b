package dlbank.web;

import dlbank.data.DrawnDigits;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.RunConfig;
import dlbank.experiment.task.MnistCnnTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded load on loopback: 200 page requests and 20 predictions, all sent at once, while a quick
 * task/mnist-cnn run trains on the same two cores. No request may fail; p50 and p95 are printed.
 */
class WebLoadTest {

    private static final int PAGES = 200;
    private static final int PREDICTIONS = 20;
    private static final List<String> PAGE_PATHS = List.of("/", "/entry/task/mnist-cnn", "/entry/concept/cnn?lang=zh",
            "/draw", "/quiz", "/fragment/results/task/mnist-cnn", "/?q=dropout", "/static/style.css");

    @Test
    void pagesAndPredictionsDoNotFailWhileARunTrains(@TempDir Path dir) throws Exception {
        try (TestServer web = TestServer.start(dir, "en")) {
            // A saved model first, for the predictions.
            assertThat(web.postJson("/api/runs", "{\"experiment\":\"task/mnist-cnn\",\"mode\":\"quick\"}").statusCode()).isEqualTo(202);
            RunJob first = web.server.jobs().current().orElseThrow();
            assertThat(first.awaitEnd(600_000)).as("the first quick run ends within 10 minutes").isTrue();
            assertThat(first.state()).isEqualTo(RunJob.State.FINISHED);
            String png = "/files/task/mnist-cnn/" + first.runDir().getFileName() + "/loss.png";

            // Then a longer quick run (30 epochs of the fixtures), to load the server while it trains.
            RunJob training = web.server.jobs().start(ExperimentRegistry.require(MnistCnnTask.ID),
                    new RunConfig(42, 30, null, true, "auto", 0, Map.of()));
            while (training.summary().get("progress") instanceof Map<?, ?> progress && progress.isEmpty()) {
                Thread.sleep(50); // until the first batches have trained
            }
            byte[] drawing = drawing();
            List<CompletableFuture<Sample>> pages = new ArrayList<>();
            List<CompletableFuture<Sample>> predictions = new ArrayList<>();
            long begin = System.nanoTime();
            for (int i = 0; i < PAGES; i++) {
                String path = i % 10 == 9 ? png : PAGE_PATHS.get(i % PAGE_PATHS.size());
                pages.add(timed(web, HttpRequest.newBuilder(URI.create(web.base() + path)).GET()));
            }
            for (int i = 0; i < PREDICTIONS; i++) {
                predictions.add(timed(web, HttpRequest.newBuilder(URI.create(web.base() + "/api/predict"))
                        .header("Content-Type", "image/png").header("Origin", web.origin())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(drawing))));
            }
            CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new)).join();
            CompletableFuture.allOf(predictions.toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - begin) / 1e9;
            boolean stillTraining = !training.over();
            Map<?, ?> progressAtEnd = (Map<?, ?>) training.summary().get("progress");

            List<Sample> pageSamples = pages.stream().map(CompletableFuture::join).toList();
            List<Sample> predictionSamples = predictions.stream().map(CompletableFuture::join).toList();
            long failures = pageSamples.stream().filter(sample -> sample.status != 200).count()
                    + predictionSamples.stream().filter(sample -> sample.status != 200).count();
            System.out.printf("web load: %d pages p50 %d ms, p95 %d ms, max %d ms; %d predictions p50 %d ms, p95 %d ms, "
                            + "max %d ms; %d failed; %.1f s in all, while task/mnist-cnn trained (now at %s, batch %s/%s)%n",
                    PAGES, percentile(pageSamples, 50), percentile(pageSamples, 95), percentile(pageSamples, 100),
                    PREDICTIONS, percentile(predictionSamples, 50), percentile(predictionSamples, 95),
                    percentile(predictionSamples, 100), failures, seconds, progressAtEnd.get("task"),
                    progressAtEnd.get("done"), progressAtEnd.get("total"));
            assertThat(pageSamples).allSatisfy(sample -> assertThat(sample.status).as(sample.body).isEqualTo(200));
            assertThat(predictionSamples).allSatisfy(sample -> assertThat(sample.status).as(sample.body).isEqualTo(200));
            assertThat(stillTraining).as("the run was still training when the last request was answered").isTrue();

            // Cancel from the page: the run stops at its next step and says, in each language, how to continue
            // it from its last finished epoch, or that no epoch had finished and its folder is gone.
            assertThat(web.postJson("/api/runs/cancel", "{}").statusCode()).isEqualTo(200);
            assertThat(training.awaitEnd(60_000)).isTrue();
            assertThat(training.state()).isEqualTo(RunJob.State.CANCELLED);
            Map<String, Object> end = training.summary();
            assertThat(end.get("message_zh").toString()).startsWith("已取消。").doesNotContainPattern("[A-Za-z]");
            if (java.nio.file.Files.exists(training.runDir().resolve("checkpoint/state.json"))) {
                assertThat(end.get("code")).isEqualTo("dlbank run task/mnist-cnn --resume");
                assertThat(end.get("message").toString()).startsWith("Cancelled after epoch ");
            } else {
                assertThat(training.runDir()).doesNotExist();
                assertThat(end.get("message").toString()).contains("nothing was kept");
            }
        }
    }

    private record Sample(int status, long millis, String body) {}

    private static CompletableFuture<Sample> timed(TestServer web, HttpRequest.Builder request) {
        long start = System.nanoTime();
        return web.http.sendAsync(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> new Sample(error != null ? -1 : response.statusCode(),
                        (System.nanoTime() - start) / 1_000_000, error != null ? error.toString()
                        : response.statusCode() == 200 ? "" : response.body()));
    }

    private static long percentile(List<Sample> samples, int percent) {
        long[] millis = samples.stream().mapToLong(Sample::millis).toArray();
        Arrays.sort(millis);
        int index = (int) Math.ceil(percent / 100.0 * millis.length) - 1;
        return millis[Math.max(0, Math.min(millis.length - 1, index))];
    }

    private static byte[] drawing() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(DrawnDigits.draw(1, 5).get(3).image(), "png", png);
        return png.toByteArray();
    }
}
