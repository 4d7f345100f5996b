package dlbank.cli;

import dlbank.UserException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command writes a file the user asked for, without ever replacing one they already have. */
final class OutputFiles {

    private OutputFiles() {}

    /**
     * The user's --out file if given (refused if it exists), else the default name in the current
     * folder, with -2, -3, ... added until the name is free.
     */
    static Path fresh(Path chosen, Path defaultName) {
        if (chosen != null) {
            if (Files.exists(chosen)) {
                throw UserException.usage("error.out.exists", chosen);
            }
            Path parent = chosen.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw UserException.usage("error.out.no-folder", chosen, parent);
            }
            return chosen;
        }
        String name = defaultName.getFileName().toString();
        int dot = name.lastIndexOf('.');
        for (int n = 1; ; n++) {
            Path candidate = Path.of(n == 1 ? name : name.substring(0, dot) + "-" + n + name.substring(dot));
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }
}
