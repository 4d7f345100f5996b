package dlbank.web;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Heading;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bank's Markdown as HTML, by commonmark-java with its tables extension. Raw HTML in the source
 * is escaped and link targets are sanitised: the answers are text, not markup.
 *
 * <p>Formulas are LaTeX: {@code $$ ... $$} on lines of their own for a display formula, {@code $...$}
 * inside a sentence (no space after the opening or before the closing dollar, no digit after the
 * closing one). They are taken out before Markdown sees them (so {@code _}, {@code *} and backslashes
 * stay as written), and come back as {@code <div class="math display">} and {@code <span class="math
 * inline">} holding the escaped source, which KaTeX renders in the browser. Inside code they are code.
 * Level-2 headings get ids {@code sec-1}, {@code sec-2}, ... in order, the same in both languages.
 */
final class MarkdownHtml {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final Pattern TOKEN = Pattern.compile("(?:<p>)?dlbankmath(display|inline)(\\d+)x(?:</p>)?");

    private MarkdownHtml() {}

    static String render(String markdown) {
        List<String> formulas = new ArrayList<>();
        String protectedText = protectMath(markdown, formulas);
        int[] section = {0};
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).sanitizeUrls(true)
                .attributeProviderFactory(context -> (AttributeProvider) (node, tagName, attributes) -> {
                    if (node instanceof Heading heading && heading.getLevel() == 2) {
                        attributes.put("id", "sec-" + ++section[0]);
                    }
                }).build();
        String html = renderer.render(PARSER.parse(protectedText));
        Matcher token = TOKEN.matcher(html);
        StringBuilder out = new StringBuilder();
        while (token.find()) {
            String tex = Html.esc(formulas.get(Integer.parseInt(token.group(2))));
            boolean display = token.group(1).equals("display");
            String replacement = display ? "<div class=\"math display\">" + tex + "</div>"
                    : (token.group().startsWith("<p>") ? "<p>" : "") + "<span class=\"math inline\">" + tex + "</span>"
                    + (token.group().endsWith("</p>") ? "</p>" : "");
            token.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        token.appendTail(out);
        return out.toString();
    }

    /** The Markdown with each formula replaced by a token, the formulas in order in {@code formulas}. */
    static String protectMath(String markdown, List<String> formulas) {
        StringBuilder out = new StringBuilder();
        String[] lines = markdown.split("\n", -1);
        String fence = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (fence != null) {
                if (trimmed.startsWith(fence)) {
                    fence = null;
                }
                out.append(line).append('\n');
            } else if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                fence = trimmed.substring(0, 3);
                out.append(line).append('\n');
            } else if (trimmed.equals("$$")) {
                StringBuilder tex = new StringBuilder();
                int j = i + 1;
                while (j < lines.length && !lines[j].strip().equals("$$")) {
                    tex.append(lines[j]).append('\n');
                    j++;
                }
                if (j == lines.length) { // no closing line: not a formula
                    out.append(line).append('\n');
                    continue;
                }
                out.append(blockToken(formulas, tex.toString().strip())).append('\n');
                i = j;
            } else if (trimmed.length() > 4 && trimmed.startsWith("$$") && trimmed.endsWith("$$")) {
                out.append(blockToken(formulas, trimmed.substring(2, trimmed.length() - 2).strip())).append('\n');
            } else {
                out.append(inline(line, formulas)).append('\n');
            }
        }
        return out.substring(0, out.length() - 1);
    }

    private static String blockToken(List<String> formulas, String tex) {
        formulas.add(tex);
        return "\ndlbankmathdisplay" + (formulas.size() - 1) + "x\n";
    }

    /** $...$ in one line, outside code spans. */
    private static String inline(String line, List<String> formulas) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '`') {
                int run = 0;
                while (i + run < line.length() && line.charAt(i + run) == '`') {
                    run++;
                }
                String ticks = "`".repeat(run);
                int close = line.indexOf(ticks, i + run);
                int end = close < 0 ? i + run : close + run;
                out.append(line, i, end);
                i = end;
            } else if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '$') {
                out.append("\\$");
                i += 2;
            } else if (c == '$' && i + 1 < line.length() && !Character.isWhitespace(line.charAt(i + 1))
                    && line.charAt(i + 1) != '$') {
                int close = closingDollar(line, i + 1);
                if (close < 0) {
                    out.append(c);
                    i++;
                } else {
                    formulas.add(line.substring(i + 1, close));
                    out.append("dlbankmathinline").append(formulas.size() - 1).append('x');
                    i = close + 1;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int closingDollar(String line, int from) {
        for (int j = from; j < line.length(); j++) {
            char c = line.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '$') {
                boolean spaceBefore = Character.isWhitespace(line.charAt(j - 1));
                boolean digitAfter = j + 1 < line.length() && Character.isDigit(line.charAt(j + 1));
                return spaceBefore || digitAfter ? -1 : j;
            }
        }
        return -1;
    }
}
