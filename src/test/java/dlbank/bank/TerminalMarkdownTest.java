package dlbank.bank;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalMarkdownTest {

    private final TerminalMarkdown plain = new TerminalMarkdown(40, false);

    @Test
    void tablesGetRulesAndWrappedCellsThatKeepTheirColumns() {
        String table = "| metric | meaning |\n|---|---|\n| F1 | the harmonic mean of precision and recall |\n| 准确率 | 正确预测所占的比例 |\n";
        String[] lines = plain.render(table).split("\n");
        assertThat(lines[0]).startsWith("+").endsWith("+");
        assertThat(lines[1]).startsWith("| metric").endsWith("|");
        for (String line : lines) {
            assertThat(TerminalMarkdown.visibleWidth(line)).as(line).isLessThanOrEqualTo(40);
            assertThat(TerminalMarkdown.visibleWidth(line)).as(line).isEqualTo(TerminalMarkdown.visibleWidth(lines[0]));
        }
        assertThat(String.join("\n", lines)).contains("harmonic").contains("准确率");
    }

    @Test
    void codeBlocksAreIndentedAndNotWrapped() {
        String code = "Text before.\n\n```\nθ_t = θ_{t-1} - η·m̂_t / (√v̂_t + ε)   # a formula longer than forty columns\n```\n";
        String rendered = plain.render(code);
        assertThat(rendered).contains("    θ_t = θ_{t-1} - η·m̂_t / (√v̂_t + ε)   # a formula longer than forty columns");
        assertThat(rendered).doesNotContain("```");
    }

    @Test
    void markupIsRemovedInPlainTextAndStyledWithColours() {
        String markdown = "## Short answer\n\n**F1** is the *harmonic* mean, `2·P·R/(P+R)`.\n";
        assertThat(plain.render(markdown)).isEqualTo("Short answer\n============\n\nF1 is the harmonic mean, 2·P·R/(P+R).\n");
        String coloured = new TerminalMarkdown(40, true).render(markdown);
        assertThat(coloured).contains("\u001b[1mF1\u001b[0m").contains("\u001b[36m2·P·R/(P+R)\u001b[0m");
    }

    @Test
    void listsHangAndChineseWrapsBetweenCharacters() {
        String markdown = "- 第一项很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n1. numbered item with enough words to wrap around\n";
        String[] lines = plain.render(markdown).split("\n");
        assertThat(lines[0]).startsWith("  • 第一项");
        assertThat(lines[1]).startsWith("    ").doesNotStartWith("     ");
        assertThat(List.of(lines)).anyMatch(line -> line.startsWith("  1. numbered"));
        for (String line : lines) {
            assertThat(TerminalMarkdown.visibleWidth(line)).isLessThanOrEqualTo(40);
        }
    }

    @Test
    void wrappingBreaksAtSpacesAndSplitsOverlongWords() {
        assertThat(TerminalMarkdown.wrap("one two three", 7)).containsExactly("one two", "three");
        assertThat(TerminalMarkdown.wrap("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(TerminalMarkdown.wrap("中文换行测试", 5)).containsExactly("中文", "换行", "测试");
    }
}
