package dlbank.web;

import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.RunConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run API: start a run (quick or full, seed 42 as {@code dlbank run}'s default), see the current
 * one, follow its events as server-sent events, cancel it.
 */
final class RunRoutes {

    /** How long an event stream waits for news before it sends a keep-alive comment. */
    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private RunRoutes() {}

    /** POST /api/runs {experiment, mode}: 202 with the job, 409 while another runs. */
    static void start(Site site, Context ctx) {
        Map<String, Object> body = Json.body(ctx);
        String id = String.valueOf(body.getOrDefault("experiment", ""));
        String mode = String.valueOf(body.getOrDefault("mode", "quick"));
        Experiment experiment = ExperimentRegistry.find(id).orElseThrow(() -> WebError.notFound("experiment " + id));
        if (!mode.equals("quick") && !mode.equals("full")) {
            throw WebError.badRequest("mode must be quick or full, not '" + mode + "'", "mode 只能是 quick 或 full，不是 '" + mode + "'");
        }
        RunConfig defaults = RunConfig.quickDefaults();
        RunConfig config = new RunConfig(defaults.seed(), null, null, mode.equals("quick"), "auto", 0, Map.of());
        RunJob job = site.jobs().start(experiment, config);
        Json.send(ctx, 202, job.summary());
    }

    /** GET /api/runs/current: the running (or last) job, or 404 when the page has started none. */
    static void current(Site site, Context ctx) {
        RunJob job = site.jobs().current().orElseThrow(() -> WebError.notFound("run: none started from this page"));
        Json.send(ctx, 200, job.summary());
    }

    /** POST /api/runs/cancel: 200 when a running job was asked to stop, 404 when none runs. */
    static void cancel(Site site, Context ctx) {
        if (!site.jobs().cancel()) {
            throw WebError.notFound("running run to cancel");
        }
        Map<String, Object> json = new LinkedHashMap<>(site.jobs().current().orElseThrow().summary());
        json.put("cancel", "requested");
        Json.send(ctx, 200, json);
    }

    /**
     * GET /api/runs/events: the current job's events from the start (or after Last-Event-ID), then
     * live, until the job ends. Each stream waits on the job in its own request thread.
     */
    static void events(Site site, Context ctx) throws Exception {
        RunJob job = site.jobs().current().orElseThrow(() -> WebError.notFound("run: none started from this page"));
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new WebError(406, "this is a stream of server-sent events: ask with Accept: text/event-stream",
                    "这是服务器推送事件流：请求时需带 Accept: text/event-stream");
        }
        long lastSeen = parseId(ctx.header("Last-Event-ID"));
        new SseHandler(0, client -> stream(job, client, lastSeen)).handle(ctx);
    }

    private static void stream(RunJob job, SseClient client, long lastSeen) {
        long last = lastSeen;
        try {
            while (!client.terminated()) {
                List<RunJob.Event> events = job.eventsAfter(last, KEEP_ALIVE_MILLIS);
                for (RunJob.Event event : events) {
                    client.sendEvent(event.name(), Json.text(event.data()), Long.toString(event.id()));
                    last = event.id();
                }
                if (events.isEmpty()) {
                    if (job.over()) {
                        break;
                    }
                    client.sendComment("keep-alive");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    private static long parseId(String header) {
        try {
            return header == null ? 0 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
