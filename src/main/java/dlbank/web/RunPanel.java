package dlbank.web;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/**
 * The Run buttons of one experiment and the live panel that page.js fills from the run's events:
 * a bar, the terminal bar's fields, the output lines, the end state.
 */
final class RunPanel {

    private RunPanel() {}

    static String html(String experimentId, Lang lang) {
        StringBuilder html = new StringBuilder("<div class=\"run-panel\" data-experiment=\"").append(esc(experimentId))
                .append("\">\n<div class=\"run-buttons\">")
                .append("<button type=\"button\" class=\"run-button\" data-mode=\"quick\">")
                .append(say(lang, "Quick run (seconds, small data)", "快速运行（几秒，小数据）")).append("</button> ")
                .append("<button type=\"button\" class=\"run-button\" data-mode=\"full\">")
                .append(say(lang, "Full run (the bank's numbers; minutes)", "完整运行（题库里的数字；几分钟）")).append("</button> ")
                .append("<button type=\"button\" class=\"cancel-button\" hidden>").append(say(lang, "Cancel", "取消"))
                .append("</button></div>\n");
        html.append("<div class=\"live\" hidden aria-live=\"polite\">\n")
                .append("<progress class=\"bar\" max=\"100\" value=\"0\"></progress>\n<dl class=\"fields\">");
        String[][] fields = {
                {"epoch", "epoch", "轮次"}, {"batch", "batch", "批次"}, {"loss", "loss", "损失"},
                {"accuracy", "accuracy", "准确率"}, {"rate", "images/s", "样本/秒"}, {"eta", "ETA", "预计剩余"}};
        for (String[] field : fields) {
            html.append("<div><dt>").append(say(lang, field[1], field[2])).append("</dt><dd data-field=\"")
                    .append(field[0]).append("\">–</dd></div>");
        }
        html.append("</dl>\n<p class=\"run-state\" role=\"status\"></p>\n<pre class=\"log\"></pre>\n</div>\n</div>\n");
        return html.toString();
    }
}
