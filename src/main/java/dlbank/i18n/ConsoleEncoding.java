package dlbank.i18n;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The encoding of standard output and standard error: one that can carry Chinese text whatever the
 * locale says. Java 17 takes it from the locale, and a locale such as {@code C}, {@code POSIX} or one
 * that is not installed (common in containers) gives ASCII, which prints every Chinese character as
 * {@code ?}. So: the locale's own charset when it can encode Chinese (UTF-8, GB18030, GBK, Big5),
 * on Windows the console's code page when it can; otherwise UTF-8, the encoding of every current
 * terminal, and of piped output.
 */
public final class ConsoleEncoding {

    /** Text that the chosen charset must be able to encode: Chinese and full-width punctuation. */
    private static final String CHINESE_SAMPLE = "中文，：";

    private static volatile Charset chosen = StandardCharsets.UTF_8;

    private ConsoleEncoding() {}

    /**
     * Replaces {@link System#out} and {@link System#err} with streams in the chosen charset (when it
     * differs from theirs). Call once, first thing in main, before anything prints.
     */
    public static Charset install() {
        Charset console = System.console() != null ? System.console().charset() : null;
        Charset charset = choose(localeCharset(), console, System.getProperty("os.name", "").startsWith("Windows"));
        chosen = charset;
        if (!charset.equals(streamCharset("sun.stdout.encoding"))) {
            System.setOut(stream(FileDescriptor.out, charset));
        }
        if (!charset.equals(streamCharset("sun.stderr.encoding"))) {
            System.setErr(stream(FileDescriptor.err, charset));
        }
        return charset;
    }

    /**
     * The charset for terminal text.
     *
     * @param locale the locale's charset (Java 17: {@code native.encoding})
     * @param console the console's charset, or null without a console (output piped or redirected)
     * @param windows whether this is Windows, whose console has a code page of its own
     */
    public static Charset choose(Charset locale, Charset console, boolean windows) {
        Charset candidate = windows ? console : locale;
        return candidate != null && canEncodeChinese(candidate) ? candidate : StandardCharsets.UTF_8;
    }

    public static boolean canEncodeChinese(Charset charset) {
        return charset.canEncode() && charset.newEncoder().canEncode(CHINESE_SAMPLE);
    }

    /** The charset in use for terminal text (UTF-8 until {@link #install()} ran, as in tests). */
    public static Charset charset() {
        return chosen;
    }

    /** A writer for the command line's output on the given stream, in the chosen charset, flushing each line. */
    public static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, chosen), true);
    }

    /**
     * The arguments as the user typed them. The JVM decodes them in the locale's charset, so under
     * LANG=C or a locale that is not installed {@code search 正则化} arrives as replacement characters.
     * On Linux the bytes are still in /proc/self/cmdline: when they are UTF-8 and decode, the JVM's
     * way, to exactly the arguments given, they are taken as UTF-8. Anything else is left alone.
     */
    public static String[] arguments(String[] args) {
        if (Arrays.stream(args).noneMatch(arg -> arg.indexOf('\uFFFD') >= 0)) {
            return args;
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<byte[]> words = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < cmdline.length; i++) {
                if (cmdline[i] == 0) {
                    words.add(Arrays.copyOfRange(cmdline, start, i));
                    start = i + 1;
                }
            }
            if (words.size() < args.length) {
                return args;
            }
            List<byte[]> tail = words.subList(words.size() - args.length, words.size());
            Charset jvm = charsetOrDefault(System.getProperty("sun.jnu.encoding"));
            String[] decoded = new String[args.length];
            for (int i = 0; i < args.length; i++) {
                if (!new String(tail.get(i), jvm).equals(args[i])) {
                    return args;
                }
                decoded[i] = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(tail.get(i))).toString();
            }
            return decoded;
        } catch (IOException | RuntimeException e) {
            return args; // not Linux, or not UTF-8: keep what the JVM made of them
        }
    }

    /** The locale's charset as the JVM read it at start-up; the default charset if it has no name we know. */
    static Charset localeCharset() {
        return charsetOrDefault(System.getProperty("native.encoding"));
    }

    /** What Java 17 gave System.out or System.err: sun.std*.encoding when set (a Windows console), else the default. */
    private static Charset streamCharset(String property) {
        return charsetOrDefault(System.getProperty(property));
    }

    private static Charset charsetOrDefault(String name) {
        if (name != null) {
            try {
                return Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // Fall through to the default charset.
            }
        }
        return Charset.defaultCharset();
    }

    private static PrintStream stream(FileDescriptor descriptor, Charset charset) {
        // As the JDK makes System.out and System.err: a small buffer, flushed at every line end.
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(descriptor), 128), true, charset);
    }
}
