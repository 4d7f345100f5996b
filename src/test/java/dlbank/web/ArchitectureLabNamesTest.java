package dlbank.web;

import dlbank.report.RunDirectory;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three architecture labs of issue 24 show no raw ids on the page: each reference run they ship has
 * a name in both languages for every metric and every value its claims quote, a Chinese title, and a
 * caption for every picture.
 */
class ArchitectureLabNamesTest {

    private static final List<String> LABS = List.of("lab/efficient-cnn", "lab/detection-segmentation", "lab/vision-transformer");

    @Test
    @SuppressWarnings("unchecked")
    void everyMeasurementPictureAndTitleOfTheirReferenceRunsIsNamed() throws URISyntaxException {
        int reports = 0;
        for (String lab : LABS) {
            assertThat(Names.hasChineseTitle(lab)).as(lab + " has a Chinese title").isTrue();
            var resource = getClass().getResource("/reference/" + lab + "/report.json");
            if (resource == null) {
                continue; // no reference run committed yet
            }
            reports++;
            Path dir = Path.of(resource.toURI()).getParent();
            Map<String, Object> report = RunDirectory.readReport(dir);
            List<String> ids = new ArrayList<>(((Map<String, Object>) report.get("metrics")).keySet());
            for (Map<String, Object> claim : (List<Map<String, Object>>) report.get("claims")) {
                ids.addAll(((Map<String, Object>) claim.get("measured")).keySet());
            }
            for (String id : ids) {
                assertThat(Names.metric(id, new Lang("en", ""))).as(lab + " " + id + " in English").isPresent();
                assertThat(Names.metric(id, new Lang("zh", ""))).as(lab + " " + id + " in Chinese").get().asString()
                        .containsPattern("\\p{IsHan}");
            }
            for (Object artifact : (List<Object>) report.get("artifacts")) {
                assertThat(Figures.caption(artifact.toString(), new Lang("zh", ""), "参考运行", null)).as(lab + " " + artifact)
                        .doesNotContain("<code>").containsPattern("\\p{IsHan}");
                assertThat(Files.exists(dir.resolve(artifact.toString()))).as(lab + " " + artifact + " is committed").isTrue();
            }
        }
        assertThat(reports).as("reference runs found").isGreaterThanOrEqualTo(1);
    }
}
