package dlbank.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The process's resident memory as Linux reports it in /proc/self/status; empty elsewhere. */
public final class ResidentMemory {

    private ResidentMemory() {}

    /** Resident memory now (VmRSS), in bytes. */
    public static Optional<Long> current() {
        return field("VmRSS:");
    }

    /** The peak resident memory so far (VmHWM), in bytes. */
    public static Optional<Long> peak() {
        return field("VmHWM:");
    }

    private static Optional<Long> field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: no figure.
        }
        return Optional.empty();
    }
}
