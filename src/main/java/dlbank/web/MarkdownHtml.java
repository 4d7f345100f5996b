package dlbank.web;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.util.List;

/**
 * The bank's Markdown as HTML, by commonmark-java with its tables extension. Raw HTML in the source
 * is escaped and link targets are sanitised: the answers are text, not markup.
 */
final class MarkdownHtml {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).build();

    private MarkdownHtml() {}

    static String render(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }
}
