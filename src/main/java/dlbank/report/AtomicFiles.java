package dlbank.report;

import dlbank.UserException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the new, never a half-written file:
 * write a temporary sibling, force it to disk, rename it over the target.
 */
public final class AtomicFiles {

    /**
     * A write fault injected at the file layer, for the fault tests (a disk that fills up): the files
     * it accepts fail half-way through writing their temporary copy. Null in normal use.
     */
    private static volatile java.util.function.Predicate<Path> injectedFailure;

    /**
     * For the fault tests, which run dlbank in a child process: the name of a file whose write stops the
     * process dead half-way through, as {@code kill -9} at that moment would; "name#n" stops in its n-th write.
     */
    public static final String HALT_PROPERTY = "dlbank.fault.halt-writing";

    private static final java.util.concurrent.atomic.AtomicInteger HALT_COUNT = new java.util.concurrent.atomic.AtomicInteger();

    private AtomicFiles() {}

    /** {@link #HALT_PROPERTY} is "name" (its first write) or "name#n" (its n-th write in this process). */
    private static boolean haltsHere(Path target) {
        String halt = System.getProperty(HALT_PROPERTY);
        if (halt == null) {
            return false;
        }
        int hash = halt.lastIndexOf('#');
        String name = hash < 0 ? halt : halt.substring(0, hash);
        int nth = hash < 0 ? 1 : Integer.parseInt(halt.substring(hash + 1));
        return target.getFileName().toString().equals(name) && HALT_COUNT.incrementAndGet() == nth;
    }

    /** Makes every later write of a matching file fail as a full disk would (null: none); for tests. */
    public static void injectFailure(java.util.function.Predicate<Path> which) {
        injectedFailure = which;
    }

    /** Something that writes a file's content into a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes what {@code writer} produces and returns those bytes (a checkpoint records their hash). */
    public static byte[] write(Path target, Writer writer) {
        ByteArrayOutputStream content = new ByteArrayOutputStream(1 << 16);
        try {
            writer.writeTo(content);
        } catch (IOException e) {
            throw UserException.input("error.write.failed", target, UserException.reason(e), e);
        }
        byte[] bytes = content.toByteArray();
        writeBytes(target, bytes);
        return bytes;
    }

    public static void writeBytes(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            readableByAll(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                java.util.function.Predicate<Path> failure = injectedFailure;
                boolean fail = failure != null && failure.test(target);
                boolean halt = haltsHere(target);
                ByteBuffer buffer = ByteBuffer.wrap(content, 0, fail || halt ? content.length / 2 : content.length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (halt) {
                    // As kill -9 would: no finally blocks, no shutdown hooks, a half-written temporary file.
                    channel.force(true);
                    Runtime.getRuntime().halt(137);
                }
                if (fail) {
                    throw new IOException("No space left on device");
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw UserException.input("error.write.failed", target, UserException.reason(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The temporary file is hidden; nothing else to do.
                }
            }
        }
    }

    /**
     * A temporary file is created readable by its owner only; reports, plots and models are for
     * everyone who can read the folder, as a file written directly would be.
     */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default permissions apply.
        }
    }

    /** Deletes a folder and everything in it; a missing folder is fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** As {@link #deleteTree}, for clean-up whose failure costs only disk space. */
    public static void deleteTreeQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // Leftovers are harmless.
        }
    }

    public static void writeString(Path target, String content) {
        writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
    }
}
