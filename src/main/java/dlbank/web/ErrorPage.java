package dlbank.web;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/** An error reached by browsing (an unknown page or entry, an empty answer): a page with a way back. */
final class ErrorPage {

    private ErrorPage() {}

    static String render(Lang lang, int status, String english, String chinese) {
        return render(lang, status, english, chinese, null, null);
    }

    /** A message followed by the path it is about, as code. */
    static String render(Lang lang, int status, String english, String chinese, String path) {
        return page(lang, status, esc(lang.zh() ? chinese : english) + "<code>" + esc(path) + "</code>", null, null);
    }

    /** With a link back to where the reader came from (the entry whose form was sent empty). */
    static String render(Lang lang, int status, String english, String chinese, String backHref, String backLabel) {
        return page(lang, status, esc(lang.zh() ? chinese : english), backHref, backLabel);
    }

    private static String page(Lang lang, int status, String messageHtml, String backHref, String backLabel) {
        String title = switch (status) {
            case 404 -> say(lang, "Not found", "没有找到这个页面");
            case 400, 413, 422 -> say(lang, "That did not work", "没能完成");
            case 403 -> say(lang, "Refused", "已拒绝");
            case 409 -> say(lang, "Busy", "正忙");
            default -> say(lang, "Something went wrong", "出错了");
        };
        String body = "<article class=\"error-page\">\n<h1>" + title + "</h1>\n<p class=\"lead\" data-status=\"" + status + "\">"
                + messageHtml + "</p>\n<p>"
                + (backHref == null ? "" : "<a href=\"" + esc(backHref) + "\">" + esc(backLabel) + "</a> · ") + "<a href=\"/\">" + say(lang, "Back to the bank", "返回题库")
                + "</a> · <a href=\"/quiz\">" + say(lang, "Quiz", "练习") + "</a> · <a href=\"/interview\">"
                + say(lang, "Mock interview", "模拟面试") + "</a></p>\n</article>\n";
        return Html.page(lang, title, "", body, null);
    }
}
