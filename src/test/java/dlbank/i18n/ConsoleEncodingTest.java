package dlbank.i18n;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Which encoding standard output gets, for the locales and consoles people have. */
class ConsoleEncodingTest {

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final Charset GBK = Charset.forName("GBK");
    private static final Charset BIG5 = Charset.forName("Big5");

    @Test
    void aLocaleThatCannotEncodeChineseGetsUtf8() {
        // LANG=C, POSIX, or a locale that is not installed: Java 17 reports ASCII.
        assertThat(ConsoleEncoding.choose(StandardCharsets.US_ASCII, null, false)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(ConsoleEncoding.choose(StandardCharsets.ISO_8859_1, null, false)).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void aLocaleThatCanEncodeChineseKeepsItsCharset() {
        assertThat(ConsoleEncoding.choose(StandardCharsets.UTF_8, null, false)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(ConsoleEncoding.choose(GB18030, null, false)).isEqualTo(GB18030);
        assertThat(ConsoleEncoding.choose(GBK, null, false)).isEqualTo(GBK);
        assertThat(ConsoleEncoding.choose(BIG5, null, false)).isEqualTo(BIG5);
    }

    @Test
    void windowsUsesTheConsolesCodePageWhenItCanElseUtf8() {
        assertThat(ConsoleEncoding.choose(StandardCharsets.US_ASCII, GBK, true)).as("code page 936").isEqualTo(GBK);
        assertThat(ConsoleEncoding.choose(GBK, Charset.forName("IBM437"), true)).as("code page 437")
                .isEqualTo(StandardCharsets.UTF_8);
        assertThat(ConsoleEncoding.choose(GBK, null, true)).as("piped").isEqualTo(StandardCharsets.UTF_8);
    }
}
