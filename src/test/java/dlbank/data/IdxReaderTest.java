package dlbank.data;

import dlbank.TestSupport;
import dlbank.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxReaderTest {

    private static final Path MNIST = TestSupport.FIXTURES.resolve("mnist");

    @Test
    void readsTheFixtureImagesAndLabels() {
        ImageDataset train = ImageDataset.fromIdx("train", MNIST.resolve("train-images-idx3-ubyte.gz"),
                MNIST.resolve("train-labels-idx1-ubyte.gz"));
        assertThat(train.size()).isEqualTo(2000);
        assertThat(train.height()).isEqualTo(28);
        assertThat(train.width()).isEqualTo(28);
        // The first MNIST training labels are 5, 0, 4, 1, 9, 2 (a well-known sequence).
        assertThat(Arrays.copyOf(train.labels(), 6)).containsExactly((byte) 5, (byte) 0, (byte) 4, (byte) 1, (byte) 9, (byte) 2);
        int[] perClass = new int[10];
        for (byte label : train.labels()) {
            perClass[label]++;
        }
        assertThat(java.util.Arrays.stream(perClass).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(150, 260));
    }

    @Test
    void rawAndGzipReadTheSame(@TempDir Path dir) throws IOException {
        Path raw = dir.resolve("labels");
        Files.write(raw, TestSupport.gunzip(MNIST.resolve("t10k-labels-idx1-ubyte.gz")));
        IdxReader.IdxFile fromRaw = IdxReader.read(raw);
        IdxReader.IdxFile fromGzip = IdxReader.read(MNIST.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThat(fromRaw.dimensions()).containsExactly(1000);
        assertThat(fromRaw.data()).isEqualTo(fromGzip.data());
    }

    @Test
    void truncatedFileNamesTheFileAndTheShortfall(@TempDir Path dir) throws IOException {
        byte[] whole = TestSupport.gunzip(MNIST.resolve("t10k-images-idx3-ubyte.gz"));
        Path file = dir.resolve("t10k-images-idx3-ubyte");
        Files.write(file, Arrays.copyOf(whole, whole.length - 100));
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("784000");
    }

    @Test
    void wrongMagicNumberIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("not-idx");
        Files.writeString(file, "hello, this is a text file and not an IDX file");
        assertThatThrownBy(() -> IdxReader.read(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("not an IDX file")
                .hasMessageContaining("0x68656c6c");
    }

    @Test
    void emptyFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> IdxReader.read(file)).hasMessageContaining("empty file");
    }

    @Test
    void trailingBytesAndUnsupportedTypesAreRejected(@TempDir Path dir) throws IOException {
        Path trailing = dir.resolve("trailing");
        Files.write(trailing, new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 7, 7, 7});
        assertThatThrownBy(() -> IdxReader.read(trailing)).hasMessageContaining("1 unexpected bytes");
        Path floats = dir.resolve("floats");
        Files.write(floats, new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        assertThatThrownBy(() -> IdxReader.read(floats)).hasMessageContaining("data type 0x0d");
    }

    @Test
    void corruptGzipIsRejected(@TempDir Path dir) throws IOException {
        byte[] compressed = Files.readAllBytes(MNIST.resolve("t10k-labels-idx1-ubyte.gz"));
        Path file = dir.resolve("cut.gz");
        Files.write(file, Arrays.copyOf(compressed, compressed.length / 2));
        assertThatThrownBy(() -> IdxReader.read(file)).hasMessageContaining("corrupt or truncated gzip");
    }

    @Test
    void imagesAndLabelsMustAgree(@TempDir Path dir) throws IOException {
        Path labels = dir.resolve("labels");
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3});
        assertThatThrownBy(() -> ImageDataset.fromIdx("x", MNIST.resolve("t10k-images-idx3-ubyte.gz"), labels))
                .hasMessageContaining("holds 1000 images but")
                .hasMessageContaining("3 labels");
        Path badLabels = dir.resolve("bad-labels");
        Files.write(badLabels, new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 12});
        Path oneImage = dir.resolve("one-image");
        byte[] image = new byte[16 + 784];
        image[2] = 8;
        image[3] = 3;
        image[7] = 1;
        image[11] = 28;
        image[15] = 28;
        Files.write(oneImage, image);
        assertThatThrownBy(() -> ImageDataset.fromIdx("x", oneImage, badLabels)).hasMessageContaining("label 12 of item 0");
    }
}
