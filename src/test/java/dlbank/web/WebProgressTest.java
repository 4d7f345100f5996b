package dlbank.web;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The page's progress sink: the terminal bar's text as named fields, throttling, cancelling. */
@SuppressWarnings("unchecked")
class WebProgressTest {

    @Test
    @SuppressWarnings("unchecked")
    void theBarsFiguresBecomeFields() {
        Map<String, Object> fields = WebProgress.fields("epoch 2/5", 840, 860, "loss 0.0511 acc 98.41% 5,384 img/s", 8.4);
        assertThat(fields).containsEntry("epoch", 2).containsEntry("epochs", 5).containsEntry("done", 840L)
                .containsEntry("total", 860L).containsEntry("percent", 97.7).containsEntry("rate", 5384L)
                .containsEntry("unit", "img").containsEntry("eta_seconds", 0L);
        assertThat((Map<String, Object>) fields.get("figures")).containsExactly(Map.entry("loss", 0.0511), Map.entry("acc", 0.9841));
        // 100 of 400 steps in 30 s: 90 s to go, as the terminal bar computes it.
        assertThat(WebProgress.fields("epoch 1/3", 100, 400, "loss 1.5", 30).get("eta_seconds")).isEqualTo(90L);
        Map<String, Object> gan = WebProgress.fields("epoch 1/20", 5, 10, "d_loss 0.6931 g_loss 0.7120", 1);
        assertThat((Map<String, Object>) gan.get("figures")).containsEntry("d_loss", 0.6931).containsEntry("g_loss", 0.712);
        assertThat(WebProgress.fields("decision maps", 0, 4, "", 0)).doesNotContainKey("epoch").containsEntry("eta_seconds", -1L);
        // A server started with --lang zh names its bars in Chinese (the catalogue's progress.epoch).
        assertThat(WebProgress.fields("第 2/5 轮", 1, 4, "loss 1.5", 1)).containsEntry("epoch", 2).containsEntry("epochs", 5);
    }

    @Test
    void theBarOpensAtOnceAndEpochLinesAddValidationPointsAndTheRunEta() throws InterruptedException {
        RunJob job = new RunJob("task/mnist-cnn", true, Path.of("runs/task/mnist-cnn/20260101-000000"));
        WebProgress progress = new WebProgress(job);
        try (var bar = progress.bar("epoch 1/2", 10)) {
            assertThat(job.summary().get("progress")).isInstanceOf(java.util.Map.class);
            assertThat((java.util.Map<String, Object>) job.summary().get("progress")).containsEntry("done", 0L)
                    .containsEntry("epoch", 1).containsEntry("phase", "training");
            bar.update(5, "loss 0.5 acc 80.00% 100 img/s");
            // A quarter of the run's epochs in the time so far: three times as long to go (about 0 s here).
            assertThat((java.util.Map<String, Object>) job.summary().get("progress")).containsKey("run_eta_seconds");
        }
        progress.info("epoch 1/2  loss 0.4000  acc 85.00%  val_loss 0.3500  val_acc 88.00%  1.0 s  100 img/s");
        var points = job.eventsAfter(0, 0).stream().filter(event -> event.name().equals("point")).toList();
        assertThat(points).hasSize(2);
        assertThat(points.get(0).data()).containsEntry("x", 0.5).containsEntry("acc", 0.8);
        assertThat(points.get(1).data()).containsEntry("x", 1.0).containsEntry("val_loss", 0.35).containsEntry("val_acc", 0.88);
    }

    @Test
    void linesAndTheLastUpdateOfABarAlwaysReachThePageAndACancelStopsTheRun() throws InterruptedException {
        RunJob job = new RunJob("task/and-gate", true, Path.of("runs/task/and-gate/20260101-000000"));
        WebProgress progress = new WebProgress(job);
        progress.info("AND truth table");
        try (var bar = progress.bar("epoch 1/1", 3)) {
            bar.update(1, "loss 0.5");
            bar.update(2, "loss 0.4"); // within 200 ms of the first: dropped
            bar.update(3, "loss 0.3"); // the last: always sent
        }
        var events = job.eventsAfter(0, 0);
        // Every read is a point of the live curve; of the progress events only the newest is kept, and the
        // closed bar says the run is evaluating now.
        assertThat(events).extracting(RunJob.Event::name).containsExactly("line", "point", "point", "point", "progress");
        assertThat(events.get(1).data()).containsEntry("x", 1 / 3.0).containsEntry("loss", 0.5);
        assertThat(events.get(4).data()).containsEntry("done", 3L).containsEntry("phase", "evaluating");
        events = List.of(events.get(0), events.get(4));

        job.requestCancel();
        assertThatThrownBy(() -> progress.info("next")).isInstanceOf(WebProgress.Cancelled.class);
        job.finish(RunJob.State.CANCELLED, new RunJob.Outcome("Cancelled.", "已取消。", null));
        assertThat(job.eventsAfter(events.get(1).id(), 1000)).extracting(RunJob.Event::name).containsExactly("state");
        // A reader that has seen everything of a finished job is not kept waiting.
        long begin = System.nanoTime();
        assertThat(job.eventsAfter(Long.MAX_VALUE, 5_000)).isEmpty();
        assertThat((System.nanoTime() - begin) / 1e6).isLessThan(1_000);
    }
}
