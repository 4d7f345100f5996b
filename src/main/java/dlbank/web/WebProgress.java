package dlbank.web;

import dlbank.experiment.ProgressSink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page's progress sink: each output line and each update of a bar becomes an event of the job,
 * with the terminal bar's fields (epoch, batch, loss, accuracy, images/s, ETA) as separate values.
 * A cancel from the page takes effect at the next report: the run stops with {@link Cancelled}.
 * Besides: the phase (training while a bar is open, evaluating after it closes), the whole run's ETA,
 * and the points of the live curve (every read of a bar, and each epoch's validation figures).
 */
@SuppressWarnings("unchecked")
final class WebProgress implements ProgressSink {

    /** Thrown into the experiment when the page cancels its run. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled from the page");
        }
    }

    /** "epoch 2/5", or "第 2/5 轮" when the server speaks Chinese (the catalogue's progress.epoch) */
    private static final Pattern EPOCH = Pattern.compile("(?:epoch |第 )(\\d+)/(\\d+)");
    /** "loss 0.0511", "acc 98.41%", "d_loss 0.71" */
    private static final Pattern FIGURE = Pattern.compile("([a-z_]+) (-?[0-9.]+(?:e-?\\d+)?)(%?)");
    /** "5,384 img/s" */
    private static final Pattern RATE = Pattern.compile("([0-9,]+) ([a-z]+)/s");
    /** At most this many progress events a second reach the page; the last one of a bar always does. */
    private static final long MIN_INTERVAL_NANOS = 200_000_000L;

    private final RunJob job;
    /** When the first bar opened: the whole run's ETA counts from there. */
    private long firstBarNanos;

    WebProgress(RunJob job) {
        this.job = job;
    }

    @Override
    public void info(String line) {
        checkCancel();
        job.line(line);
        // An epoch's summary line ("epoch 2/5  loss ...  val_loss 0.0399  val_acc 98.76%") adds validation points.
        Matcher epoch = EPOCH.matcher(line);
        if (epoch.lookingAt() && line.contains("val_")) {
            Map<String, Object> figures = figures(line.substring(epoch.end()));
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("x", (double) Integer.parseInt(epoch.group(1)));
            point.put("val_loss", figures.get("val_loss"));
            point.put("val_acc", figures.get("val_acc"));
            job.point(point);
        }
    }

    @Override
    public Bar bar(String task, long total) {
        checkCancel();
        long start = System.nanoTime();
        if (firstBarNanos == 0) {
            firstBarNanos = start;
        }
        // At once: the page shows the epoch and batch 0 as soon as training starts, not after the first read.
        job.progress(withPhase(fields(task, 0, total, "", 0), "training", -1));
        return new Bar() {
            private long lastSent;
            private Map<String, Object> last;

            @Override
            public void update(long done, String figures) {
                checkCancel();
                long now = System.nanoTime();
                Map<String, Object> fields = fields(task, done, total, figures, (now - start) / 1e9);
                last = fields;
                if (fields.get("epochs") instanceof Integer epochs && total > 0) {
                    double x = (Integer) fields.get("epoch") - 1 + (double) done / total;
                    Map<String, Object> point = new LinkedHashMap<>();
                    point.put("x", x);
                    point.putAll((Map<String, Object>) fields.get("figures"));
                    job.point(point);
                }
                if (now - lastSent < MIN_INTERVAL_NANOS && done < total) {
                    return;
                }
                lastSent = now;
                job.progress(withPhase(fields, "training", runEta(fields, now)));
            }

            @Override
            public void close() {
                // After a training pass comes the evaluation (validation after each epoch, the test set at the end).
                if (last != null) {
                    job.progress(withPhase(last, "evaluating", -1));
                }
            }
        };
    }

    /** The seconds left in the whole run, from the share of its epochs done so far; -1 when unknown. */
    private long runEta(Map<String, Object> fields, long now) {
        if (!(fields.get("epochs") instanceof Integer epochs) || !(fields.get("epoch") instanceof Integer epoch)
                || (long) fields.get("total") <= 0) {
            return -1;
        }
        double share = (epoch - 1 + (double) (long) fields.get("done") / (long) fields.get("total")) / epochs;
        double elapsed = (now - firstBarNanos) / 1e9;
        return share <= 0 ? -1 : Math.round(elapsed * (1 - share) / share);
    }

    private static Map<String, Object> withPhase(Map<String, Object> fields, String phase, long runEta) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put("phase", phase);
        copy.put("run_eta_seconds", runEta);
        return copy;
    }

    private void checkCancel() {
        if (job.cancelRequested()) {
            throw new Cancelled();
        }
    }

    /** The bar's state as named values; the ETA from the rate so far, as the terminal bar computes it. */
    static Map<String, Object> fields(String task, long done, long total, String figures, double elapsedSeconds) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("task", task);
        Matcher epoch = EPOCH.matcher(task);
        if (epoch.find()) {
            fields.put("epoch", Integer.parseInt(epoch.group(1)));
            fields.put("epochs", Integer.parseInt(epoch.group(2)));
        }
        fields.put("done", done);
        fields.put("total", total);
        fields.put("percent", total > 0 ? Math.round(1000.0 * done / total) / 10.0 : 0.0);
        String rest = figures;
        Matcher rate = RATE.matcher(figures);
        if (rate.find()) {
            fields.put("rate", Long.parseLong(rate.group(1).replace(",", "")));
            fields.put("unit", rate.group(2));
            rest = figures.substring(0, rate.start()) + figures.substring(rate.end());
        }
        fields.put("figures", figures(rest));
        fields.put("text", figures);
        long eta = done > 0 ? Math.round(elapsedSeconds * (total - done) / done) : -1;
        fields.put("eta_seconds", eta);
        return fields;
    }

    /** "loss 0.0511 acc 98.41%" -> {loss: 0.0511, acc: 0.9841}. */
    private static Map<String, Object> figures(String text) {
        Map<String, Object> values = new LinkedHashMap<>();
        Matcher figure = FIGURE.matcher(text);
        while (figure.find()) {
            double value = Double.parseDouble(figure.group(2));
            // "98.41%" -> 0.9841, rounded so that no binary noise shows (0.5710999999999999).
            values.put(figure.group(1), figure.group(3).isEmpty() ? value : Math.round(value * 1e4) / 1e6);
        }
        return values;
    }
}
