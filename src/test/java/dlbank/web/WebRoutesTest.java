package dlbank.web;

import dlbank.bank.LeitnerSchedule;
import dlbank.bank.QuizState;
import dlbank.data.DrawnDigits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route over HTTP on loopback, the refusals included: unknown things, traversal and links out
 * of runs/, oversize uploads, POSTs from another origin, a foreign Host, a second run. One quick
 * task/mnist-cnn run on the fixtures gives the results, files and model the later tests use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebRoutesTest {

    private static final int ENTRIES = dlbank.bank.Bank.load().ids().size();

    private Path dir;
    private TestServer web;
    private String run;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("dlbank-web-routes");
        web = TestServer.start(dir, "en");
    }

    @AfterAll
    void stop() {
        web.close();
    }

    @Test
    @Order(1)
    void pagesRenderInBothLanguagesAndTheSwitchIsRemembered() throws Exception {
        HttpResponse<String> home = web.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(home.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
        assertThat(home.body()).contains("Part 1: concept questions", "Part 2: programming tasks",
                "href=\"/entry/task/mnist-cnn\"", "runnable", "not written yet", "reference");
        assertThat(home.body().split("<li value=", -1)).hasSize(ENTRIES + 1);
        // Nothing on the page comes from another host.
        assertThat(home.body()).doesNotContain("http://", "https://");

        HttpResponse<String> chinese = web.get("/entry/task/mnist-cnn?lang=zh");
        assertThat(chinese.body()).contains("<html lang=\"zh-Hans\">", "编写一个对 MNIST 手写数字进行分类的卷积神经网络",
                "<table>", "实测结果", "快速运行", "参考运行", "测试准确率");
        String cookie = chinese.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("dlbank_lang=zh");
        // The cookie keeps Chinese on the next page; the switch link leads back to English in place.
        HttpResponse<String> next = web.get("/draw", "Cookie", "dlbank_lang=zh");
        assertThat(next.body()).contains("写一个数字", "href=\"/draw?lang=en\"");

        // A first visit takes the browser's language; a remembered choice beats it.
        assertThat(web.get("/", "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8").body()).contains("<html lang=\"zh-Hans\">");
        assertThat(web.get("/", "Accept-Language", "fr-FR,en;q=0.5,zh;q=0.4").body()).contains("<html lang=\"en\">");
        assertThat(web.get("/", "Accept-Language", "zh-CN", "Cookie", "dlbank_lang=en").body()).contains("<html lang=\"en\">");
        // HEAD / answers as GET does, without a body.
        HttpResponse<String> head = web.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.base() + "/"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        // Errors reached by browsing are pages in the reader's language; the page's scripts still get JSON.
        HttpResponse<String> missing = web.get("/entry/concept/nope", "Accept", "text/html", "Cookie", "dlbank_lang=zh");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<h1>没有找到这个页面</h1>", "href=\"/\"").doesNotContain("{\"error\"");
        assertThat(web.get("/no/such/page", "Accept", "text/html").body()).contains("<h1>Not found</h1>");
        assertThat(TestServer.json(web.get("/api/runs/current", "Accept", "text/html")).get("status")).isEqualTo(404);

        HttpResponse<String> english = web.get("/entry/concept/cnn");
        // lab/cnn, the last experiment that was only planned, is written now: no entry shows "not written yet".
        assertThat(english.body()).contains("<h1>", "Measured results").doesNotContain("This experiment is not written yet");

        HttpResponse<String> search = web.get("/?q=" + java.net.URLEncoder.encode("正则化", StandardCharsets.UTF_8));
        assertThat(search.body()).contains("found for", "href=\"/entry/concept/regularization\"");
        assertThat(web.get("/quiz").body()).contains("Start session 1");
        assertThat(web.get("/draw").body()).contains("<canvas id=\"pad\"", "/static/draw.js", "No trained MNIST model");

        for (String file : List.of("/static/style.css", "/static/page.js", "/static/draw.js")) {
            HttpResponse<String> response = web.get(file);
            assertThat(response.statusCode()).as(file).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(file).isPresent();
        }
        assertThat(web.get("/static/style.css").body()).contains("Noto Sans CJK SC").doesNotContain("url(http");
    }

    @Test
    @Order(2)
    void unknownThingsAreJson404s() {
        for (String path : List.of("/nope", "/entry/concept/nope", "/entry/lab/optimizers", "/runs/task/mnist-cnn/20200101-000000",
                "/runs/task/nope/20200101-000000", "/fragment/results/lab/nope", "/api/runs/current",
                "/files/task/mnist-cnn/20200101-000000/loss.png", "/quiz?topic=nope", "/static/nope.js")) {
            HttpResponse<String> response = web.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(TestServer.json(response)).as(path).containsKey("error");
            assertThat(response.body()).as(path).doesNotContain("Exception", "\tat ");
        }
        assertThat(web.postJson("/api/runs/cancel", "{}").statusCode()).isEqualTo(404);
        assertThat(web.get("/api/runs/events", "Accept", "text/event-stream").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void predictWithoutAModelSaysSo() throws IOException {
        HttpResponse<String> response = web.post("/api/predict", "image/png",
                HttpRequest.BodyPublishers.ofByteArray(drawing(7)), "Origin", web.origin());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).get("error").toString()).contains("no trained model of task/mnist-cnn");
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void aRunStreamsItsProgressAndASecondRunIsRefusedWith409() {
        HttpResponse<String> started = web.postJson("/api/runs", "{\"experiment\":\"task/mnist-cnn\",\"mode\":\"quick\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        run = (String) TestServer.json(started).get("run");

        HttpResponse<String> second = web.postJson("/api/runs", "{\"experiment\":\"task/and-gate\",\"mode\":\"quick\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(TestServer.json(second).get("error").toString()).contains("a run is already going: task/mnist-cnn (quick run");
        System.out.println("web refusal: second run -> " + second.statusCode() + " " + TestServer.json(second).get("error"));
        assertThat(TestServer.json(web.get("/api/runs/current")).get("experiment")).isEqualTo("task/mnist-cnn");

        List<Map<String, Object>> events = web.followEvents();
        Map<String, Object> end = (Map<String, Object>) events.get(events.size() - 1).get("data");
        assertThat(end.get("state")).as(end.toString()).isEqualTo("finished");
        List<Map<String, Object>> progress = events.stream().filter(event -> event.get("event").equals("progress"))
                .map(event -> (Map<String, Object>) event.get("data")).toList();
        assertThat(progress).isNotEmpty();
        Map<String, Object> last = progress.get(progress.size() - 1);
        assertThat(last).containsEntry("epoch", 3).containsEntry("epochs", 3).containsKeys("rate", "eta_seconds", "unit");
        assertThat(last.get("done")).isEqualTo(last.get("total"));
        assertThat((Map<String, Object>) last.get("figures")).containsKeys("loss", "acc");
        assertThat(events.stream().filter(event -> event.get("event").equals("line")).map(event -> event.get("data").toString()))
                .anySatisfy(line -> assertThat(line).contains("epoch 3/3", "val_acc"));
        // A reader that comes late gets every line again, the newest progress between them, and the end.
        List<Map<String, Object>> late = web.followEvents();
        assertThat(late.stream().filter(event -> event.get("event").equals("line")).toList())
                .isEqualTo(events.stream().filter(event -> event.get("event").equals("line")).toList());
        assertThat(late.get(late.size() - 1)).isEqualTo(events.get(events.size() - 1));
    }

    @Test
    @Order(5)
    void theFinishedRunShowsItsResultsFiguresAndFiles() {
        HttpResponse<String> entry = web.get("/entry/task/mnist-cnn");
        assertThat(entry.body()).contains("data-run=\"" + run + "\"", "class=\"claim held\"", "✓ held",
                "class=\"claim not-checked\"", "– not checked", "<td>test accuracy</td>",
                "Confusion matrix on the test set", "(your quick run, seed 42)", "<caption>per class, on the test set</caption>",
                "src=\"/files/task/mnist-cnn/" + run + "/confusion_matrix.png\"");
        assertThat(web.get("/fragment/results/task/mnist-cnn").body()).contains("class=\"claim held\"").doesNotContain("<html");
        assertThat(web.get("/runs/task/mnist-cnn/" + run).body()).contains("<h1>", "report.json");
        assertThat(web.get("/").body()).contains("measured here", "test accuracy 0.9");

        HttpResponse<byte[]> png = web.getBytes("/files/task/mnist-cnn/" + run + "/confusion_matrix.png");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
        assertThat(new String(png.body(), 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("PNG");
        assertThat(web.get("/files/task/mnist-cnn/" + run + "/report.json").body()).contains("\"claims\"");
        // Files inside the run that are not pictures, the report or the metrics are not served.
        assertThat(web.get("/files/task/mnist-cnn/" + run + "/model/architecture.json").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(6)
    @SuppressWarnings("unchecked")
    void drawingsAreReadByTheSavedModel() throws IOException {
        HttpResponse<String> response = web.post("/api/predict", "image/png",
                HttpRequest.BodyPublishers.ofByteArray(drawing(1)), "Origin", web.origin());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> reading = TestServer.json(response);
        List<Number> probabilities = (List<Number>) reading.get("probabilities");
        assertThat(probabilities).hasSize(10);
        assertThat(probabilities.stream().mapToDouble(Number::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat((List<Number>) reading.get("input")).hasSize(28 * 28);
        assertThat((int) reading.get("digit")).isBetween(0, 9);
        assertThat(reading.get("model").toString()).contains(run);
    }

    @Test
    @Order(7)
    void uploadsAreLimitedInBytesAndInPixels() throws IOException {
        byte[] sixMegabytes = new byte[6 * 1024 * 1024];
        HttpResponse<String> big = web.post("/api/predict", "image/png", HttpRequest.BodyPublishers.ofByteArray(sixMegabytes),
                "Origin", web.origin());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(TestServer.json(big).get("error").toString()).contains("too large", "5 MB");
        // Without a declared length (chunked), the limit holds on what arrives.
        HttpResponse<String> chunked = web.post("/api/predict", "image/png",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(sixMegabytes)), "Origin", web.origin());
        assertThat(chunked.statusCode()).isEqualTo(413);
        // A tiny file that declares 100,000 x 100,000 pixels is refused from its header.
        HttpResponse<String> huge = web.post("/api/predict", "image/png",
                HttpRequest.BodyPublishers.ofByteArray(dlbank.TestSupport.pngHeaderOnly(100_000, 100_000)), "Origin", web.origin());
        assertThat(huge.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(huge).get("error").toString()).contains("100000 x 100000 pixels is larger than");
        HttpResponse<String> text = web.post("/api/predict", "image/png", HttpRequest.BodyPublishers.ofString("hello"),
                "Origin", web.origin());
        assertThat(text.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(text).get("error").toString()).contains("not an image");
        HttpResponse<String> blank = web.post("/api/predict", "image/png", HttpRequest.BodyPublishers.ofByteArray(blankPng()),
                "Origin", web.origin());
        assertThat(blank.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(blank).get("error").toString()).contains("no digit found");
        System.out.println("web refusal: oversize upload -> " + big.statusCode() + " (declared 6 MB), " + chunked.statusCode()
                + " (chunked 6 MB), " + huge.statusCode() + " (100000 x 100000 px header), " + text.statusCode()
                + " (not an image), " + blank.statusCode() + " (blank)");
    }

    @Test
    @Order(8)
    void traversalEncodedSeparatorsAndLinksOutOfRunsAre404() throws IOException {
        Path outside = Files.writeString(dir.resolve("secret.png"), "root:x:0:0");
        Path runDir = dir.resolve("runs/task/mnist-cnn").resolve(run);
        Files.createSymbolicLink(runDir.resolve("leak.png"), outside);
        Files.createSymbolicLink(dir.resolve("runs/task/mnist-cnn/20200101-000000"), dir);
        Files.writeString(dir.resolve("report.json"), "{\"secret\": true}");
        String files = "/files/task/mnist-cnn/" + run + "/";
        for (String target : List.of(
                "/files/task/mnist-cnn/../../../etc/passwd",
                files + "../../../../etc/passwd",
                files + "..%2f..%2f..%2f..%2fetc%2fpasswd",
                files + "%2e%2e/%2e%2e/secret.png",
                files + "%2fetc%2fpasswd",
                files + "/etc/passwd",
                files + "model/../report.json",
                files + "..",
                "/files/task%2fmnist-cnn/" + run + "/loss.png",
                "/files/task/mnist-cnn/..%2F" + run + "/loss.png",
                files + "leak.png",
                "/files/task/mnist-cnn/20200101-000000/report.json",
                "/files/task/mnist-cnn/20200101-000000/secret.png",
                "/runs/task/mnist-cnn/20200101-000000",
                "/static/..%2f..%2fdlbank/Main.class",
                "/static/../dlbank/Main.class",
                // Reference runs in the jar: only the files their report names.
                "/reference/task/mnist-cnn/../../dlbank/Main.class",
                "/reference/task/mnist-cnn/..%2f..%2fdlbank%2fMain.class",
                "/reference/task/mnist-cnn/reference.json",
                "/reference/task/mnist-cnn/model/",
                "/reference/task/..%2f..%2fweb/style.css",
                "/webjars/../dlbank/Main.class")) {
            TestServer.RawResponse response = web.raw(target);
            assertThat(response.status()).as(target).isEqualTo(404);
            assertThat(response.body()).as(target).doesNotContain("root:x", "\"secret\"");
        }
        assertThat(web.raw(files + "loss.png").status()).isEqualTo(200);
        assertThat(web.raw("/reference/task/mnist-cnn/confusion_matrix.png").status()).isEqualTo(200);
        assertThat(web.raw("/reference/task/mnist-cnn/report.json").status()).isEqualTo(200);
        System.out.println("web refusal: traversal, encoded separators, links out of runs/ and out of the reference runs "
                + "-> 404 for all 22 paths; the run's own loss.png and the reference run's files -> 200");
    }

    @Test
    @Order(9)
    void postsFromAnotherOriginAndRequestsForAnotherHostAreRefused() {
        String runBody = "{\"experiment\":\"task/and-gate\",\"mode\":\"quick\"}";
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:" + web.server.port(),
                "http://localhost:" + web.server.port())) {
            HttpResponse<String> response = web.post("/api/runs", "application/json",
                    HttpRequest.BodyPublishers.ofString(runBody), "Origin", origin);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(TestServer.json(response).get("error").toString()).as(origin).contains("refused");
        }
        HttpResponse<String> crossSite = web.post("/api/runs", "application/json", HttpRequest.BodyPublishers.ofString(runBody),
                "Sec-Fetch-Site", "cross-site");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        // "null" is what a sandboxed frame of another site sends: refused unless the browser itself says same-origin.
        for (String site : List.of("cross-site", "same-site", "none")) {
            assertThat(web.post("/api/runs", "application/json", HttpRequest.BodyPublishers.ofString(runBody),
                    "Origin", "null", "Sec-Fetch-Site", site).statusCode()).as("null origin, " + site).isEqualTo(403);
        }
        // The page's own form under a referrer policy that withholds its origin (Chromium sends "null").
        HttpResponse<String> ownForm = web.post("/entry/concept/cnn/grade", "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofString("answer=weight+sharing"), "Origin", "null", "Sec-Fetch-Site", "same-origin");
        assertThat(ownForm.statusCode()).isEqualTo(200);
        // And the page's headers keep the origin in its own form posts.
        assertThat(web.get("/").headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        HttpResponse<String> quiz = web.post("/quiz/answer", "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofString("id=task/mnist-cnn&knew=yes"), "Origin", "http://evil.example");
        assertThat(quiz.statusCode()).isEqualTo(403);
        assertThat(web.post("/api/predict", "image/png", HttpRequest.BodyPublishers.ofString("x"), "Origin",
                "http://evil.example").statusCode()).isEqualTo(403);
        // No run was started by any of them.
        assertThat(TestServer.json(web.get("/api/runs/current")).get("experiment")).isEqualTo("task/mnist-cnn");
        // A name that rebinds to 127.0.0.1 gets nothing, not even a page.
        assertThat(web.raw("GET", "/", "evil.example:" + web.server.port()).status()).isEqualTo(403);
        assertThat(web.raw("GET", "/", "localhost:" + web.server.port()).status()).isEqualTo(200);
        System.out.println("web refusal: cross-origin POST -> 403 (5 origins to /api/runs, Sec-Fetch-Site cross-site, "
                + "/quiz/answer, /api/predict); foreign Host -> 403");
    }

    @Test
    @Order(10)
    void badRunRequestsAreJsonErrors() {
        HttpResponse<String> notJson = web.postJson("/api/runs", "experiment=task/and-gate");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(notJson)).containsKey("error");
        assertThat(web.postJson("/api/runs", "{\"experiment\":\"task/and-gate\",\"mode\":\"slow\"}").statusCode()).isEqualTo(400);
        assertThat(web.postJson("/api/runs", "{\"experiment\":\"lab/none\",\"mode\":\"quick\"}").statusCode()).isEqualTo(404);
        assertThat(web.get("/api/runs/events").statusCode()).isEqualTo(406);
    }

    @Test
    @Order(11)
    void theQuizSharesItsStateWithTheTerminalQuiz() {
        Path state = TestServer.quizFile(dir);
        HttpResponse<String> startSession = web.postForm("/quiz/session", "");
        assertThat(startSession.statusCode()).isEqualTo(303);
        assertThat(startSession.headers().firstValue("Location").orElse("")).isEqualTo("/quiz");
        assertThat(QuizState.read(state).session()).isEqualTo(1);

        HttpResponse<String> card = web.get("/quiz");
        assertThat(card.body()).contains("Session 1 · " + ENTRIES + " left · box 1 of 5", "What is deep learning", "Show the answer",
                "name=\"id\" value=\"concept/deep-learning\"");
        assertThat(web.postForm("/quiz/answer", "id=concept/deep-learning&knew=yes").statusCode()).isEqualTo(303);
        // A second answer to the same card (a double click) does not move it again.
        assertThat(web.postForm("/quiz/answer", "id=concept/deep-learning&knew=yes").statusCode()).isEqualTo(303);
        LeitnerSchedule schedule = QuizState.read(state);
        assertThat(schedule.card("concept/deep-learning")).isEqualTo(new LeitnerSchedule.Card(2, 3, 1, 1));
        assertThat(web.get("/quiz").body()).contains((ENTRIES - 1) + " left").doesNotContain("value=\"concept/deep-learning\"");

        assertThat(web.postForm("/quiz/answer", "id=concept/nope&knew=yes").statusCode()).isEqualTo(400);
        assertThat(web.postForm("/quiz/answer", "id=concept/cnn&knew=maybe").statusCode()).isEqualTo(400);
        HttpResponse<String> topic = web.get("/quiz?topic=programming-tasks");
        assertThat(topic.body()).contains("5 left");
    }

    @Test
    @Order(12)
    void anAnswerWrittenOnTheEntryPageIsGradedOnTheKeyPoints() {
        assertThat(web.get("/entry/concept/cnn").body()).contains("action=\"/entry/concept/cnn/grade\"", "<textarea");
        String answer = dlbank.bank.Bank.load().find("concept/cnn", "en").orElseThrow().shortAnswer();
        HttpResponse<String> graded = web.postForm("/entry/concept/cnn/grade",
                "answer=" + java.net.URLEncoder.encode(answer, StandardCharsets.UTF_8));
        assertThat(graded.statusCode()).isEqualTo(200);
        int score = Integer.parseInt(graded.body().replaceAll("(?s).*<span class=\"score-number\">(\\d+)</span>.*", "$1"));
        assertThat(score).as("the entry's own short answer").isGreaterThanOrEqualTo(70); // the grader's high band
        assertThat(graded.body()).contains("Key points made", "✓ made");

        HttpResponse<String> wrong = web.postForm("/entry/concept/cnn/grade?lang=zh",
                "answer=" + java.net.URLEncoder.encode("我不知道。", StandardCharsets.UTF_8));
        assertThat(wrong.body()).contains("漏掉的要点", "<span class=\"score-number\">0</span>");
        assertThat(web.postForm("/entry/concept/cnn/grade", "answer=").statusCode()).isEqualTo(400);
        assertThat(web.postForm("/entry/concept/nope/grade", "answer=x").statusCode()).isEqualTo(404);
        assertThat(web.post("/entry/concept/cnn/grade", "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofString("answer=x"), "Origin", "http://evil.example").statusCode()).isEqualTo(403);
    }

    /** A drawn digit as PNG bytes, as the page's canvas sends it. */
    private static byte[] drawing(int digit) throws IOException {
        DrawnDigits.Drawing drawing = DrawnDigits.draw(1, 3).get(digit);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(drawing.image(), "png", png);
        return png.toByteArray();
    }

    private static byte[] blankPng() throws IOException {
        java.awt.image.BufferedImage white = new java.awt.image.BufferedImage(50, 50, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = white.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 50, 50);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(white, "png", png);
        return png.toByteArray();
    }

    /** A PNG signature and header chunk that declare a size, and no pixel data. */
}
