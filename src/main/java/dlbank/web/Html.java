package dlbank.web;

/**
 * Small pieces of server-rendered HTML: escaping and the page frame (navigation, language switch,
 * the one style sheet and script). Every page is one readable column; the page's own text comes in.
 */
final class Html {

    private Html() {}

    /** Text made safe for element content and quoted attribute values. */
    static String esc(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** One of two words by language. */
    static String say(Lang lang, String english, String chinese) {
        return lang.zh() ? chinese : english;
    }

    /**
     * A whole page.
     *
     * @param section which navigation link is current: "bank", "draw", "quiz" or "interview" ("" for none)
     * @param script an extra script from /static/ for this page, or null
     */
    static String page(Lang lang, String title, String section, String body, String script) {
        StringBuilder html = new StringBuilder(body.length() + 2048);
        html.append("<!doctype html>\n<html lang=\"").append(lang.zh() ? "zh-Hans" : "en").append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append(" · dlbank</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/static/style.css\">\n")
                .append("<script src=\"/static/page.js\" defer></script>\n");
        if (script != null) {
            html.append("<script src=\"/static/").append(script).append("\" defer></script>\n");
        }
        if (body.contains("class=\"math")) {
            // KaTeX from the jar (org.webjars.npm:katex), fonts and all; math.js renders each formula in place.
            String katex = "/webjars/katex/" + WebServer.KATEX_VERSION + "/dist/";
            html.append("<link rel=\"stylesheet\" href=\"").append(katex).append("katex.min.css\">\n")
                    .append("<script src=\"").append(katex).append("katex.min.js\" defer></script>\n")
                    .append("<script src=\"/static/math.js\" defer></script>\n");
        }
        html.append("</head>\n<body data-lang=\"").append(lang.code()).append("\">\n<header class=\"top\">\n")
                .append("<a class=\"brand\" href=\"/\">dlbank</a>\n<nav>")
                .append(navLink("/", "bank", section, say(lang, "Bank", "题库")))
                .append(navLink("/draw", "draw", section, say(lang, "Draw", "手写识别")))
                .append(navLink("/quiz", "quiz", section, say(lang, "Quiz", "练习")))
                .append(navLink("/interview", "interview", section, say(lang, "Interview", "模拟面试")))
                .append("</nav>\n<a class=\"lang-switch\" id=\"lang-switch\" href=\"").append(esc(lang.switchHref()))
                .append("\" hreflang=\"").append(lang.zh() ? "en" : "zh-Hans").append("\" lang=\"")
                .append(lang.zh() ? "en" : "zh-Hans").append("\">")
                .append(lang.zh() ? "English" : "中文").append("</a>\n</header>\n<main>\n")
                .append(body)
                .append("\n</main>\n<footer>")
                .append(say(lang, "Served by dlbank from this machine; nothing on this page comes from elsewhere.",
                        "由本机的 dlbank 提供；页面上的一切都不来自别处。"))
                .append("</footer>\n</body>\n</html>\n");
        return html.toString();
    }

    private static String navLink(String href, String name, String current, String label) {
        return "<a href=\"" + href + "\"" + (name.equals(current) ? " aria-current=\"page\"" : "") + ">" + esc(label) + "</a>";
    }

    /** A number as the terminal summary prints it: whole numbers with separators, else four decimals. */
    static String number(Object value) {
        if (!(value instanceof Number number)) {
            return "-";
        }
        double x = number.doubleValue();
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.toString(x);
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e12) {
            return String.format("%,d", (long) x);
        }
        return Math.abs(x) >= 100 ? String.format("%,.1f", x) : String.format("%.4f", x);
    }
}
