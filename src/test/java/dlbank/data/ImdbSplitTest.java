package dlbank.data;

import dlbank.TestSupport;
import dlbank.UserException;
import dlbank.data.ImdbDataset.Review;
import dlbank.report.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImdbSplitTest {

    private static final List<Review> FIXTURE =
            ImdbDataset.read(TestSupport.FIXTURES.resolve("imdb/reviews.json")).reviews();

    @Test
    void reviewsJsonGetsAFixedStratifiedHalfAndHalfSplit() {
        ImdbSplit split = ImdbSplit.load(TestSupport.fixtureHome(), line -> { });

        assertThat(split.train()).hasSize(200).filteredOn(Review::positive).hasSize(100);
        assertThat(split.test()).hasSize(200).filteredOn(Review::positive).hasSize(100);
        assertThat(split.description())
                .isEqualTo("reviews.json: fixed seeded 200/200 split (seed 20110611), stratified by label");
        Set<Review> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.addAll(split.train());
        seen.addAll(split.test());
        assertThat(seen).as("every review once, in train or in test").hasSize(400);
        assertThat(split.train().subList(0, 20)).as("shuffled: a prefix holds both labels")
                .anyMatch(Review::positive).anyMatch(review -> !review.positive());
    }

    @Test
    void theFixedSplitIsTheSameOnEveryCall() {
        ImdbSplit first = ImdbSplit.load(TestSupport.fixtureHome(), line -> { });
        ImdbSplit second = ImdbSplit.fixedSplit(FIXTURE, TestSupport.FIXTURES.resolve("imdb/reviews.json"));
        assertThat(second).isEqualTo(first);
        assertThat(first.train().get(0)).isEqualTo(second.train().get(0));
    }

    @Test
    void aReviewsFileWithOnlyOneLabelCannotBeSplit(@TempDir Path home) throws IOException {
        Path file = Files.createDirectories(home.resolve("imdb")).resolve("reviews.json");
        Files.writeString(file, "[{\"t\": \"bad\", \"s\": 0}, {\"t\": \"dull\", \"s\": 0},"
                + " {\"t\": \"awful\", \"s\": 0}]");
        assertThat(failure(home)).isEqualTo(
                file + ": 0 positive and 3 negative reviews; a train/test split needs at least 2 of each label");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "aclImdb", "imdb/aclImdb"})
    void readsAnAclImdbFolderWithItsOwnSplit(String shape, @TempDir Path home) throws IOException {
        Path folder = home.resolve(shape).normalize();
        writeAclImdb(folder);
        // A reviews.json beside it must not be used: the user's aclImdb folder wins.
        Files.copy(TestSupport.FIXTURES.resolve("imdb/reviews.json"),
                Files.createDirectories(home.resolve("imdb")).resolve("reviews.json"));
        List<String> progress = new ArrayList<>();

        ImdbSplit split = ImdbSplit.load(new DataHome(home), progress::add);

        assertThat(split.description()).isEqualTo("aclImdb folder (Maas et al. 2011): its own 6/4 train/test split");
        assertThat(split.train()).containsExactlyInAnyOrder(
                FIXTURE.get(0), FIXTURE.get(2), FIXTURE.get(4), FIXTURE.get(1), FIXTURE.get(3), FIXTURE.get(5));
        assertThat(split.test())
                .containsExactlyInAnyOrder(FIXTURE.get(6), FIXTURE.get(8), FIXTURE.get(7), FIXTURE.get(9));
        assertThat(progress).singleElement().asString().startsWith("IMDb: 6 + 4 reviews read from " + folder);
        assertThat(ImdbSplit.load(new DataHome(home), line -> { })).as("the same order every time").isEqualTo(split);
    }

    @Test
    void anAclImdbFolderWithoutReviewsFailsWithExitCode3(@TempDir Path home) throws IOException {
        Path folder = home.resolve("aclImdb");
        writeAclImdb(folder);
        Path trainPos = folder.resolve("train/pos");
        try (var files = Files.list(trainPos)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        assertThat(failure(home)).isEqualTo(trainPos + ": no reviews (no .txt files) in this aclImdb folder");

        Files.delete(trainPos);
        assertThat(failure(home)).startsWith(trainPos + ": no such folder");

        AtomicFiles.deleteTree(folder);
        Files.createDirectories(folder);
        assertThat(failure(home)).as("an empty aclImdb folder is an error, not a reason to fetch")
                .startsWith(folder.resolve("train/neg") + ": no such folder");
    }

    @Test
    void aReviewFileThatIsNotUtf8FailsWithItsName(@TempDir Path home) throws IOException {
        writeAclImdb(home.resolve("aclImdb"));
        Path broken = home.resolve("aclImdb/test/pos/99_10.txt");
        Files.write(broken, new byte[] {'g', 'o', 'o', 'd', (byte) 0xff, (byte) 0xfe});
        assertThat(failure(home)).isEqualTo(broken + ": not a UTF-8 text file");

        Files.delete(broken);
        Files.createDirectory(broken);
        assertThat(failure(home)).startsWith(broken + ": cannot read the review (");
    }

    private static String failure(Path home) {
        try {
            ImdbSplit.load(new DataHome(home), line -> { });
        } catch (UserException e) {
            assertThat(e.exitCode()).isEqualTo(UserException.INPUT);
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted the IMDb data under " + home);
    }

    /**
     * A small aclImdb tree of real fixture reviews (even indices negative, odd positive): train gets
     * reviews 0-5, test 6-9. The names sort differently as text and as numbers, as in the real folders.
     */
    private static void writeAclImdb(Path folder) throws IOException {
        writeReviews(folder.resolve("train/neg"), FIXTURE.get(0), FIXTURE.get(2), FIXTURE.get(4));
        writeReviews(folder.resolve("train/pos"), FIXTURE.get(1), FIXTURE.get(3), FIXTURE.get(5));
        writeReviews(folder.resolve("test/neg"), FIXTURE.get(6), FIXTURE.get(8));
        writeReviews(folder.resolve("test/pos"), FIXTURE.get(7), FIXTURE.get(9));
        // Read by nobody: the unlabelled reviews, and the files beside the reviews.
        writeReviews(folder.resolve("train/unsup"), FIXTURE.get(10));
        Files.writeString(folder.resolve("train/urls_pos.txt"), "http://www.imdb.com/title/tt0453418/usercomments\n");
        Files.writeString(folder.resolve("train/pos/README.md"), "not a review\n");
    }

    /** One file per review, named as in aclImdb ({@code <id>_<rating>.txt}); "10_" sorts before "2_" as text. */
    private static void writeReviews(Path folder, Review... reviews) throws IOException {
        Files.createDirectories(folder);
        String[] ids = {"10", "2", "7"};
        for (int i = 0; i < reviews.length; i++) {
            String rating = reviews[i].positive() ? "9" : "2";
            Files.writeString(folder.resolve(ids[i] + "_" + rating + ".txt"), reviews[i].text());
        }
    }
}
