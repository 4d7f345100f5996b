package dlbank.i18n;

import dlbank.UserException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogues in both languages, and the code that uses them. */
class MessagesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+}");
    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    /** Chinese values that are rightly not Chinese: a blank line. */
    private static final Set<String> NOT_PROSE = Set.of("usage.descriptionHeading");

    @Test
    void everyMessageKeyIsInBothLanguagesWithTheSamePlaceholdersAndChineseText() {
        checkBothLanguages("dlbank.messages");
    }

    @Test
    void everyHelpKeyIsInBothLanguagesInChinese() {
        checkBothLanguages("dlbank.cli.help");
    }

    private static void checkBothLanguages(String bundleName) {
        Properties english = load("/" + bundleName.replace('.', '/') + ".properties");
        Properties chinese = load("/" + bundleName.replace('.', '/') + "_zh.properties");
        assertThat(english).isNotEmpty();
        assertThat(new TreeSet<>(chinese.stringPropertyNames())).as("keys of %s_zh", bundleName)
                .isEqualTo(new TreeSet<>(english.stringPropertyNames()));
        for (String key : english.stringPropertyNames()) {
            String en = english.getProperty(key);
            String zh = chinese.getProperty(key);
            assertThat(placeholders(zh)).as("placeholders of %s", key).isEqualTo(placeholders(en));
            if (!NOT_PROSE.contains(key)) {
                assertThat(HAN.matcher(zh).find()).as("%s in Chinese: %s", key, zh).isTrue();
            }
        }
    }

    /** One .properties file as Java 9+ reads a bundle: UTF-8. */
    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = MessagesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    @Test
    void argumentsGoInAsTheyAreAndNestedTextsFollowTheLanguage() {
        assertThat(Messages.in("en", "error.show.unknown", "concept/quantum", 24))
                .isEqualTo("no entry 'concept/quantum' in the bank; 'dlbank list' shows the 24 entries");
        assertThat(Messages.in("zh", "error.show.unknown", "concept/quantum", 24))
                .isEqualTo("题库里没有 'concept/quantum'；'dlbank list' 列出全部 24 道题");
        assertThat(Messages.in("en", "error.option.range", "count", 1, 10000, 20000))
                .isEqualTo("--count must lie in 1..10000, not 20000");
        Messages.Text lastGood = Messages.text("error.diverged.checkpoint", 2, Path.of("ckpt"));
        assertThat(Messages.in("zh", "error.diverged", Messages.text("error.diverged.infinite"), 3, 1, 9, lastGood))
                .isEqualTo("训练发散：第 3 轮（第 1-9 批）损失变成了无穷大；最后一个正常的检查点（第 2 轮）在 ckpt（请试试更小的学习率）");
        assertThat(Messages.in("zh", "progress.epoch", 1, 5)).isEqualTo("第 1/5 轮");
        assertThat(Messages.in("en", "progress.epoch", 1, 5)).isEqualTo("epoch 1/5");
        // An English sentence where a key belongs is shown as it is (code older than the catalogue).
        assertThat(Messages.in("zh", "something went wrong")).isEqualTo("something went wrong");
    }

    @Test
    void aUserExceptionIsEnglishInItsMessageAndInTheChosenLanguageForTheUser() {
        UserException exception = UserException.usage("error.device.unknown", "tpu");
        String before = Messages.language();
        try {
            Messages.use("zh");
            assertThat(exception.getMessage()).isEqualTo("--device tpu: expected auto, cpu or gpu");
            assertThat(exception.getLocalizedMessage()).isEqualTo("--device tpu：只能是 auto、cpu 或 gpu");
        } finally {
            Messages.use(before);
        }
    }

    /**
     * Every one-line error is a catalogue key: a UserException made with an English sentence would
     * print English to a Chinese reader. And every key is used somewhere.
     */
    @Test
    void everyUserExceptionInTheCodeNamesAKeyOfTheCatalogue() throws IOException {
        Pattern factory = Pattern.compile("UserException\\.(?:usage|input|unavailable)\\(\\s*(\"[^\"]*\"|\\S)");
        Pattern constructor = Pattern.compile("new (?:dlbank\\.)?UserException\\(\\s*[^,]+,\\s*(\"[^\"]*\"|\\S)");
        Pattern superCall = Pattern.compile("super\\(\\s*\\w+\\s*,\\s*(\"[^\"]*\"|\\S)");
        Pattern lookup = Pattern.compile("Messages\\.(?:get|text|english)\\(\\s*\"([^\"]*)\"");
        Pattern literal = Pattern.compile("\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\"");
        List<String> problems = new ArrayList<>();
        Set<String> literals = new TreeSet<>();
        int calls = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String source = read(file);
                List<Matcher> matchers = new ArrayList<>(List.of(factory.matcher(source), lookup.matcher(source)));
                if (!file.endsWith("UserException.java")) {
                    matchers.add(constructor.matcher(source));
                }
                if (source.contains("extends UserException")) {
                    matchers.add(superCall.matcher(source));
                }
                for (Matcher matcher : matchers) {
                    while (matcher.find()) {
                        calls++;
                        String key = matcher.group(1).replace("\"", "");
                        if (!matcher.group(1).startsWith("\"") && matcher.pattern() != lookup) {
                            problems.add(file.getFileName() + ": a message that is not a key literal at "
                                    + source.substring(matcher.start(), Math.min(source.length(), matcher.end() + 40)));
                        } else if (!Messages.has(key)) {
                            problems.add(file.getFileName() + ": '" + key + "' is not in dlbank/messages.properties");
                        }
                    }
                }
                Matcher keys = literal.matcher(source);
                while (keys.find()) {
                    literals.add(keys.group(1));
                }
            }
        }
        assertThat(calls).as("calls found").isGreaterThan(150);
        assertThat(problems).isEmpty();
        Set<String> unused = new TreeSet<>(Messages.bundle("en").keySet());
        unused.removeAll(literals);
        assertThat(unused).as("keys that no code uses").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
