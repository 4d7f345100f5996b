package dlbank.bank;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the bank's Markdown subset for a terminal: headings, paragraphs wrapped to the width
 * (Chinese breaks between any two characters, other text at spaces), bold, italic, inline code,
 * bullet and numbered lists with hanging indents, fenced code blocks, pipe tables with wrapped
 * cells, and block quotes. With {@code ansi} the emphasis uses terminal styles; without it the
 * markers are simply removed, so piped output stays clean text.
 */
public final class TerminalMarkdown {

    private static final String BOLD = "\u001b[1m";
    private static final String ITALIC = "\u001b[3m";
    private static final String CODE = "\u001b[36m";
    private static final String DIM = "\u001b[2m";
    private static final String HEADING = "\u001b[1;34m";
    private static final String RESET = "\u001b[0m";
    private static final Pattern INLINE = Pattern.compile("`([^`]+)`|\\*\\*(.+?)\\*\\*|(?<![\\w*])\\*([^*\\s][^*]*?)\\*(?![\\w*])");
    private static final Pattern ORDERED = Pattern.compile("^(\\s*)(\\d+)\\.\\s+(.*)$");
    private static final Pattern BULLET = Pattern.compile("^(\\s*)[-*]\\s+(.*)$");

    private final int width;
    private final boolean ansi;

    public TerminalMarkdown(int width, boolean ansi) {
        this.width = Math.max(30, width);
        this.ansi = ansi;
    }

    public String render(String markdown) {
        List<String> out = new ArrayList<>();
        String[] lines = markdown.replace("\r\n", "\n").split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                addBlank(out);
                i++;
            } else if (trimmed.startsWith("```")) {
                i = codeBlock(lines, i + 1, out);
            } else if (trimmed.equals("$$")) {
                // A display formula (LaTeX, which the page renders with KaTeX): its source, set like code.
                i = mathBlock(lines, i + 1, out);
            } else if (trimmed.startsWith("$$") && trimmed.endsWith("$$") && trimmed.length() > 4) {
                out.add(style(CODE, "    " + trimmed.substring(2, trimmed.length() - 2).strip()));
                i++;
            } else if (trimmed.startsWith("#")) {
                heading(trimmed, out);
                i++;
            } else if (trimmed.startsWith("|")) {
                i = table(lines, i, out);
            } else if (trimmed.startsWith(">")) {
                List<String> quote = new ArrayList<>();
                while (i < lines.length && lines[i].strip().startsWith(">")) {
                    quote.add(lines[i].strip().replaceFirst("^>\\s?", ""));
                    i++;
                }
                for (String wrapped : wrap(inline(String.join(" ", quote)), width - 2)) {
                    out.add(style(DIM, "│ ") + wrapped);
                }
            } else if (BULLET.matcher(line).matches() || ORDERED.matcher(line).matches()) {
                i = listItem(lines, i, out);
            } else {
                List<String> paragraph = new ArrayList<>();
                while (i < lines.length && isParagraphLine(lines[i])) {
                    paragraph.add(lines[i].strip());
                    i++;
                }
                out.addAll(wrap(inline(joinLines(paragraph)), width));
            }
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return String.join("\n", out) + "\n";
    }

    private static boolean isParagraphLine(String line) {
        String trimmed = line.strip();
        return !trimmed.isEmpty() && !trimmed.startsWith("```") && !trimmed.startsWith("$$") && !trimmed.startsWith("#") && !trimmed.startsWith("|")
                && !trimmed.startsWith(">") && !BULLET.matcher(line).matches() && !ORDERED.matcher(line).matches();
    }

    /** Joins source lines; no space between two Chinese characters. */
    private static String joinLines(List<String> parts) {
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            if (joined.length() > 0) {
                boolean cjkJoin = TextWidth.isWide(joined.codePointBefore(joined.length())) && TextWidth.isWide(part.codePointAt(0));
                if (!cjkJoin) {
                    joined.append(' ');
                }
            }
            joined.append(part);
        }
        return joined.toString();
    }

    private void heading(String line, List<String> out) {
        int level = 0;
        while (level < line.length() && line.charAt(level) == '#') {
            level++;
        }
        String text = plain(line.substring(level).strip());
        addBlank(out);
        if (ansi) {
            out.add(style(HEADING, level <= 2 ? text.toUpperCase() : text));
        } else {
            out.add(text);
            out.add((level <= 2 ? "=" : "-").repeat(Math.min(width, TextWidth.of(text))));
        }
        out.add("");
    }

    private int codeBlock(String[] lines, int start, List<String> out) {
        int i = start;
        while (i < lines.length && !lines[i].strip().startsWith("```")) {
            out.add(style(CODE, "    " + lines[i]));
            i++;
        }
        return i + 1;
    }

    private int mathBlock(String[] lines, int start, List<String> out) {
        int i = start;
        while (i < lines.length && !lines[i].strip().equals("$$")) {
            out.add(style(CODE, "    " + lines[i].strip()));
            i++;
        }
        return i + 1;
    }

    private int listItem(String[] lines, int start, List<String> out) {
        String line = lines[start];
        Matcher ordered = ORDERED.matcher(line);
        Matcher bullet = BULLET.matcher(line);
        String indent;
        String marker;
        String text;
        if (ordered.matches()) {
            indent = ordered.group(1);
            marker = ordered.group(2) + ". ";
            text = ordered.group(3);
        } else {
            bullet.matches();
            indent = bullet.group(1);
            marker = "• ";
            text = bullet.group(2);
        }
        int i = start + 1;
        List<String> parts = new ArrayList<>(List.of(text.strip()));
        // Continuation lines: indented, not a new item, not a block.
        while (i < lines.length && !lines[i].isBlank() && lines[i].startsWith(" ")
                && !BULLET.matcher(lines[i]).matches() && !ORDERED.matcher(lines[i]).matches()
                && !lines[i].strip().startsWith("```")) {
            parts.add(lines[i].strip());
            i++;
        }
        String prefix = "  " + " ".repeat(Math.min(4, indent.length())) + marker;
        String hanging = " ".repeat(TextWidth.of(prefix));
        List<String> wrapped = wrap(inline(joinLines(parts)), width - TextWidth.of(prefix));
        for (int w = 0; w < wrapped.size(); w++) {
            out.add((w == 0 ? prefix : hanging) + wrapped.get(w));
        }
        return i;
    }

    private int table(String[] lines, int start, List<String> out) {
        List<List<String>> rows = new ArrayList<>();
        int i = start;
        while (i < lines.length && lines[i].strip().startsWith("|")) {
            String row = lines[i].strip();
            if (!row.matches("^\\|?[\\s:|-]+\\|?$")) {
                String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
                List<String> cells = new ArrayList<>();
                for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
                    cells.add(plain(cell.strip().replace("\\|", "|")));
                }
                rows.add(cells);
            }
            i++;
        }
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] natural = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                natural[c] = Math.max(natural[c], TextWidth.of(row.get(c)));
            }
        }
        int[] widths = fitColumns(natural, width - (3 * columns + 1));
        String rule = ruleLine(widths);
        out.add(rule);
        for (int r = 0; r < rows.size(); r++) {
            List<List<String>> cellLines = new ArrayList<>();
            int height = 1;
            for (int c = 0; c < columns; c++) {
                String cell = c < rows.get(r).size() ? rows.get(r).get(c) : "";
                List<String> wrapped = wrap(cell, widths[c]);
                cellLines.add(wrapped);
                height = Math.max(height, wrapped.size());
            }
            for (int h = 0; h < height; h++) {
                StringBuilder line = new StringBuilder("|");
                for (int c = 0; c < columns; c++) {
                    String text = h < cellLines.get(c).size() ? cellLines.get(c).get(h) : "";
                    String shown = r == 0 ? style(BOLD, text) : text;
                    line.append(' ').append(shown).append(" ".repeat(Math.max(0, widths[c] - TextWidth.of(text)))).append(" |");
                }
                out.add(line.toString());
            }
            if (r == 0) {
                out.add(rule);
            }
        }
        out.add(rule);
        return i;
    }

    /** Shrinks the widest columns first until the table fits; no column below 6. */
    static int[] fitColumns(int[] natural, int available) {
        int[] widths = natural.clone();
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        while (total > available) {
            int widest = 0;
            for (int c = 1; c < widths.length; c++) {
                if (widths[c] > widths[widest]) {
                    widest = c;
                }
            }
            if (widths[widest] <= 6) {
                break;
            }
            widths[widest]--;
            total--;
        }
        return widths;
    }

    private static String ruleLine(int[] widths) {
        StringBuilder rule = new StringBuilder("+");
        for (int w : widths) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        return rule.toString();
    }

    /** Replaces inline markup by styles (or removes it); keeps the text. */
    String inline(String text) {
        Matcher matcher = INLINE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1) != null) {
                replacement = style(CODE, matcher.group(1));
            } else if (matcher.group(2) != null) {
                replacement = style(BOLD, matcher.group(2));
            } else {
                replacement = style(ITALIC, matcher.group(3));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The text with inline markup removed (for headings and table cells, which wrap by width). */
    static String plain(String text) {
        return INLINE.matcher(text).replaceAll(match ->
                Matcher.quoteReplacement(match.group(1) != null ? match.group(1)
                        : match.group(2) != null ? match.group(2) : match.group(3)));
    }

    private String style(String code, String text) {
        return ansi ? code + text + RESET : text;
    }

    /**
     * Wraps text to a display width. Breaks at spaces, or between two characters when either is
     * wide (Chinese); ANSI escape sequences take no width. A word longer than the width is split.
     */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int lineWidth = 0;
        List<String> tokens = tokens(text);
        for (String token : tokens) {
            int tokenWidth = visibleWidth(token);
            if (token.equals(" ")) {
                if (lineWidth > 0 && lineWidth < width) {
                    line.append(' ');
                    lineWidth++;
                }
                continue;
            }
            if (lineWidth + tokenWidth > width && lineWidth > 0) {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
                lineWidth = 0;
            }
            while (tokenWidth > width) {
                int cut = cutAt(token, width);
                lines.add(token.substring(0, cut));
                token = token.substring(cut);
                tokenWidth = visibleWidth(token);
            }
            line.append(token);
            lineWidth += tokenWidth;
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** Words, single spaces, single wide characters (each its own token) and escape sequences stay whole. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = Character.charCount(codePoint);
            if (codePoint == '\u001b') {
                int end = text.indexOf('m', i);
                end = end < 0 ? text.length() - 1 : end;
                word.append(text, i, end + 1);
                i = end + 1;
                continue;
            }
            if (codePoint == ' ') {
                flush(word, tokens);
                tokens.add(" ");
            } else if (TextWidth.isWide(codePoint)) {
                flush(word, tokens);
                tokens.add(text.substring(i, i + size));
            } else {
                word.append(text, i, i + size);
            }
            i += size;
        }
        flush(word, tokens);
        return mergeStyles(tokens);
    }

    /** Keeps a style escape that stands alone attached to the next visible token. */
    private static List<String> mergeStyles(List<String> tokens) {
        List<String> merged = new ArrayList<>();
        String pending = "";
        for (String token : tokens) {
            if (visibleWidth(token) == 0 && !token.equals(" ") && token.startsWith("\u001b") && token.endsWith("m")
                    && !token.equals(RESET)) {
                pending += token;
                continue;
            }
            if (token.equals(RESET) && !merged.isEmpty()) {
                merged.set(merged.size() - 1, merged.get(merged.size() - 1) + token);
                continue;
            }
            merged.add(pending + token);
            pending = "";
        }
        if (!pending.isEmpty()) {
            merged.add(pending);
        }
        return merged;
    }

    private static void flush(StringBuilder word, List<String> tokens) {
        if (word.length() > 0) {
            tokens.add(word.toString());
            word.setLength(0);
        }
    }

    static int visibleWidth(String text) {
        return TextWidth.of(text.replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    private static int cutAt(String token, int width) {
        int used = 0;
        for (int i = 0; i < token.length(); ) {
            int codePoint = token.codePointAt(i);
            int w = TextWidth.of(codePoint);
            if (used + w > width) {
                return Math.max(1, i);
            }
            used += w;
            i += Character.charCount(codePoint);
        }
        return token.length();
    }

    private static void addBlank(List<String> out) {
        if (!out.isEmpty() && !out.get(out.size() - 1).isEmpty()) {
            out.add("");
        }
    }
}
