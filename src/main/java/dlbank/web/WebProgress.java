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
 */
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

    WebProgress(RunJob job) {
        this.job = job;
    }

    @Override
    public void info(String line) {
        checkCancel();
        job.line(line);
    }

    @Override
    public Bar bar(String task, long total) {
        checkCancel();
        long start = System.nanoTime();
        return new Bar() {
            private long lastSent;

            @Override
            public void update(long done, String figures) {
                checkCancel();
                long now = System.nanoTime();
                if (now - lastSent < MIN_INTERVAL_NANOS && done < total) {
                    return;
                }
                lastSent = now;
                job.progress(fields(task, done, total, figures, (now - start) / 1e9));
            }

            @Override
            public void close() {}
        };
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
        Map<String, Object> values = new LinkedHashMap<>();
        Matcher figure = FIGURE.matcher(rest);
        while (figure.find()) {
            double value = Double.parseDouble(figure.group(2));
            // "98.41%" -> 0.9841, rounded so that no binary noise shows (0.5710999999999999).
            values.put(figure.group(1), figure.group(3).isEmpty() ? value : Math.round(value * 1e4) / 1e6);
        }
        fields.put("figures", values);
        fields.put("text", figures);
        long eta = done > 0 ? Math.round(elapsedSeconds * (total - done) / done) : -1;
        fields.put("eta_seconds", eta);
        return fields;
    }
}
