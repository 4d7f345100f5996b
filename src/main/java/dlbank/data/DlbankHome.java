package dlbank.data;

import java.nio.file.Path;

/** The user's dlbank folder: {@code $DLBANK_HOME}, else {@code ~/.dlbank}; holds data and quiz state. */
public final class DlbankHome {

    private DlbankHome() {}

    public static Path path() {
        String property = System.getProperty("dlbank.home"); // for tests, which cannot set the environment
        if (property != null) {
            return Path.of(property).toAbsolutePath();
        }
        String env = System.getenv("DLBANK_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".dlbank");
    }
}
