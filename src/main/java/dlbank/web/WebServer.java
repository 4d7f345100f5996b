package dlbank.web;

import dlbank.UserException;
import dlbank.data.DataHome;
import dlbank.train.Devices;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code dlbank serve}: the bank, its runs, the drawing pad and the quiz as a local web page. Each
 * route is one line that names its handler; the handlers read their input, call the same core method
 * as the command that does the same, and render. Errors are a page in the reader's language when a
 * browser navigates, JSON with a message for the page's scripts; never a stack trace.
 */
public final class WebServer implements AutoCloseable {

    /**
     * @param host the address to bind (127.0.0.1 by default)
     * @param port 0 for any free port
     * @param language the page's language until the reader switches it: "zh" or "en"
     * @param quizFile the quiz state the terminal quiz uses too
     */
    public record Settings(String host, int port, String language, DataHome dataHome, Path quizFile) {}

    /** The KaTeX webjar's version, from its Maven metadata in the jar. */
    static final String KATEX_VERSION = webjarVersion("katex");

    private final Javalin app;
    private final Site site;

    private WebServer(Javalin app, Site site) {
        this.app = app;
        this.site = site;
    }

    public static WebServer start(Settings settings) {
        // Javalin logs a failed start itself; the user gets our one line instead.
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin.Javalin", "off");
        Site site = new Site(settings, Devices.resolve("auto"));
        RequestGuard[] guard = new RequestGuard[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = DrawPage.MAX_UPLOAD_BYTES;
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
                files.headers = java.util.Map.of("Content-Security-Policy", RequestGuard.CSP,
                        "X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
            });
            // KaTeX from its webjar in the jar: /webjars/katex/<version>/dist/...
            config.staticFiles.enableWebjars();
            var routes = config.routes;
            routes.before(ctx -> guard[0].check(ctx));
            routes.get("/", ctx -> HomePage.show(site, ctx));
            routes.head("/", ctx -> HomePage.show(site, ctx));
            routes.get("/entry/{kind}/{slug}", ctx -> EntryPage.show(site, ctx));
            routes.head("/entry/{kind}/{slug}", ctx -> EntryPage.show(site, ctx));
            routes.post("/entry/{kind}/{slug}/grade", ctx -> GradePage.grade(site, ctx));
            routes.get("/fragment/results/{kind}/{slug}", ctx -> EntryPage.results(site, ctx));
            routes.get("/runs/{kind}/{slug}/{run}", ctx -> EntryPage.run(site, ctx));
            routes.get("/files/{kind}/{slug}/{run}/<file>", ctx -> sendRunFile(ctx));
            routes.get("/reference/{kind}/{slug}/<file>", EntryPage::referenceFile);
            routes.get("/draw", ctx -> DrawPage.show(site, ctx));
            routes.post("/api/predict", ctx -> DrawPage.predict(site, ctx));
            routes.get("/quiz", ctx -> QuizPage.show(site, ctx));
            routes.post("/quiz/session", ctx -> QuizPage.startSession(site, ctx));
            routes.post("/quiz/answer", ctx -> QuizPage.answer(site, ctx));
            routes.get("/interview", ctx -> InterviewPage.show(site, ctx));
            routes.post("/interview", ctx -> InterviewPage.start(site, ctx));
            routes.get("/interview/{id}", ctx -> InterviewPage.question(site, ctx));
            routes.post("/interview/{id}/answer", ctx -> InterviewPage.answer(site, ctx));
            routes.post("/interview/{id}/finish", ctx -> InterviewPage.finish(site, ctx));
            routes.post("/api/runs", ctx -> RunRoutes.start(site, ctx));
            routes.get("/api/runs/current", ctx -> RunRoutes.current(site, ctx));
            routes.get("/api/runs/events", ctx -> RunRoutes.events(site, ctx));
            routes.post("/api/runs/cancel", ctx -> RunRoutes.cancel(site, ctx));
            routes.exception(WebError.class, (error, ctx) -> fail(ctx, site, error.status(), error.message("en"),
                    error.message("zh")));
            routes.exception(UserException.class, (error, ctx) -> fail(ctx, site,
                    error.exitCode() == UserException.USAGE ? 400 : 422, error.message("en"), error.message("zh")));
            routes.exception(Exception.class, (error, ctx) -> {
                System.err.println("dlbank serve: " + ctx.method() + " " + ctx.path() + " failed: " + error);
                error.printStackTrace();
                fail(ctx, site, 500, "internal error (" + error.getClass().getSimpleName()
                        + "); the server's output has the details", "内部错误；详情见服务器的输出");
            });
            routes.error(404, ctx -> {
                if (ctx.attribute(RENDERED) == null) {
                    fail(ctx, site, 404, "not found: " + ctx.path(), "没有找到：" + ctx.path());
                }
            });
            routes.error(400, ctx -> {
                if (ctx.attribute(RENDERED) == null) {
                    fail(ctx, site, 400, "bad request: " + ctx.path(), "请求有误：" + ctx.path());
                }
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw UserException.usage("error.serve.bind", settings.host(), settings.port(), rootMessage(e));
        }
        guard[0] = new RequestGuard(settings.host(), app.port());
        return new WebServer(app, site);
    }

    /** GET /files/...: a run's PNG, report.json or metrics.csv, and nothing else. */
    private static void sendRunFile(Context ctx) throws java.io.IOException {
        Path file = RunFiles.file(ctx.pathParam("kind") + "/" + ctx.pathParam("slug"), ctx.pathParam("run"),
                ctx.pathParam("file"));
        ctx.contentType(RunFiles.TYPES.get(RunFiles.extension(file.getFileName().toString())));
        ctx.header("Cache-Control", "no-cache");
        ctx.result(Files.readAllBytes(file));
    }

    /** Set on a request whose error response we wrote, so that the status's error handler leaves it. */
    static final String RENDERED = "dlbank.error-rendered";

    /**
     * A refusal or failure: JSON with a message for the page's scripts (/api/, /fragment/, /files/, and
     * any request that does not ask for HTML), else a page in the reader's language with a way back.
     */
    private static void fail(Context ctx, Site site, int status, String english, String chinese) {
        ctx.attribute(RENDERED, true);
        String language = Lang.code(ctx, site.settings().language());
        String accept = ctx.header("Accept");
        boolean browsing = accept != null && accept.contains("text/html") && !ctx.path().startsWith("/api/")
                && !ctx.path().startsWith("/fragment/");
        if (browsing) {
            Lang lang = Lang.of(ctx, site.settings().language());
            ctx.status(status).html(status == 404
                    ? ErrorPage.render(lang, status, "Nothing here: ", "这里什么也没有：", ctx.path())
                    : ErrorPage.render(lang, status, english, chinese));
        } else {
            Json.error(ctx, status, "zh".equals(language) ? chinese : english);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String webjarVersion(String name) {
        try (java.io.InputStream in = WebServer.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
            java.util.Properties properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "missing");
        } catch (java.io.IOException e) {
            return "missing";
        }
    }

    public int port() {
        return app.port();
    }

    /** The address to open: http://127.0.0.1:7070/ (a bracketed IPv6 address when bound to one). */
    public String address() {
        String host = site.settings().host();
        return "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    /** Cancels a running job and stops the server. */
    @Override
    public void close() {
        site.jobs().close();
        app.stop();
    }

    RunJobs jobs() {
        return site.jobs();
    }
}
