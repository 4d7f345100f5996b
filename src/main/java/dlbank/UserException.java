package dlbank;

/**
 * A failure the user can act on: a missing or corrupt file, an unknown id, a bad option.
 * The CLI prints its message as one line and exits with its code; no stack trace unless verbose.
 */
public class UserException extends RuntimeException {

    /** Bad arguments or an unknown id. */
    public static final int USAGE = 2;
    /** A missing, corrupt or unreadable input file or data set. */
    public static final int INPUT = 3;
    /** Training stopped because the loss became NaN or infinite. */
    public static final int DIVERGED = 4;
    /** A fetch or external tool failed. */
    public static final int UNAVAILABLE = 5;

    private final int exitCode;

    public UserException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static UserException input(String message) {
        return new UserException(INPUT, message);
    }

    public static UserException usage(String message) {
        return new UserException(USAGE, message);
    }
}
