package dlbank.web;

import dlbank.bank.BankEntry;
import dlbank.bank.BankSearch;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.ExperimentStatus;
import dlbank.report.RunDirectory;
import io.javalin.http.Context;

import java.util.List;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/** The bank by part, each entry with the state of its experiments and its headline figure; search. */
final class HomePage {

    private HomePage() {}

    static void show(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        String query = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        List<BankSearch.Hit> hits = query.isEmpty() ? List.of() : new BankSearch(site.bank()).search(query, lang.code());
        ctx.html(render(site, lang, query, hits));
    }

    static String render(Site site, Lang lang, String query, List<BankSearch.Hit> hits) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(say(lang, "Deep-learning interview questions, every answer measured",
                "深度学习面试题：每个答案都有实测")).append("</h1>\n");
        body.append("<p class=\"lead\">").append(say(lang,
                "24 questions in Chinese and English. Each answer is backed by an experiment that runs on this machine "
                        + "and marks the answer's claims held or not held by what it measured.",
                "24 道题，中英双语。每个答案背后都有一个在本机运行的实验，它用实测结果标明答案中的说法成立还是不成立。"))
                .append("</p>\n");
        body.append("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">")
                .append("<input type=\"search\" name=\"q\" value=\"").append(esc(query)).append("\" placeholder=\"")
                .append(say(lang, "Search in Chinese or English, e.g. dropout or 正则化", "中文或英文搜索，例如 正则化 或 dropout"))
                .append("\" aria-label=\"").append(say(lang, "Search", "搜索")).append("\">")
                .append("<button type=\"submit\">").append(say(lang, "Search", "搜索")).append("</button></form>\n");
        if (!query.isEmpty()) {
            body.append("<section class=\"hits\"><h2>").append(say(lang, hits.size() + " found for ", "搜索“"))
                    .append(esc(query)).append(say(lang, "", "”找到 " + hits.size() + " 条")).append("</h2>\n<ol class=\"entries\">\n");
            for (BankSearch.Hit hit : hits) {
                body.append(item(hit.entry(), lang));
            }
            body.append("</ol>\n</section>\n");
        }
        int part = 0;
        for (BankEntry entry : site.entries(lang)) {
            if (entry.part() != part) {
                body.append(part == 0 ? "" : "</ol>\n</section>\n");
                part = entry.part();
                body.append("<section class=\"part\"><h2>").append(part == 1 ? say(lang, "Part 1: concept questions",
                        "第一部分：概念题") : say(lang, "Part 2: programming tasks", "第二部分：编程题"))
                        .append("</h2>\n<ol class=\"entries\">\n");
            }
            body.append(item(entry, lang));
        }
        body.append("</ol>\n</section>\n");
        body.append("<p class=\"legend\">").append(say(lang,
                "Saved run: measured on this machine. Runnable: press Run on its page. Not yet: the experiment is not written yet.",
                "已有结果：已在本机实测。可运行：在题目页点“运行”。尚未实现：实验还没写好。")).append("</p>\n");
        return Html.page(lang, say(lang, "The bank", "题库"), "bank", body.toString(), null);
    }

    /** One entry: number, title, id, each experiment's state as a word, and the headline figure. */
    private static String item(BankEntry entry, Lang lang) {
        StringBuilder html = new StringBuilder("<li value=\"").append(entry.number()).append("\"><a class=\"title\" href=\"/entry/")
                .append(esc(entry.id())).append("\">").append(esc(entry.title())).append("</a> <code>")
                .append(esc(entry.id())).append("</code><span class=\"statuses\">");
        for (String experimentId : entry.experiments()) {
            ExperimentStatus status = ExperimentStatus.of(experimentId);
            String word = switch (status) {
                case SAVED -> say(lang, "saved run", "已有结果");
                case RUNNABLE -> say(lang, "runnable", "可运行");
                case NOT_YET -> say(lang, "not yet", "尚未实现");
            };
            html.append(" <span class=\"status ").append(status.name().toLowerCase().replace('_', '-'))
                    .append("\" title=\"").append(esc(experimentId)).append("\">").append(word).append("</span>");
            if (status == ExperimentStatus.SAVED) {
                RunDirectory.latestShown(experimentId).ifPresent(dir -> {
                    var report = RunDirectory.readReport(dir);
                    ResultsView.headline(ExperimentRegistry.find(experimentId).orElseThrow(), report).ifPresent(figure ->
                            html.append(" <span class=\"headline\">").append(esc(figure))
                                    .append("quick".equals(report.get("mode")) ? say(lang, " (quick)", "（快速）") : "")
                                    .append("</span>"));
                });
            }
        }
        return html.append("</span></li>\n").toString();
    }
}
