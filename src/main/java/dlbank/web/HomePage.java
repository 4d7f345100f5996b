package dlbank.web;

import dlbank.bank.BankEntry;
import dlbank.bank.BankSearch;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.ExperimentStatus;
import dlbank.report.ReferenceRuns;
import dlbank.report.RunDirectory;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

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
                site.entries(lang).size() + " questions in Chinese and English. Each answer is backed by an experiment that runs on this machine "
                        + "and marks the answer's claims held or not held by what it measured.",
                site.entries(lang).size() + " 道题，中英双语。每个答案背后都有一个在本机运行的实验，它用实测结果标明答案中的说法成立还是不成立。"))
                .append("</p>\n");
        body.append("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">")
                .append("<input type=\"search\" name=\"q\" value=\"").append(esc(query)).append("\" placeholder=\"")
                .append(say(lang, "Search in Chinese or English, e.g. dropout or 正则化", "中文或英文搜索，例如 正则化 或 dropout"))
                .append("\" aria-label=\"").append(say(lang, "Search", "搜索")).append("\">")
                .append("<button type=\"submit\">").append(say(lang, "Search", "搜索")).append("</button></form>\n");
        if (!query.isEmpty()) {
            // Only the hits: the bank's own numbers mean nothing in a list of results, and the whole bank under
            // them would bury them.
            body.append("<section class=\"hits\"><h2>").append(say(lang, hits.size() + " found for ", "搜索“"))
                    .append(esc(query)).append(say(lang, "", "”找到 " + hits.size() + " 条")).append("</h2>\n<ul class=\"entries hits\">\n");
            for (BankSearch.Hit hit : hits) {
                body.append(item(hit.entry(), lang, false));
            }
            body.append("</ul>\n<p><a href=\"/\">").append(say(lang, "Show the whole bank", "显示全部题目"))
                    .append("</a></p>\n</section>\n");
            return Html.page(lang, say(lang, "Search: ", "搜索：") + query, "bank", body.toString(), null);
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
            body.append(item(entry, lang, true));
        }
        body.append("</ol>\n</section>\n");
        body.append("<p class=\"legend\">").append(say(lang,
                "Each experiment behind an answer, by name: measured here (your own run), reference (measured on the "
                        + "build machine; yours replaces it), runnable (no result yet), not written yet.",
                "每道题背后的实验都列出名字：本机结果（你自己的运行）、参考结果（构建机上实测，你运行后会被替换）、"
                        + "可运行（还没有结果）、尚未实现（实验还没写好）。")).append("</p>\n");
        return Html.page(lang, say(lang, "The bank", "题库"), "bank", body.toString(), null);
    }

    /** One entry: title, id, each experiment by name with its state as a word, and its headline figure. */
    private static String item(BankEntry entry, Lang lang, boolean numbered) {
        StringBuilder html = new StringBuilder("<li").append(numbered ? " value=\"" + entry.number() + "\"" : "")
                .append("><a class=\"title\" href=\"/entry/").append(esc(entry.id())).append("\">").append(esc(entry.title()))
                .append("</a> <code>").append(esc(entry.id())).append("</code><ul class=\"statuses\">");
        for (String experimentId : entry.experiments()) {
            ExperimentStatus status = ExperimentStatus.of(experimentId);
            boolean reference = status == ExperimentStatus.RUNNABLE && ReferenceRuns.report(experimentId).isPresent();
            String kind = reference ? "reference" : status.name().toLowerCase().replace('_', '-');
            String word = reference ? say(lang, "reference", "参考结果") : switch (status) {
                case SAVED -> say(lang, "measured here", "本机结果");
                case RUNNABLE -> say(lang, "runnable", "可运行");
                case NOT_YET -> say(lang, "not written yet", "尚未实现");
            };
            html.append("<li class=\"status ").append(kind).append("\"><code>").append(esc(experimentId))
                    .append("</code> <span class=\"word\">").append(word).append("</span>");
            Map<String, Object> report = status == ExperimentStatus.SAVED
                    ? RunDirectory.latestShown(experimentId).map(RunDirectory::readReport).orElse(null)
                    : ReferenceRuns.report(experimentId).orElse(null);
            if (report != null) {
                ResultsView.headline(ExperimentRegistry.find(experimentId).orElseThrow(), report, lang).ifPresent(figure ->
                        html.append(" <span class=\"headline\">").append(esc(figure))
                                .append("quick".equals(report.get("mode")) ? say(lang, " (quick run)", "（快速运行）") : "")
                                .append("</span>"));
            }
            html.append("</li>");
        }
        return html.append("</ul></li>\n").toString();
    }
}
