package dlbank;

import dlbank.i18n.Messages;

/**
 * A failure the user can act on: a missing or corrupt file, an unknown id, a bad option.
 * The CLI prints its message as one line and exits with its code; no stack trace unless verbose.
 *
 * <p>The message is a key of the message catalogue ({@link Messages}) with its arguments:
 * {@link #getMessage()} gives it in English (for logs and tests), {@link #getLocalizedMessage()} in
 * the language the user chose.
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
    private final String key;
    private final Object[] args;

    /**
     * @param key a key of dlbank/messages.properties, whose {0}, {1}, ... the arguments fill; a last
     *     argument that is a Throwable also becomes the cause (for --verbose)
     */
    public UserException(int exitCode, String key, Object... args) {
        super(Messages.english(key, args));
        this.exitCode = exitCode;
        this.key = key;
        this.args = args;
        if (args.length > 0 && args[args.length - 1] instanceof Throwable cause) {
            initCause(cause);
        }
    }

    public int exitCode() {
        return exitCode;
    }

    /** The message as a text of the catalogue, to nest in another message. */
    public Messages.Text text() {
        return Messages.text(key, args);
    }

    /** The message in the language of the user's output. */
    @Override
    public String getLocalizedMessage() {
        return Messages.get(key, args);
    }

    /** The message in the given language, "zh" or "en" (the page answers each request in its own). */
    public String message(String language) {
        return Messages.in(language, key, args);
    }

    /**
     * Why an operation failed, in one line and without the class names of a stack trace: Jackson's
     * message without its source excerpt, a file system's reason without the path the message names.
     */
    public static String reason(Throwable e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
            String original = String.valueOf(json.getOriginalMessage()).replaceAll("\\s*\\([^(\\n]*\\[Source:.*", "");
            return firstLine(original) + (at != null && at.getLineNr() > 0
                    ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "");
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName().replace("Exception", " error")
                : firstLine(message);
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("").strip();
    }

    public static UserException input(String key, Object... args) {
        return new UserException(INPUT, key, args);
    }

    public static UserException usage(String key, Object... args) {
        return new UserException(USAGE, key, args);
    }

    public static UserException unavailable(String key, Object... args) {
        return new UserException(UNAVAILABLE, key, args);
    }
}
