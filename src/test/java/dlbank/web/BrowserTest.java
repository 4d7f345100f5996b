package dlbank.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dlbank.web.Browser.field;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in a real browser (Debian's headless Chromium, driven by Selenium), as a new user meets it
 * on a fresh install, in Chinese and in English: the reference run before anything has run, a formula
 * rendered by KaTeX, every form sent (quiz start, reveal, knew it / did not, grading, an empty answer,
 * the mock interview to its review), a quick run followed live to its end (curve, phase, clock) and one
 * cancelled, the drawing pad, a phone-width page and the error pages. Every page opened passes
 * {@link Browser#check}: no raw JSON, no stack trace, no English in a Chinese page outside code, formulas
 * and the allow-list. Screenshots go to target/screenshots/. Every registered experiment's quick run from
 * the page is {@link BrowserSweepTest}'s job (its own Maven profile).
 */
class BrowserTest {

    @Test
    void aNewUserReadsRunsPractisesAndIsInterviewedInBothLanguages(@TempDir Path dir) throws IOException {
        try (TestServer web = TestServer.start(dir, "en")) {
            Browser browser = Browser.start(dir.resolve("chromium-profile"), 1280, 1000);
            try {
                String base = web.base();
                chinese(browser, base, dir);
                english(browser, base);
            } finally {
                browser.quit();
            }
        }
    }

    private static void chinese(Browser browser, String base, Path dir) {
        // A page that is replaced while a condition reads it (a form post navigating) is read again.
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        // The bank, with the reference run's figure by its Chinese name before anything has run here.
        browser.open(base + "/?lang=zh");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains("深度学习面试题");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("参考结果", "测试准确率 0.9902");
        browser.tallEnoughFor("main", 1280);
        browser.screenshot("home-zh.png");
        browser.size(1280, 1000);
        browser.open(base + "/?q=" + java.net.URLEncoder.encode("正则化", java.nio.charset.StandardCharsets.UTF_8));
        assertThat(browser.driver.findElements(By.cssSelector("ul.entries.hits > li"))).isNotEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("section.part"))).as("no whole bank under the hits").isEmpty();

        // A formula, rendered by KaTeX from the jar.
        browser.open(base + "/entry/concept/attention");
        wait.until(page -> !page.findElements(By.cssSelector(".math[data-rendered='katex'] .katex")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector(".math-error"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("nav.toc li a"))).hasSizeGreaterThanOrEqualTo(5);
        assertThat(browser.driver.findElement(By.cssSelector("nav.neighbours a[rel='next']")).getText()).startsWith("下一题：");
        browser.driver.executeScript("document.querySelector('.math.display').scrollIntoView({block: 'center'})");
        browser.screenshot("entry-formula-zh.png");

        // Every entry in Chinese: its page passes the checks, and every formula renders without a KaTeX error.
        for (dlbank.bank.BankEntry entry : dlbank.bank.Bank.load().entries("zh")) {
            browser.open(base + "/entry/" + entry.id());
            wait.until(page -> page.findElements(By.cssSelector(".math:not([data-rendered])")).isEmpty());
            assertThat(browser.driver.findElements(By.cssSelector(".math-error"))).as(entry.id() + ": formulas KaTeX refused")
                    .isEmpty();
        }

        // The reference run on a fresh install: marked, with its machine, command and figures.
        browser.open(base + "/entry/task/mnist-cnn");
        WebElement reference = browser.driver.findElement(By.cssSelector(".results .run.reference"));
        assertThat(reference.findElement(By.cssSelector(".reference-badge")).getText()).isEqualTo("参考运行");
        assertThat(reference.getText()).contains("构建机", "./dlbank run task/mnist-cnn", "0.9902", "精确率", "召回率");
        assertThat(reference.findElements(By.cssSelector("table.per-class tbody tr"))).hasSize(10);
        wait.until(page -> (Boolean) ((JavascriptExecutor) page).executeScript(
                "return Array.from(document.querySelectorAll('.run.reference img')).every(i => i.complete && i.naturalWidth > 0)"));

        // Grading: an answer, then an empty one (a page with a way back, not JSON).
        browser.driver.findElement(By.cssSelector("details.try-first summary")).click();
        browser.driver.findElement(By.cssSelector("form.grade-form textarea")).sendKeys("卷积层用权重共享和局部连接，参数比全连接层少得多。");
        browser.driver.findElement(By.cssSelector("form.grade-form button")).click();
        wait.until(page -> "你的回答的评分".equals(text(page, "h1")));
        browser.check();
        assertThat(browser.driver.findElement(By.cssSelector(".score-number")).getText()).matches("\\d+");
        browser.driver.findElement(By.cssSelector("form.grade-form textarea")).clear();
        browser.driver.findElement(By.cssSelector("form.grade-form button")).click();
        wait.until(page -> !page.findElements(By.cssSelector(".error-page")).isEmpty());
        browser.check();
        assertThat(browser.driver.findElement(By.cssSelector(".error-page")).getText()).contains("没有可评分的回答", "回到这道题");

        // The quiz: start a session, open the answer, knew it, did not.
        browser.open(base + "/quiz");
        browser.driver.findElement(By.cssSelector("button.start")).click();
        wait.until(page -> !page.findElements(By.cssSelector(".quiz-card")).isEmpty());
        browser.check();
        assertThat(browser.driver.findElement(By.cssSelector(".quiz-meta")).getText()).startsWith("第 1 轮");
        browser.driver.findElement(By.cssSelector("details.quiz-answer summary")).click();
        assertThat(browser.driver.findElement(By.cssSelector("details.quiz-answer")).getAttribute("open")).isNotNull();
        String first = cardTitle(browser.driver);
        browser.driver.findElement(By.cssSelector("button.knew")).click();
        wait.until(page -> !first.equals(cardTitle(page)));
        browser.check();
        String second = cardTitle(browser.driver);
        browser.driver.findElement(By.cssSelector("button.missed")).click();
        wait.until(page -> !second.equals(cardTitle(page)));
        browser.check();

        // The mock interview: a question with its clock, the follow-up, the review; the transcript saved.
        interview(browser, base, "开始面试", "到此结束面试", "面试回顾", true);
        try (var files = Files.list(dir.resolve("home/interviews"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".md")).count()).isEqualTo(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        // A quick run, followed live: the phase, the clock every second, the curve; then the results.
        browser.open(base + "/entry/task/mnist-cnn");
        WebElement panel = browser.driver.findElement(By.cssSelector(".run-panel[data-experiment='task/mnist-cnn']"));
        assertThat(panel.findElement(By.cssSelector(".run-button[data-mode='full'] .time")).getText()).contains("约 1 分");
        browser.driver.executeScript("window.dlbankMarker = 'same page';");
        panel.findElement(By.cssSelector(".run-button[data-mode='quick']")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(600)).until(page ->
                Integer.parseInt(orZero(panel.getAttribute("data-points"))) >= 4 && !field(panel, "batch").equals("–"));
        assertThat(field(panel, "phase")).isIn("训练中", "评估中");
        assertThat(field(panel, "rate")).endsWith("张图/秒");
        assertThat(field(panel, "eta")).matches("\\d+:\\d\\d（(整个运行|本轮)）");
        int ticks = Integer.parseInt(panel.getAttribute("data-ticks"));
        // The clock ticks every second while the run lasts (a quick run on a fast machine may end first).
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(page ->
                Integer.parseInt(panel.getAttribute("data-ticks")) >= ticks + 2 || over(panel));
        browser.driver.executeScript("document.querySelector('.run-panel .live').scrollIntoView({block: 'start'})");
        browser.screenshot("run-live-zh.png");
        new WebDriverWait(browser.driver, Duration.ofSeconds(600)).until(page -> over(panel));
        assertThat(panel.findElement(By.cssSelector(".run-state")).getText()).startsWith("已完成，用时");
        assertThat(field(panel, "epoch")).isEqualTo("3/3");
        WebElement results = browser.driver.findElement(By.cssSelector(".experiment .results"));
        wait.until(page -> !results.findElements(By.cssSelector(".run:not(.reference) li.claim.held")).isEmpty());
        assertThat(results.findElement(By.cssSelector(".own-badge")).getText()).isEqualTo("你的运行");
        assertThat(results.findElements(By.cssSelector("details.reference-also .run.reference"))).hasSize(1);
        assertThat(browser.driver.executeScript("return window.dlbankMarker")).isEqualTo("same page");
        browser.check();

        // Cancel a run before its first epoch ends: said in Chinese, nothing kept.
        panel.findElement(By.cssSelector(".run-button[data-mode='quick']")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(600)).until(page -> !field(panel, "batch").equals("–"));
        panel.findElement(By.cssSelector(".cancel-button")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(600)).until(page -> "cancelled".equals(panel.getAttribute("data-state")));
        assertThat(panel.findElement(By.cssSelector(".run-state")).getText()).startsWith("已取消。");
        browser.check();

        // The drawing pad reads a drawn 7 with the model the quick run saved; the model line is Chinese.
        browser.open(base + "/draw");
        WebElement pad = browser.driver.findElement(By.id("pad"));
        new Actions(browser.driver)
                .moveToElement(pad, -70, -80).clickAndHold()
                .moveByOffset(70, 0).moveByOffset(70, 0)
                .moveByOffset(-35, 60).moveByOffset(-35, 60).moveByOffset(-20, 40)
                .release().perform();
        wait.until(page -> {
            Object digit = ((JavascriptExecutor) page).executeScript(
                    "var e = document.getElementById('prediction'); return e ? e.getAttribute('data-digit') : null;");
            return digit != null && !digit.toString().isEmpty();
        });
        assertThat(browser.driver.findElement(By.id("model-line")).getText()).startsWith("模型：task/mnist-cnn 的快速运行");
        assertThat(browser.driver.findElement(By.id("digit")).getText()).as("the drawn 7 is read as a 7").isEqualTo("7");
        browser.check();
        browser.tallEnoughFor("body", 1280);
        browser.screenshot("draw-zh.png");

        // Errors reached by browsing: pages in Chinese with a way back.
        for (String path : List.of("/entry/concept/nope", "/nope")) {
            browser.open(base + path);
            assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("没有找到这个页面");
            assertThat(browser.driver.findElement(By.linkText("返回题库")).isDisplayed()).isTrue();
        }

        // A phone, 390 px wide: the navigation keeps its words whole, nothing is wider than the screen.
        browser.size(390, 844);
        browser.open(base + "/entry/task/mnist-cnn");
        for (WebElement link : browser.driver.findElements(By.cssSelector("header.top nav a"))) {
            assertThat(link.getSize().getHeight()).as("nav link " + link.getText() + " on one line").isLessThan(40);
        }
        assertThat((Long) browser.driver.executeScript("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(390L);
        browser.screenshot("phone-zh.png");
        browser.size(1280, 1000);
    }

    private static void english(Browser browser, String base) {
        // A page that is replaced while a condition reads it (a form post navigating) is read again.
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.open(base + "/?lang=en");
        // The quick run made in Chinese now stands for task/mnist-cnn; the other experiments still show nothing or a reference.
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("measured here", "(quick run)", "runnable");
        browser.open(base + "/quiz");
        browser.driver.findElement(By.cssSelector("button.knew")).click();
        wait.until(page -> !page.findElements(By.cssSelector(".quiz-card, .quiz-end")).isEmpty());
        browser.check();
        browser.open(base + "/entry/concept/cnn");
        // lab/cnn, once only planned, runs now: its panel is there and nothing says "not written yet".
        assertThat(browser.driver.findElements(By.cssSelector(".experiment.not-yet"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector(".run-panel[data-experiment='lab/cnn']"))).hasSize(1);
        browser.driver.findElement(By.cssSelector("details.try-first summary")).click();
        browser.driver.findElement(By.cssSelector("form.grade-form textarea")).sendKeys("Convolutions share weights across positions.");
        browser.driver.findElement(By.cssSelector("form.grade-form button")).click();
        wait.until(page -> "Your answer, graded".equals(text(page, "h1")));
        browser.check();
        interview(browser, base, "Start the interview", "End the interview here", "Interview review", false);

        // The fastest experiment from start to end in English.
        browser.open(base + "/entry/task/and-gate");
        WebElement panel = browser.driver.findElement(By.cssSelector(".run-panel[data-experiment='task/and-gate']"));
        panel.findElement(By.cssSelector(".run-button[data-mode='quick']")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(600)).until(page -> over(panel));
        assertThat(panel.findElement(By.cssSelector(".run-state")).getText()).startsWith("Finished in");
        assertThat(field(panel, "elapsed")).matches("\\d+:\\d\\d");
        browser.check();
        browser.open(base + "/nope");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
    }

    /** One question answered, its follow-up if it has one, then the end and the review. */
    private static void interview(Browser browser, String base, String start, String end, String review, boolean screenshot) {
        // A page that is replaced while a condition reads it (a form post navigating) is read again.
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser.driver, Duration.ofSeconds(60))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.open(base + "/interview");
        new Select(browser.driver.findElement(By.cssSelector("select[name='questions']"))).selectByVisibleText("2");
        browser.driver.findElement(By.xpath("//button[text()='" + start + "']")).click();
        wait.until(page -> !page.findElements(By.cssSelector(".interview-question")).isEmpty());
        browser.check();
        wait.until(page -> { String clock = text(page, ".clock"); return clock != null && !clock.equals("0:00"); });
        if (screenshot) {
            browser.driver.findElement(By.cssSelector(".interview-answer textarea")).sendKeys("梯度沿着计算图反向传播，用链式法则逐层求导。");
            browser.screenshot("interview-zh.png");
        } else {
            browser.driver.findElement(By.cssSelector(".interview-answer textarea")).sendKeys("The gradient flows back by the chain rule.");
        }
        browser.driver.findElement(By.cssSelector(".interview-answer button")).click();
        wait.until(page -> !page.findElements(By.cssSelector("details.last-grade")).isEmpty());
        browser.check();
        if (browser.driver.findElement(By.cssSelector(".interview-question")).getAttribute("data-stage").equals("follow-up")) {
            browser.driver.findElement(By.cssSelector(".interview-answer textarea")).sendKeys("x");
            browser.driver.findElement(By.cssSelector(".interview-answer button")).click();
            wait.until(page -> page.findElements(By.cssSelector(".interview-question[data-stage='follow-up']")).isEmpty());
            browser.check();
        }
        browser.driver.findElement(By.xpath("//button[text()='" + end + "']")).click();
        wait.until(page -> review.equals(text(page, "h1")));
        browser.check();
        assertThat(browser.driver.findElements(By.cssSelector("table.review tbody tr"))).isNotEmpty();
        assertThat(browser.driver.findElement(By.cssSelector("p.files code")).getText()).endsWith(".md");
    }

    /**
     * The run has ended one way or another (a refusal or failure ends the wait at once, and the next
     * assertion says which). Generous waits: on a loaded machine a quick run takes minutes.
     */
    private static boolean over(WebElement panel) {
        String state = panel.getAttribute("data-state");
        return "finished".equals(state) || "failed".equals(state) || "refused".equals(state) || "cancelled".equals(state);
    }

    private static String orZero(String value) {
        return value == null ? "0" : value;
    }


    /** The quiz card's title. */
    private static String cardTitle(org.openqa.selenium.WebDriver driver) {
        return text(driver, ".quiz-card h2");
    }

    /**
     * The text of the first element the selector finds (null if none), read in the page in one step.
     * Waits read text this way because the page replaces elements while the test waits, and Chromium
     * reports a replaced node now as a stale element, now as "Node with given id does not belong to the
     * document", which no wait can ignore by type (it failed a CI run on the quiz card, then on the
     * interview's heading).
     */
    private static String text(org.openqa.selenium.WebDriver driver, String selector) {
        Object text = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "var e = document.querySelector(arguments[0]); return e ? e.innerText : null;", selector);
        return text == null ? null : text.toString().strip();
    }
}
