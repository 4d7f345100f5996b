package dlbank.web;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/**
 * The Run buttons of one experiment (each with the time it takes) and the live panel that page.js
 * fills from the run's events: the state and elapsed time, a bar, the terminal bar's fields, a live
 * loss and accuracy curve, and the output lines.
 */
final class RunPanel {

    private RunPanel() {}

    static String html(String experimentId, Lang lang) {
        StringBuilder html = new StringBuilder("<div class=\"run-panel\" id=\"run-").append(esc(experimentId.replace('/', '-')))
                .append("\" data-experiment=\"").append(esc(experimentId)).append("\">\n<div class=\"run-buttons\">");
        for (String mode : new String[] {"quick", "full"}) {
            String time = RunEstimates.label(experimentId, mode.equals("quick"), lang);
            html.append("<button type=\"button\" class=\"run-button\" data-mode=\"").append(mode).append("\">")
                    .append(mode.equals("quick") ? say(lang, "Quick run", "快速运行") : say(lang, "Full run", "完整运行"))
                    .append("<span class=\"time\">").append(esc(time)).append("</span></button> ");
        }
        html.append("<button type=\"button\" class=\"cancel-button\" hidden>").append(say(lang, "Cancel", "取消"))
                .append("</button></div>\n<p class=\"run-note\">").append(say(lang,
                        "Quick: a small part of the data, to see it work; full: the settings behind the bank's numbers.",
                        "快速运行只用一小部分数据，看它怎样工作；完整运行用题库数字背后的设置。")).append("</p>\n");
        html.append("<div class=\"live\" hidden aria-live=\"polite\">\n<p class=\"run-state\" role=\"status\"></p>\n")
                .append("<progress class=\"bar\" max=\"100\" value=\"0\"></progress>\n<dl class=\"fields\">");
        String[][] fields = {
                {"phase", "now", "阶段"}, {"elapsed", "elapsed", "已用时间"}, {"eta", "time left", "预计剩余"},
                {"epoch", "epoch", "轮次"}, {"batch", "batch", "批次"}, {"rate", "speed", "速度"},
                {"loss", "loss", "损失"}, {"accuracy", "accuracy", "准确率"}};
        for (String[] field : fields) {
            html.append("<div><dt>").append(say(lang, field[1], field[2])).append("</dt><dd data-field=\"")
                    .append(field[0]).append("\">–</dd></div>");
        }
        html.append("</dl>\n<figure class=\"live-curve\"><canvas class=\"curve\" width=\"640\" height=\"240\"></canvas>")
                .append("<figcaption>").append(say(lang,
                        "Live: training loss and accuracy as the run reads them (lines), validation after each epoch (dots)",
                        "实时曲线：训练中读到的损失和准确率（线），每轮结束时的验证集结果（点）"))
                .append("</figcaption></figure>\n<details class=\"log-box\"><summary>")
                .append(say(lang, "Output, as the terminal shows it", "终端输出原文")).append("</summary><pre class=\"log\"></pre></details>\n")
                .append("</div>\n</div>\n");
        return html.toString();
    }
}
