package dlbank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real start-up path in a fresh JVM (the locale is read when a JVM starts, so only a child
 * process shows what a user gets): Chinese output is UTF-8 under LANG=C, and LANG=zh_CN.UTF-8
 * chooses Chinese even where that locale is not installed (on the build machine {@code locale -a}
 * lists only C, C.utf8 and POSIX, so the JVM falls back to ASCII there).
 */
class LauncherEncodingTest {

    @TempDir
    static Path home;

    /** The Chinese title of concept/gan, from its front matter. */
    private static String ganTitle() throws IOException {
        return Files.readAllLines(Path.of("src/main/resources/bank/concept/gan.zh.md"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("title: ")).findFirst().orElseThrow().substring("title: ".length()).strip();
    }

    @Test
    void chineseIsUtf8UnderTheCLocale() throws Exception {
        Run show = dlbank(Map.of("LANG", "C"), "show", "concept/gan", "--lang", "zh");
        assertThat(show.exitCode).as(show.err()).isZero();
        String text = strictUtf8(show.out);
        assertThat(text).contains((dlbank.bank.Bank.load().ids().indexOf("concept/gan") + 1) + ". " + ganTitle())
                .doesNotContain("???");
    }

    @Test
    void chineseArgumentsArriveUnderTheCLocale() throws Exception {
        // The JVM decodes the arguments as ASCII here; Main takes their bytes again as UTF-8.
        Run search = dlbank(Map.of("LANG", "C"), "search", "正则化", "--lang", "zh");
        assertThat(search.exitCode).as(search.err()).isZero();
        assertThat(strictUtf8(search.out)).contains("concept/regularization").contains("什么是正则化");
    }

    @Test
    void anUninstalledChineseLocaleChoosesChineseInUtf8() throws Exception {
        Run show = dlbank(Map.of("LANG", "zh_CN.UTF-8"), "show", "concept/gan");
        assertThat(show.exitCode).as(show.err()).isZero();
        assertThat(strictUtf8(show.out)).contains(ganTitle()).contains("实测结果");

        Run help = dlbank(Map.of("LANG", "zh_CN.UTF-8"), "--help");
        assertThat(strictUtf8(help.out)).startsWith("用法：dlbank").contains("选项：").contains("命令：")
                .contains("深度学习面试题库");

        Run error = dlbank(Map.of("LANG", "zh_CN.UTF-8"), "show", "concept/quantum");
        assertThat(error.exitCode).isEqualTo(2);
        assertThat(strictUtf8(error.errBytes).strip())
                .isEqualTo("dlbank: 题库里没有 'concept/quantum'；'dlbank list' 列出全部 " + dlbank.bank.Bank.load().ids().size() + " 道题");
    }

    private record Run(int exitCode, byte[] out, byte[] errBytes) {
        String err() {
            return new String(errBytes, StandardCharsets.UTF_8);
        }
    }

    /** dlbank.Main in a new JVM with this class path, the given locale variables and no others. */
    private static Run dlbank(Map<String, String> locale, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Ddlbank.runs=" + home.resolve("runs"), "-Ddlbank.home=" + home.resolve("dlbank-home"),
                "-Dai.djl.offline=true", "dlbank.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String variable : List.of("LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LANG", "LANGUAGE", "COLUMNS")) {
            builder.environment().remove(variable);
        }
        builder.environment().putAll(locale);
        Path err = home.resolve("err.txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, Files.readAllBytes(err));
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
