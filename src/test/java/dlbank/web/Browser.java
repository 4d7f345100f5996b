package dlbank.web;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless Chromium driven by Selenium, for the browser tests, and the checks every page they
 * open must pass: no raw JSON, no stack trace or internal error, and in a Chinese page no English word
 * outside code, formulas, the answer's own Markdown and the allow-list of names
 * ({@code src/test/resources/web/zh-allowed-words.txt}).
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** What a browser shows of a failure we must never show: a Java stack frame, an exception's name, "internal error". */
    private static final Pattern TRACE = Pattern.compile("\\bat [a-z]+(\\.[A-Za-z0-9_$]+)+\\(|\\.java:\\d+\\)|[A-Z][A-Za-z]+Exception\\b"
            + "|internal error|内部错误");
    private static final Pattern WORD = Pattern.compile("[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*[A-Za-zÀ-ÖØ-öø-ÿ]|[A-Za-z]");
    /**
     * The page's text a reader sees, without the parts that may hold English: code, formulas, the
     * bank's own text (the answer's Markdown and the key points quoted by a grade, written with English terms
     * in parentheses and cited titles; GlossaryTest checks it), the terminal's own output, the other
     * language's switch link.
     */
    private static final String VISIBLE_TEXT = "const clone = document.body.cloneNode(true);"
            + "clone.querySelectorAll('code, pre, kbd, samp, .katex, .math, .answer, .bank-text, script, style, textarea, [lang=\"en\"], "
            + ".log-box, canvas').forEach(e => e.remove());"
            + "const walker = document.createTreeWalker(clone, NodeFilter.SHOW_TEXT); const parts = [];"
            + "while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);"
            + "return parts.join(' ');";

    final ChromeDriver driver;
    private final Set<String> allowed;
    /** Every English word found outside the allow-list, with the page: for the failure message. */
    final List<String> leaks = new ArrayList<>();

    private Browser(ChromeDriver driver, Set<String> allowed) {
        this.driver = driver;
        this.allowed = allowed;
    }

    static Browser start(Path profile, int width, int height) throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the browser tests need Debian's Chromium and its driver: apt-get install -y chromium chromium-driver "
                        + "fonts-noto-cjk (.ci/run installs them when missing)")
                .isTrue();
        Files.createDirectories(profile);
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // This machine's network is closed: no background connections, no component updates.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + width + "," + height, "--lang=en-US",
                "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        Set<String> allowed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : Files.readAllLines(Path.of("src/test/resources/web/zh-allowed-words.txt"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                allowed.addAll(List.of(line.strip().split("\\s+")));
            }
        }
        return new Browser(new ChromeDriver(service, options), allowed);
    }

    /** Opens a page and checks it. */
    void open(String url) {
        driver.get(url);
        check();
    }

    /** The page now shown passes the checks: no JSON, no trace; a Chinese page has no English outside the allowed parts. */
    void check() {
        String url = driver.getCurrentUrl();
        String type = String.valueOf(driver.executeScript("return document.contentType"));
        String text = driver.findElement(By.tagName("body")).getText();
        assertThat(type).as("content type of " + url).isEqualTo("text/html");
        assertThat(text.strip()).as("raw JSON at " + url).doesNotStartWith("{");
        Matcher trace = TRACE.matcher(text);
        assertThat(trace.find()).as("stack trace or internal error at " + url + ": " + (trace.find(0) ? trace.group() : "")).isFalse();
        if ("zh-Hans".equals(driver.findElement(By.tagName("html")).getAttribute("lang"))) {
            String visible = String.valueOf(driver.executeScript(VISIBLE_TEXT));
            Matcher word = WORD.matcher(visible);
            Set<String> found = new TreeSet<>();
            while (word.find()) {
                String token = word.group();
                boolean acronym = token.length() >= 2 && token.length() <= 8 && token.equals(token.toUpperCase(Locale.ROOT));
                if (!acronym && token.length() > 1 && !allowed.contains(token)) {
                    found.add(token);
                }
            }
            if (!found.isEmpty()) {
                leaks.add(url + ": " + found);
            }
            assertThat(found).as("English words in the Chinese page " + url
                    + " (outside code, formulas and the answer; allowed names are in src/test/resources/web/zh-allowed-words.txt)")
                    .isEmpty();
        }
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Makes the window tall enough to show the element whole (at most 4000 px), for a screenshot. */
    void tallEnoughFor(String selector, int width) {
        Number height = (Number) driver.executeScript("const e = document.querySelector(arguments[0]);"
                + "return Math.ceil(e.getBoundingClientRect().bottom - e.getBoundingClientRect().top)", selector);
        Number chrome = (Number) driver.executeScript("return window.outerHeight - window.innerHeight");
        size(width, Math.min(4000, Math.max(900, height.intValue() + chrome.intValue() + 80)));
    }

    void screenshot(String name) {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String field(WebElement panel, String name) {
        return panel.findElement(By.cssSelector("[data-field='" + name + "']")).getText();
    }

    void quit() {
        driver.quit();
    }
}
