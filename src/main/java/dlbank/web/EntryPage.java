package dlbank.web;

import dlbank.bank.BankEntry;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.report.RunDirectory;
import io.javalin.http.Context;

import java.nio.file.Path;
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
        StringBuilder body = new StringBuilder("<article class=\"entry\">\n");
        body.append("<p class=\"crumbs\"><a href=\"/\">").append(say(lang, "Bank", "题库")).append("</a> · ")
                .append(entry.part() == 1 ? say(lang, "Part 1", "第一部分") : say(lang, "Part 2", "第二部分"))
                .append(" · <code>").append(esc(entry.id())).append("</code> · ").append(esc(entry.topic())).append("</p>\n");
        body.append("<h1>").append(entry.number()).append(". ").append(esc(entry.title())).append("</h1>\n");
        body.append("<details class=\"try-first\"><summary>").append(say(lang,
                "Answer it yourself first, and have your answer graded on the key points",
                "先自己回答，再按要点给你的回答评分")).append("</summary>\n").append(GradePage.form(entry, lang, ""))
                .append("</details>\n");
        body.append("<div class=\"answer\">\n").append(site.answerHtml(entry)).append("</div>\n");
        body.append("<section class=\"measured-section\" id=\"measured\">\n<h2>")
                .append(say(lang, "Measured on this machine", "实测结果（本机）")).append("</h2>\n");
        for (String experimentId : entry.experiments()) {
            Optional<Experiment> experiment = ExperimentRegistry.find(experimentId);
            if (experiment.isEmpty()) {
                body.append("<div class=\"experiment\"><h3><code>").append(esc(experimentId)).append("</code></h3><p class=\"empty\">")
                        .append(say(lang, "Not yet available: this experiment is not written yet.", "尚未实现：这个实验还没写好。"))
                        .append("</p></div>\n");
                continue;
            }
            body.append("<div class=\"experiment\">\n<h3><code>").append(esc(experimentId)).append("</code> ")
                    .append(esc(experiment.get().title())).append("</h3>\n")
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
        body.append("</article>\n");
        return Html.page(lang, entry.title(), "bank", body.toString(), null);
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
                    .append("\">").append(esc(entry.number() + ". " + entry.title())).append("</a>"));
        }
        body.append("</p>\n<h1>").append(esc(experiment.title())).append("</h1>\n")
                .append(ResultsView.run(experiment.id(), dir, lang, 2)).append("</article>\n");
        ctx.html(Html.page(lang, experiment.id() + " " + dir.getFileName(), "bank", body.toString(), null));
    }

    static String fragmentHref(String experimentId) {
        return "/fragment/results/" + experimentId;
    }
}
