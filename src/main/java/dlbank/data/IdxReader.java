package dlbank.data;

import dlbank.UserException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Strict reader of IDX files (the MNIST format), raw or gzip-compressed.
 *
 * <p>Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type MNIST uses), the
 * number of dimensions, then each dimension as a big-endian int, then the data. Every check fails
 * with one line that names the file.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    /** The dimensions and the raw unsigned bytes of an IDX file. */
    public record IdxFile(int[] dimensions, byte[] data) {
        public int count() {
            return dimensions[0];
        }
    }

    public static IdxFile read(Path file) {
        byte[] bytes = readAll(file);
        if (bytes.length == 0) {
            throw UserException.input("error.idx.empty", file);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            bytes = gunzip(file, bytes);
        }
        return parse(file, bytes);
    }

    static IdxFile parse(Path file, byte[] bytes) {
        if (bytes.length < 4) {
            throw UserException.input("error.idx.header-bytes", file, bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes); // big-endian by default, as IDX is
        int magic = buffer.getInt();
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0 || rank < 1 || rank > 4) {
            throw UserException.input("error.idx.magic", file, String.format("0x%08x", magic));
        }
        if (type != UNSIGNED_BYTE) {
            throw UserException.input("error.idx.type", file, String.format("0x%02x", type));
        }
        if (bytes.length < 4 + 4 * rank) {
            throw UserException.input("error.idx.header-dimensions", file, rank);
        }
        int[] dimensions = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++) {
            dimensions[i] = buffer.getInt();
            if (dimensions[i] <= 0) {
                throw UserException.input("error.idx.dimension", file, i, dimensions[i]);
            }
            expected *= dimensions[i];
        }
        long actual = bytes.length - 4L - 4L * rank;
        if (actual < expected) {
            throw UserException.input("error.idx.truncated", file, Arrays.toString(dimensions), expected, actual);
        }
        if (actual > expected) {
            throw UserException.input("error.idx.trailing", file, actual - expected,
                    Arrays.toString(dimensions));
        }
        return new IdxFile(dimensions, Arrays.copyOfRange(bytes, 4 + 4 * rank, bytes.length));
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw UserException.input("error.file.missing", file);
        } catch (IOException e) {
            throw UserException.input("error.file.cannot-read", file, UserException.reason(e));
        }
    }

    private static byte[] gunzip(Path file, byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw UserException.input("error.idx.gzip", file, UserException.reason(e));
        }
    }
}
