package dlbank.cli;

import dlbank.experiment.ProgressSink;
import dlbank.i18n.Messages;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Progress for a person at a terminal: a live bar on standard error (steps, figures, rate, ETA)
 * that disappears when its work is done, and output lines on standard output. When standard error
 * is not a terminal (a log file, CI), the bar becomes a plain line every ten seconds.
 */
final class TerminalProgress implements ProgressSink {

    private final PrintWriter out;
    private final PrintStream err;
    private final boolean interactive;

    TerminalProgress(PrintWriter out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    static TerminalProgress forConsole(PrintWriter out) {
        return new TerminalProgress(out, System.err, System.console() != null);
    }

    @Override
    public void info(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public Bar bar(String task, long total) {
        return interactive ? liveBar(task, total) : new LogLines(task, total);
    }

    private Bar liveBar(String task, long total) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err, 120))
                .setUpdateIntervalMillis(200)
                .clearDisplayOnFinish()
                .build();
        return new Bar() {
            @Override
            public void update(long done, String figures) {
                bar.stepTo(done);
                bar.setExtraMessage(figures);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /** Without a terminal: a plain status line every ten seconds, nothing at start or end. */
    private final class LogLines implements Bar {
        private static final long INTERVAL_NANOS = 10_000_000_000L;
        private final String task;
        private final long total;
        private final long start = System.nanoTime();
        private long lastPrint = start;

        LogLines(String task, long total) {
            this.task = task;
            this.total = total;
        }

        @Override
        public void update(long done, String figures) {
            long now = System.nanoTime();
            if (now - lastPrint < INTERVAL_NANOS || done >= total) {
                return;
            }
            lastPrint = now;
            long etaSeconds = Math.round((now - start) / 1e9 * (total - done) / Math.max(1, done));
            err.printf("%s  %d/%d (%d%%)  %s  %s %d:%02d%n", task, done, total, 100 * done / total, figures,
                    Messages.get("progress.eta"), etaSeconds / 60, etaSeconds % 60);
            err.flush();
        }

        @Override
        public void close() {}
    }
}
