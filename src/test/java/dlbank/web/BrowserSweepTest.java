package dlbank.web;

import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registered experiment's quick run, started from its entry page in a real browser and followed to
 * "finished" (the list comes from {@link ExperimentRegistry#all()}, so new experiments are swept as they
 * are registered). The run starts from the Chinese page; the same entry is then opened in English, where
 * the finished run must show too. Each page passes {@link Browser#check} (no raw JSON, no stack trace, no
 * English in a Chinese page), and the results that replace the reference run name every metric for readers.
 *
 * <p>Too slow for the default suite (every quick run once more): {@code mvn -B test -Pbrowser-sweep} runs it,
 * and so does {@code .ci/run}. {@code -Ddlbank.sweep.twice=true} starts each run again from the English page,
 * {@code -Ddlbank.sweep.languages=zh} checks one language, {@code -Ddlbank.sweep.only=task/and-gate,lab/attention}
 * only those experiments.
 */
class BrowserSweepTest {

    @Test
    void everyExperimentRunsFromThePageToTheEndInBothLanguages(@TempDir Path dir) throws IOException {
        List<String> languages = List.of(System.getProperty("dlbank.sweep.languages", "zh,en").split(","));
        List<String> only = List.of(System.getProperty("dlbank.sweep.only", "").split(","));
        boolean twice = Boolean.getBoolean("dlbank.sweep.twice");
        List<String> timings = new ArrayList<>();
        List<String> unnamed = new ArrayList<>();
        try (TestServer web = TestServer.start(dir, "en")) {
            Browser browser = Browser.start(dir.resolve("chromium-profile"), 1280, 1000);
            try {
                for (Experiment experiment : ExperimentRegistry.all()) {
                    if (!only.get(0).isEmpty() && !only.contains(experiment.id())) {
                        continue;
                    }
                    assertThat(Names.hasChineseTitle(experiment.id()))
                            .as(experiment.id() + " has a Chinese title in src/main/resources/web/experiment-titles.zh.tsv").isTrue();
                    String entry = experiment.questions().get(0);
                    for (int i = 0; i < languages.size(); i++) {
                        String language = languages.get(i);
                        browser.open(web.base() + "/?lang=" + language);
                        browser.open(web.base() + "/entry/" + entry);
                        WebElement panel = browser.driver.findElement(
                                By.cssSelector(".run-panel[data-experiment='" + experiment.id() + "']"));
                        if (i == 0 || twice) {
                            long begin = System.nanoTime();
                            panel.findElement(By.cssSelector(".run-button[data-mode='quick']")).click();
                            new WebDriverWait(browser.driver, Duration.ofMinutes(15)).until(page -> {
                                String state = panel.getAttribute("data-state");
                                return "finished".equals(state) || "failed".equals(state) || "refused".equals(state);
                            });
                            double seconds = (System.nanoTime() - begin) / 1e9;
                            String state = panel.findElement(By.cssSelector(".run-state")).getText();
                            assertThat(panel.getAttribute("data-state")).as(language + " " + experiment.id() + ": " + state)
                                    .isEqualTo("finished");
                            timings.add(String.format("%s %s %.1f s", language, experiment.id(), seconds));
                        }
                        // The user's run replaces the reference run's figures, in this language too.
                        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(page -> !page.findElements(By.cssSelector(
                                "#" + panel.getAttribute("id") + " ~ .results .run:not(.reference)")).isEmpty());
                        browser.check();
                        browser.driver.findElements(By.cssSelector("#" + panel.getAttribute("id") + " ~ .results .run:not(.reference) "
                                + "code.raw-name")).forEach(code -> unnamed.add(experiment.id() + " " + code.getText()));
                    }
                }
            } finally {
                browser.quit();
                System.out.println("browser sweep: " + String.join("; ", timings));
                System.out.println("browser sweep: metrics without a name for readers (shown as their id): "
                        + (unnamed.isEmpty() ? "none" : String.join(", ", unnamed.stream().distinct().toList())));
            }
        }
    }
}
