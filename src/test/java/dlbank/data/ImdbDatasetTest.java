package dlbank.data;

import dlbank.TestSupport;
import dlbank.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImdbDatasetTest {

    @Test
    void readsTheFixture() {
        ImdbDataset reviews = ImdbDataset.read(TestSupport.FIXTURES.resolve("imdb/reviews.json"));
        assertThat(reviews.size()).isEqualTo(400);
        assertThat(reviews.reviews().stream().filter(ImdbDataset.Review::positive).count()).isEqualTo(200);
        assertThat(reviews.reviews().get(0).text()).startsWith("Once again Mr. Costner");
        assertThat(reviews.reviews().get(0).positive()).isFalse();
    }

    @Test
    void rejectsEveryWrongShapeWithTheReviewIndex(@TempDir Path dir) throws IOException {
        assertThat(failure(dir, "{\"t\": \"x\", \"s\": 1}")).contains("expected a JSON array");
        assertThat(failure(dir, "[{\"t\": \"good\", \"s\": 1}, {\"t\": \"bad\"}]")).contains("review 1 lacks \"s\"");
        assertThat(failure(dir, "[{\"t\": \"good\", \"s\": 2}]")).contains("label 2 (expected 0 or 1)");
        assertThat(failure(dir, "[{\"t\": 5, \"s\": 1}]")).contains("review 0 has a VALUE_NUMBER_INT in \"t\"");
        assertThat(failure(dir, "[{\"t\": \"good\", \"s\": 1}, 3]")).contains("review 1 is not an object");
        assertThat(failure(dir, "[{\"t\": \"good\", \"s\": 1},")).contains("not valid JSON");
        assertThat(failure(dir, "[]")).contains("holds no reviews");
        assertThat(failure(dir, "")).contains("expected a JSON array");
    }

    private static String failure(Path dir, String json) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "reviews", ".json"), json);
        try {
            ImdbDataset.read(file);
        } catch (UserException e) {
            assertThat(e.getMessage()).startsWith(file.toString());
            return e.getMessage();
        }
        throw new AssertionError("accepted " + json);
    }
}
