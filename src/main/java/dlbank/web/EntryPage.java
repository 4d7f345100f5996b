package dlbank.web;

import dlbank.bank.BankEntry;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.report.RunDirectory;
import io.javalin.http.Context;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/**
 * One entry: the answer, then for each experiment behind it a Run panel and the latest measured
 * results; also the page of one run, and the results block the page reloads when a run ends.
 */
final class EntryPage {

    private EntryPage() {}

    static void show(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        String id = ctx.pathParam("kind") + "/" + ctx.pathParam("slug");
        BankEntry entry = site.entry(id, lang).orElseThrow(() -> WebError.notFound("entry " + id));
        ctx.html(render(site, entry, lang));
    }

    static String render(Site site, BankEntry entry, Lang lang) {
        List<BankEntry> entries = site.entries(lang);
        int index = entries.indexOf(entry);
        StringBuilder body = new StringBuilder("<article class=\"entry\">\n");
        body.append("<p class=\"crumbs\"><a href=\"/\">").append(say(lang, "Bank", "题库")).append("</a> · ")
                .append(entry.part() == 1 ? say(lang, "Part 1", "第一部分") : say(lang, "Part 2", "第二部分"))
                .append(" · <a href=\"/quiz?topic=").append(esc(entry.topic())).append("\">")
                .append(esc(Names.topic(entry.topic(), lang))).append("</a> · <code>").append(esc(entry.id())).append("</code></p>\n");
        body.append("<h1>").append(entry.number()).append(". ").append(esc(entry.title())).append("</h1>\n");
        body.append(neighbours(entries, index, lang, "top"));
        body.append("<nav class=\"toc\" aria-label=\"").append(say(lang, "Contents", "目录")).append("\"><h2>")
                .append(say(lang, "Contents", "目录")).append("</h2><ol>\n");
        int section = 0;
        for (String heading : headings(entry.body())) {
            body.append("<li><a href=\"#sec-").append(++section).append("\">").append(esc(heading)).append("</a></li>\n");
        }
        boolean runnable = entry.experiments().stream().anyMatch(id -> ExperimentRegistry.find(id).isPresent());
        body.append("<li><a href=\"#measured\">").append(say(lang, "Measured results", "实测结果")).append("</a></li>\n");
        body.append("</ol>");
        if (runnable) {
            body.append("<p class=\"jump\"><a class=\"jump-to-run\" href=\"#measured\">")
                    .append(say(lang, "Run it on this machine ↓", "在本机运行 ↓")).append("</a></p>");
        }
        body.append("</nav>\n");
        body.append("<details class=\"try-first\" id=\"try-first\"><summary>").append(say(lang,
                "Answer it yourself first, and have your answer graded on the key points",
                "先自己回答，再按要点给你的回答评分")).append("</summary>\n").append(GradePage.form(entry, lang, ""))
                .append("</details>\n");
        body.append("<div class=\"answer\">\n").append(site.answerHtml(entry)).append("</div>\n");
        body.append("<section class=\"measured-section\" id=\"measured\">\n<h2>")
                .append(say(lang, "Measured results", "实测结果")).append("</h2>\n");
        for (String experimentId : entry.experiments()) {
            Optional<Experiment> experiment = ExperimentRegistry.find(experimentId);
            if (experiment.isEmpty()) {
                body.append("<div class=\"experiment not-yet\"><h3><code>").append(esc(experimentId)).append("</code> <span class=\"badge not-yet\">")
                        .append(say(lang, "not written yet", "尚未实现")).append("</span></h3><p class=\"empty\">")
                        .append(say(lang, "This experiment is not written yet; the other experiments of this answer are above or below.",
                                "这个实验还没写好；这道题的其他实验见本节的其余部分。"))
                        .append("</p></div>\n");
                continue;
            }
            body.append("<div class=\"experiment\">\n<h3><code>").append(esc(experimentId)).append("</code> ")
                    .append(esc(Names.title(experiment.get(), lang))).append("</h3>\n")
                    .append(RunPanel.html(experimentId, lang))
                    .append("<div class=\"results\" data-src=\"").append(esc(fragmentHref(experimentId))).append("\">\n")
                    .append(ResultsView.latest(experiment.get(), lang)).append("</div>\n</div>\n");
        }
        body.append("</section>\n");
        if (!entry.related().isEmpty()) {
            body.append("<section class=\"related\"><h2>").append(say(lang, "Read next", "延伸阅读")).append("</h2><ul>\n");
            for (String related : entry.related()) {
                site.entry(related, lang).ifPresent(other -> body.append("<li><a href=\"/entry/").append(esc(other.id()))
                        .append("\">").append(esc(other.title())).append("</a> <code>").append(esc(other.id()))
                        .append("</code></li>\n"));
            }
            body.append("</ul></section>\n");
        }
        body.append(neighbours(entries, index, lang, "bottom"));
        body.append("</article>\n");
        return Html.page(lang, entry.title(), "bank", body.toString(), null);
    }

    /** Links to the previous and the next entry in bank order. */
    private static String neighbours(List<BankEntry> entries, int index, Lang lang, String where) {
        StringBuilder html = new StringBuilder("<nav class=\"neighbours ").append(where).append("\">");
        if (index > 0) {
            BankEntry previous = entries.get(index - 1);
            html.append("<a rel=\"prev\" href=\"/entry/").append(esc(previous.id())).append("\">← ")
                    .append(say(lang, "Previous: ", "上一题：")).append(esc(previous.title())).append("</a>");
        } else {
            html.append("<span></span>");
        }
        if (index >= 0 && index < entries.size() - 1) {
            BankEntry next = entries.get(index + 1);
            html.append("<a rel=\"next\" href=\"/entry/").append(esc(next.id())).append("\">")
                    .append(say(lang, "Next: ", "下一题：")).append(esc(next.title())).append(" →</a>");
        }
        return html.append("</nav>\n").toString();
    }

    /** The level-2 headings of an answer, outside code, in order (their ids are sec-1, sec-2, ...). */
    static List<String> headings(String markdown) {
        List<String> headings = new ArrayList<>();
        boolean inCode = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```") || line.startsWith("~~~")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("## ")) {
                headings.add(line.substring(3).strip());
            }
        }
        return headings;
    }

    /** The results block of one experiment, as HTML to put in place when a run has finished. */
    static void results(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        Experiment experiment = ResultsView.experiment(ctx.pathParam("kind"), ctx.pathParam("slug"));
        ctx.html(ResultsView.latest(experiment, lang));
    }

    /** The page of one finished run. */
    static void run(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        Experiment experiment = ResultsView.experiment(ctx.pathParam("kind"), ctx.pathParam("slug"));
        Path dir = RunFiles.runFolder(experiment.id(), ctx.pathParam("run"));
        if (!RunDirectory.isFinished(dir)) {
            throw WebError.notFound("finished run " + experiment.id() + "/" + dir.getFileName());
        }
        StringBuilder body = new StringBuilder("<article class=\"entry\">\n<p class=\"crumbs\"><a href=\"/\">")
                .append(say(lang, "Bank", "题库")).append("</a>");
        for (String question : experiment.questions()) {
            site.entry(question, lang).ifPresent(entry -> body.append(" · <a href=\"/entry/").append(esc(entry.id()))
                    .append("#measured\">").append(esc(entry.number() + ". " + entry.title())).append("</a>"));
        }
        body.append("</p>\n<h1><code>").append(esc(experiment.id())).append("</code> ").append(esc(Names.title(experiment, lang)))
                .append("</h1>\n").append(ResultsView.run(ResultsView.own(experiment.id(), dir), lang, 2)).append("</article>\n");
        ctx.html(Html.page(lang, experiment.id() + " " + dir.getFileName(), "bank", body.toString(), null));
    }

    /** GET /reference/{kind}/{slug}/{file}: a file of the reference run that ships in the jar. */
    static void referenceFile(Context ctx) {
        String id = ctx.pathParam("kind") + "/" + ctx.pathParam("slug");
        String file = ctx.pathParam("file");
        byte[] bytes = dlbank.report.ReferenceRuns.file(id, file).orElseThrow(() -> WebError.notFound("file " + file));
        ctx.contentType(RunFiles.TYPES.get(RunFiles.extension(file)));
        ctx.header("Cache-Control", "no-cache");
        ctx.result(bytes);
    }

    static String fragmentHref(String experimentId) {
        return "/fragment/results/" + experimentId;
    }
}
