package dlbank.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver. It opens an entry, switches the language, starts a quick run and watches its progress
 * reach the end and its claims appear without a reload, then draws a digit on the canvas with pointer
 * actions and reads the prediction. Screenshots go to target/screenshots/ on every run.
 *
 * <p>Chromium is part of the contract: without it this test fails and says how to install it
 * ({@code .ci/run} does).
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @Test
    void anEntryRunsLiveSwitchesLanguageAndTheCanvasReadsADrawnDigit(@TempDir Path dir) throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the browser test needs Debian's Chromium and its driver: apt-get install -y chromium chromium-driver "
                        + "(.ci/run installs them when missing)")
                .isTrue();
        Files.createDirectories(SCREENSHOTS);
        try (TestServer web = TestServer.start(dir, "en")) {
            ChromeDriver browser = startChromium(dir.resolve("chromium-profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(web.base() + "/entry/task/mnist-cnn");
                assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Build a CNN");

                // The switch: Chinese, kept on the next page, and back.
                browser.findElement(By.id("lang-switch")).click();
                wait.until(page -> page.findElement(By.tagName("html")).getAttribute("lang").equals("zh-Hans"));
                assertThat(browser.findElement(By.tagName("h1")).getText()).contains("编写一个对 MNIST 手写数字进行分类的卷积神经网络");
                assertThat(browser.findElement(By.cssSelector(".measured-section h2")).getText()).isEqualTo("实测结果（本机）");
                screenshot(browser, "entry-zh.png");
                browser.get(web.base() + "/");
                assertThat(browser.findElement(By.tagName("h1")).getText()).contains("深度学习面试题");
                browser.get(web.base() + "/entry/task/mnist-cnn");
                browser.findElement(By.id("lang-switch")).click();
                wait.until(page -> page.findElement(By.tagName("html")).getAttribute("lang").equals("en"));

                // A quick run: live fields, the bar to its end, then the claims, all without a reload.
                browser.executeScript("window.dlbankMarker = 'same page';");
                WebElement panel = browser.findElement(By.cssSelector(".run-panel[data-experiment='task/mnist-cnn']"));
                panel.findElement(By.cssSelector(".run-button[data-mode='quick']")).click();
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(page ->
                        !field(panel, "batch").equals("–"));
                new WebDriverWait(browser, Duration.ofSeconds(180)).until(page ->
                        "finished".equals(panel.getAttribute("data-state")));
                assertThat(panel.findElement(By.cssSelector("progress.bar")).getAttribute("value")).isEqualTo("100");
                assertThat(field(panel, "epoch")).isEqualTo("3/3");
                assertThat(field(panel, "batch")).isEqualTo("29/29");
                assertThat(field(panel, "loss")).matches("\\d\\.\\d{4}");
                assertThat(field(panel, "accuracy")).matches("\\d+\\.\\d\\d%");
                assertThat(field(panel, "rate")).endsWith("img/s");
                assertThat(panel.findElement(By.cssSelector("pre.log")).getText()).contains("epoch 3/3", "macro F1");
                WebElement results = browser.findElement(By.cssSelector(".experiment .results"));
                wait.until(page -> !results.findElements(By.cssSelector("li.claim.held")).isEmpty());
                assertThat(results.findElement(By.cssSelector("li.claim.held .verdict")).getText()).isEqualTo("✓ held");
                assertThat(results.findElements(By.cssSelector("li.claim.not-checked"))).isNotEmpty();
                assertThat(results.findElements(By.cssSelector(".figures figure img"))).hasSizeGreaterThanOrEqualTo(3);
                assertThat(browser.executeScript("return window.dlbankMarker")).isEqualTo("same page");
                wait.until(page -> (Boolean) ((JavascriptExecutor) page).executeScript(
                        "return Array.from(document.querySelectorAll('.figures img')).every(i => i.complete && i.naturalWidth > 0)"));
                // The whole results section in one picture: live fields, metrics, claims, figures.
                tallEnoughFor(browser, ".measured-section");
                browser.executeScript("document.querySelector('.measured-section').scrollIntoView()");
                screenshot(browser, "entry-results.png");
                browser.manage().window().setSize(new Dimension(1280, 1000));

                // The drawing pad: a 7 drawn with the pointer, read by the model the run just saved.
                browser.get(web.base() + "/draw");
                WebElement pad = browser.findElement(By.id("pad"));
                new Actions(browser)
                        .moveToElement(pad, -70, -80).clickAndHold()
                        .moveByOffset(70, 0).moveByOffset(70, 0)
                        .moveByOffset(-35, 60).moveByOffset(-35, 60).moveByOffset(-20, 40)
                        .release().perform();
                wait.until(page -> !page.findElement(By.id("prediction")).getAttribute("data-digit").isEmpty());
                String digit = browser.findElement(By.id("digit")).getText();
                List<WebElement> bars = browser.findElements(By.cssSelector("#bars li"));
                assertThat(bars).hasSize(10);
                assertThat(browser.findElement(By.cssSelector("#bars li.top")).getAttribute("data-digit")).isEqualTo(digit);
                assertThat(browser.findElement(By.id("confidence")).getText()).matches("p = [01]\\.\\d{3}");
                assertThat(browser.findElement(By.id("model-line")).getText()).contains("task/mnist-cnn");
                assertThat(digit).as("the drawn 7 is read as a 7").isEqualTo("7");
                // The pad, every class's bar and the 28x28 input the model saw, in one picture.
                tallEnoughFor(browser, "body");
                screenshot(browser, "draw.png");
            } finally {
                browser.quit();
            }
        }
    }

    /** Makes the window tall enough to show the element whole (at most 4000 px), for a screenshot. */
    private static void tallEnoughFor(ChromeDriver browser, String selector) {
        Number height = (Number) browser.executeScript("const e = document.querySelector(arguments[0]);"
                + "return Math.ceil(e.getBoundingClientRect().bottom - e.getBoundingClientRect().top)", selector);
        Number chrome = (Number) browser.executeScript("return window.outerHeight - window.innerHeight");
        int wanted = Math.min(4000, Math.max(1000, height.intValue() + chrome.intValue() + 80));
        browser.manage().window().setSize(new Dimension(1280, wanted));
    }

    private static String field(WebElement panel, String name) {
        return panel.findElement(By.cssSelector("[data-field='" + name + "']")).getText();
    }

    private static ChromeDriver startChromium(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // This machine's network is closed: no background connections, no component updates.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000", "--lang=en-US",
                "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
