package dlbank.experiment;

/**
 * Where an experiment reports while it runs: a live bar in the terminal, events for a web page, or
 * nothing in tests. Lines given to {@link #info} are part of the run's visible output.
 */
public interface ProgressSink {

    /** A line of output: an epoch summary, a truth table row, a note. */
    void info(String line);

    /** Starts a bar over {@code total} steps; close it when the work is done. */
    Bar bar(String task, long total);

    /** A live progress bar. */
    interface Bar extends AutoCloseable {
        /** Sets the number of steps done and the live figures shown beside the bar. */
        void update(long done, String figures);

        @Override
        void close();
    }

    /** Discards everything: for tests and benchmarks that print their own output. */
    static ProgressSink silent() {
        return new ProgressSink() {
            @Override
            public void info(String line) {}

            @Override
            public Bar bar(String task, long total) {
                return new Bar() {
                    @Override
                    public void update(long done, String figures) {}

                    @Override
                    public void close() {}
                };
            }
        };
    }
}
