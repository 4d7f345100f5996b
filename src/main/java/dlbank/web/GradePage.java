package dlbank.web;

import dlbank.bank.BankEntry;
import dlbank.interview.GradeResult;
import dlbank.interview.Grader;
import io.javalin.http.Context;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/**
 * Answer a question yourself and have it graded on the entry's key points: the same {@link Grader}
 * as {@code dlbank grade}. The result shows the score, the points made (with the words that made
 * them), the points missed (with the entry's sentence) and any mistake stated.
 */
final class GradePage {

    /** Longer than any spoken answer; a paste of a whole article is refused. */
    static final int MAX_ANSWER_CHARS = 20_000;

    private GradePage() {}

    /** The form on the entry page: write first, then read. */
    static String form(BankEntry entry, Lang lang, String answer) {
        return "<form class=\"grade-form\" method=\"post\" action=\"/entry/" + esc(entry.id()) + "/grade\">"
                + "<label for=\"answer\">" + say(lang, "Your answer, as you would say it in the interview:",
                "你的回答，就像在面试里说的那样：") + "</label>"
                + "<textarea id=\"answer\" name=\"answer\" rows=\"7\" maxlength=\"" + MAX_ANSWER_CHARS + "\">"
                + esc(answer) + "</textarea><button type=\"submit\">" + say(lang, "Grade it", "评分") + "</button></form>\n";
    }

    /** POST /entry/{kind}/{slug}/grade: the answer from the form, graded. */
    static void grade(Site site, Context ctx) {
        String id = ctx.pathParam("kind") + "/" + ctx.pathParam("slug");
        Lang lang = Lang.of(ctx, site.settings().language()).switchingOn("/entry/" + id);
        BankEntry entry = site.entry(id, lang).orElseThrow(() -> WebError.notFound("entry " + id));
        String answer = ctx.formParam("answer") == null ? "" : ctx.formParam("answer").strip();
        if (answer.isEmpty()) {
            ctx.attribute(WebServer.RENDERED, true);
            ctx.status(400).html(ErrorPage.render(lang, 400, "There is no answer to grade: write it in the form first.",
                    "没有可评分的回答：请先在表单里写下你的回答。", "/entry/" + entry.id() + "#try-first",
                    say(lang, "Back to the question", "回到这道题")));
            return;
        }
        if (answer.length() > MAX_ANSWER_CHARS) {
            throw new WebError(413, "the answer is longer than " + MAX_ANSWER_CHARS + " characters",
                    "回答超过了 " + MAX_ANSWER_CHARS + " 个字符");
        }
        GradeResult result = site.grader(lang.code()).grade(entry, answer);
        ctx.html(render(entry, lang, answer, result));
    }

    private static String render(BankEntry entry, Lang lang, String answer, GradeResult result) {
        StringBuilder body = new StringBuilder("<article class=\"entry\">\n<p class=\"crumbs\"><a href=\"/entry/")
                .append(esc(entry.id())).append("\">").append(esc(entry.number() + ". " + entry.title())).append("</a></p>\n")
                .append("<h1>").append(say(lang, "Your answer, graded", "你的回答的评分")).append("</h1>\n")
                .append(resultHtml(result, lang, "h2"));
        body.append("<h2>").append(say(lang, "Try again", "再答一次")).append("</h2>\n")
                .append(form(entry, lang, answer)).append("</article>\n");
        return Html.page(lang, say(lang, "Graded: ", "评分：") + entry.title(), "bank", body.toString(), null);
    }

    /**
     * A grade as HTML: the score, the mistakes stated, the points made and missed. Also the interview's.
     * Text quoted from the bank (its key points and sentences) is marked {@code bank-text}: it follows the
     * bank's own conventions (English terms in parentheses), which GlossaryTest checks.
     */
    static String resultHtml(GradeResult result, Lang lang, String heading) {
        StringBuilder body = new StringBuilder("<div class=\"grade\">\n<p class=\"score\"><span class=\"score-number\">")
                .append(result.score()).append("</span> / 100</p>\n<p class=\"lead\">").append(say(lang,
                        "The covered share of the key points' weight (a point made only loosely counts half), less "
                                + Grader.RED_FLAG_PENALTY + " for each mistake stated.",
                        "得分 = 覆盖的要点权重占比（只说对一部分的要点算一半），每陈述一个错误说法扣 " + Grader.RED_FLAG_PENALTY + " 分。"))
                .append("</p>\n");
        if (!result.answerLanguage().equals(result.language())) {
            body.append("<p class=\"note\">").append(say(lang, "Your answer is in Chinese, so it was graded against the Chinese key points.",
                    "你的回答是英文的，所以按英文的关键点评分。")).append("</p>\n");
        }
        if (!result.redFlags().isEmpty()) {
            body.append("<").append(heading).append(">").append(say(lang, "Mistakes stated", "说错的地方"))
                    .append("</").append(heading).append(">\n<ul class=\"claims\">\n");
            for (GradeResult.RaisedFlag flag : result.redFlags()) {
                body.append("<li class=\"claim not-held\"><span class=\"verdict\">").append(say(lang, "✗ wrong", "✗ 错误"))
                        .append("</span> <span class=\"bank-text\">").append(esc(flag.wrong())).append("</span><div class=\"measured\">")
                        .append(say(lang, "your words: ", "你的原话：")).append(esc(flag.words()))
                        .append("</div><div class=\"note bank-text\">").append(esc(flag.correction())).append("</div></li>\n");
            }
            body.append("</ul>\n");
        }
        body.append("<").append(heading).append(">").append(say(lang, "Key points made", "答到的要点")).append(" (")
                .append(result.covered().size()).append(")</").append(heading).append(">\n<ul class=\"claims\">\n");
        for (GradeResult.Covered point : result.covered()) {
            body.append("<li class=\"claim held\"><span class=\"verdict\">").append(say(lang, "✓ made", "✓ 答到"))
                    .append("</span> <span class=\"bank-text\">").append(esc(point.label())).append("</span><div class=\"measured\">")
                    .append(say(lang, "your words: ", "你的原话：")).append(esc(point.words())).append("</div></li>\n");
        }
        body.append("</ul>\n<").append(heading).append(">").append(say(lang, "Key points missed", "漏掉的要点")).append(" (")
                .append(result.missed().size()).append(")</").append(heading).append(">\n<ul class=\"claims\">\n");
        for (GradeResult.Missed point : result.missed()) {
            body.append("<li class=\"claim not-checked\"><span class=\"verdict\">").append(say(lang, "– missed", "– 漏掉"))
                    .append("</span> <span class=\"bank-text\">").append(esc(point.label())).append("</span><div class=\"note bank-text\">")
                    .append(esc(point.sentence())).append("</div></li>\n");
        }
        return body.append("</ul>\n</div>\n").toString();
    }
}
