package dlbank.web;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run the page started, and what it has reported so far as numbered events: output lines,
 * progress (only the newest progress between two lines is kept, so a long run's history stays
 * short) and a final state. Readers wait for events after the last one they saw; the training
 * thread only appends and never writes to a connection.
 */
final class RunJob {

    /** One event of the run's stream: "line", "progress", "point" (of the live curve) or "state". */
    record Event(long id, String name, Map<String, Object> data) {}

    enum State { RUNNING, FINISHED, FAILED, CANCELLED }

    private final String experimentId;
    private final boolean quick;
    private final Path runDir;
    private final OffsetDateTime started = OffsetDateTime.now();
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private final List<Event> events = new ArrayList<>();
    private long nextId = 1;
    private State state = State.RUNNING;
    private Outcome outcome = new Outcome("", "", null);
    private Map<String, Object> lastProgress = Map.of();

    RunJob(String experimentId, boolean quick, Path runDir) {
        this.experimentId = experimentId;
        this.quick = quick;
        this.runDir = runDir;
    }

    String experimentId() {
        return experimentId;
    }

    boolean quick() {
        return quick;
    }

    Path runDir() {
        return runDir;
    }

    OffsetDateTime started() {
        return started;
    }

    synchronized State state() {
        return state;
    }

    synchronized boolean over() {
        return state != State.RUNNING;
    }

    void requestCancel() {
        cancelRequested.set(true);
    }

    boolean cancelRequested() {
        return cancelRequested.get();
    }

    /** A line of the run's output. */
    synchronized void line(String text) {
        add("line", Map.of("text", text));
    }

    /** The live figures; replaces the previous progress event if no line came between them. */
    synchronized void progress(Map<String, Object> figures) {
        lastProgress = figures;
        for (int i = events.size() - 1; i >= 0 && !events.get(i).name().equals("line"); i--) {
            if (events.get(i).name().equals("progress")) {
                events.remove(i);
                break;
            }
        }
        add("progress", figures);
    }

    /**
     * How a run ended, for the page in either language: a sentence in each, and a command or class name
     * the page shows as code (or null).
     */
    record Outcome(String en, String zh, String code) {}

    /** A point of the live curve: x in epochs, and the figures read there. Points are never dropped. */
    synchronized void point(Map<String, Object> point) {
        add("point", point);
    }

    /** The end of the run: finished, failed or cancelled, with what the page says about it. */
    synchronized void finish(State end, Outcome how) {
        state = end;
        outcome = how;
        add("state", summary());
    }

    private void add(String name, Map<String, Object> data) {
        events.add(new Event(nextId++, name, data));
        notifyAll();
    }

    /**
     * The events after {@code lastSeen}, waiting up to {@code millis} for one when there are none.
     * Empty when nothing came (the caller sends a keep-alive and asks again).
     */
    synchronized List<Event> eventsAfter(long lastSeen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            List<Event> newer = new ArrayList<>();
            for (Event event : events) {
                if (event.id() > lastSeen) {
                    newer.add(event);
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (!newer.isEmpty() || left <= 0 || state != State.RUNNING && !events.isEmpty()
                    && events.get(events.size() - 1).id() <= lastSeen) {
                return newer;
            }
            wait(left);
        }
    }

    /** Waits until the run is over; for shutting down and for tests. */
    synchronized boolean awaitEnd(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (state == State.RUNNING) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** What the page shows about the job: GET /api/runs/current and the final event. */
    synchronized Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", experimentId);
        json.put("mode", quick ? "quick" : "full");
        json.put("state", state.name().toLowerCase());
        json.put("run", runDir.getFileName().toString());
        json.put("started", started.toString());
        json.put("message", outcome.en());
        json.put("message_zh", outcome.zh());
        json.put("code", outcome.code());
        json.put("progress", lastProgress);
        return json;
    }

    /** "task/mnist-cnn (quick run, started 14:03:07)", for the refusal of a second run. */
    String describe() {
        return String.format("%s (%s run, started %tT)", experimentId, quick ? "quick" : "full", started);
    }

    /** The same in Chinese. */
    String describeZh() {
        return String.format("%s（%s，%tT 开始）", experimentId, quick ? "快速运行" : "完整运行", started);
    }
}
