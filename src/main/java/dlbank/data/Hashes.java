package dlbank.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** File digests: SHA-256 as hex (our pins) and SHA-512 as npm's integrity string. */
final class Hashes {

    private Hashes() {}

    static String sha256Hex(Path file) {
        return HexFormat.of().formatHex(digest(file, "SHA-256"));
    }

    /** npm's Subresource Integrity form: {@code sha512-<base64>}. */
    static String npmIntegrity(Path file) {
        return "sha512-" + Base64.getEncoder().encodeToString(digest(file, "SHA-512"));
    }

    private static byte[] digest(Path file, String algorithm) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
            return digest.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
