package dlbank.web;

import dlbank.bank.BankEntry;
import dlbank.bank.LeitnerSchedule;
import dlbank.bank.QuizState;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/**
 * The Leitner quiz in the browser, on the same quiz.json as {@code dlbank quiz}: a session asks the
 * cards due in it, one at a time (think, open the answer, say whether you knew it); the page keeps no
 * state of its own, so it and the terminal quiz can take turns.
 */
final class QuizPage {

    private QuizPage() {}

    static void show(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        String topic = topic(site, lang, ctx.queryParam("topic"));
        List<BankEntry> entries = entries(site, lang, topic);
        LeitnerSchedule schedule = QuizState.read(site.quizFile());
        List<String> due = schedule.session() == 0 ? List.of() : schedule.due(entries.stream().map(BankEntry::id).toList());
        StringBuilder body = new StringBuilder("<h1>").append(say(lang, "Quiz", "练习")).append("</h1>\n");
        body.append(topicForm(site, lang, topic));
        if (due.isEmpty()) {
            body.append(sessionEnd(schedule, entries, lang, topic));
        } else {
            BankEntry entry = entries.stream().filter(e -> e.id().equals(due.get(0))).findFirst().orElseThrow();
            body.append(card(site, entry, schedule.card(entry.id()), due.size(), schedule.session(), lang, topic));
        }
        ctx.html(Html.page(lang, say(lang, "Quiz", "练习"), "quiz", body.toString(), null));
    }

    /** POST /quiz/session: starts the next session (the terminal quiz does this when it starts). */
    static void startSession(Site site, Context ctx) {
        QuizState.update(site.quizFile(), schedule -> {
            schedule.startSession();
            return schedule.session();
        });
        ctx.redirect(back(ctx.formParam("topic")), HttpStatus.SEE_OTHER);
    }

    /** POST /quiz/answer: id and knew=yes|no; moves the card between boxes if it is still due. */
    static void answer(Site site, Context ctx) {
        String id = ctx.formParam("id");
        String knew = ctx.formParam("knew");
        if (id == null || !site.bank().ids().contains(id) || !("yes".equals(knew) || "no".equals(knew))) {
            throw WebError.badRequest("expected id (an entry of the bank) and knew=yes or no",
                    "需要 id（题库中的题目）和 knew=yes 或 no");
        }
        QuizState.update(site.quizFile(), schedule -> {
            // A card answered twice (a double click, a second tab) moves once.
            return schedule.card(id).dueSession() <= schedule.session() ? schedule.answer(id, knew.equals("yes")) : null;
        });
        ctx.redirect(back(ctx.formParam("topic")), HttpStatus.SEE_OTHER);
    }

    private static String card(Site site, BankEntry entry, LeitnerSchedule.Card card, int left, int session, Lang lang,
                               String topic) {
        StringBuilder html = new StringBuilder("<section class=\"quiz-card\">\n<p class=\"quiz-meta\">")
                .append(say(lang, "Session " + session + " · " + left + " left · box " + card.box() + " of "
                                + LeitnerSchedule.BOXES,
                        "第 " + session + " 轮 · 还剩 " + left + " 题 · 第 " + card.box() + " 盒（共 " + LeitnerSchedule.BOXES + " 盒）"))
                .append("</p>\n<h2>").append(esc(entry.title())).append("</h2>\n<p class=\"hint\">")
                .append(say(lang, "Think of your answer first, then open it.", "先想好你的答案，再打开看。")).append("</p>\n")
                .append("<details class=\"quiz-answer\"><summary>").append(say(lang, "Show the answer", "查看答案"))
                .append("</summary>\n<div class=\"answer\">").append(site.shortAnswerHtml(entry)).append("</div>\n")
                .append("<p><a href=\"/entry/").append(esc(entry.id())).append("\">")
                .append(say(lang, "The whole answer and its measured results", "完整答案和实测结果")).append("</a></p>\n")
                .append("</details>\n<form method=\"post\" action=\"/quiz/answer\" class=\"quiz-buttons\">")
                .append("<input type=\"hidden\" name=\"id\" value=\"").append(esc(entry.id())).append("\">")
                .append(topic == null ? "" : "<input type=\"hidden\" name=\"topic\" value=\"" + esc(topic) + "\">")
                .append("<button type=\"submit\" name=\"knew\" value=\"yes\" class=\"knew\">")
                .append(say(lang, "I knew it", "我会")).append("</button> ")
                .append("<button type=\"submit\" name=\"knew\" value=\"no\" class=\"missed\">")
                .append(say(lang, "I did not", "我不会")).append("</button></form>\n</section>\n");
        return html.toString();
    }

    private static String sessionEnd(LeitnerSchedule schedule, List<BankEntry> entries, Lang lang, String topic) {
        int[] boxes = new int[LeitnerSchedule.BOXES + 1];
        int seen = 0;
        for (BankEntry entry : entries) {
            LeitnerSchedule.Card card = schedule.card(entry.id());
            boxes[card.box()]++;
            seen += card.seen() > 0 ? 1 : 0;
        }
        StringBuilder html = new StringBuilder("<section class=\"quiz-end\">\n<p>");
        html.append(schedule.session() == 0
                ? say(lang, "No session yet. Each session asks the cards due in it: box 1 every session, box 5 every 16th.",
                        "还没有练习过。每一轮只问到期的卡片：第 1 盒每轮都问，第 5 盒每 16 轮问一次。")
                : say(lang, "Session " + schedule.session() + " is done: nothing more is due in it.",
                        "第 " + schedule.session() + " 轮已完成：本轮没有到期的卡片了。"));
        html.append("</p>\n<table class=\"boxes\"><thead><tr><th>").append(say(lang, "box", "盒")).append("</th>");
        for (int box = 1; box <= LeitnerSchedule.BOXES; box++) {
            html.append("<th>").append(box).append("</th>");
        }
        html.append("</tr></thead><tbody><tr><th>").append(say(lang, "cards", "卡片")).append("</th>");
        for (int box = 1; box <= LeitnerSchedule.BOXES; box++) {
            html.append("<td class=\"num\">").append(boxes[box]).append("</td>");
        }
        html.append("</tr></tbody></table>\n<p>").append(say(lang, seen + " of " + entries.size() + " questions seen so far.",
                "已经练过 " + entries.size() + " 题中的 " + seen + " 题。")).append("</p>\n")
                .append("<form method=\"post\" action=\"/quiz/session\">")
                .append(topic == null ? "" : "<input type=\"hidden\" name=\"topic\" value=\"" + esc(topic) + "\">")
                .append("<button type=\"submit\" class=\"start\">")
                .append(say(lang, "Start session " + (schedule.session() + 1), "开始第 " + (schedule.session() + 1) + " 轮"))
                .append("</button></form>\n</section>\n");
        return html.toString();
    }

    private static String topicForm(Site site, Lang lang, String topic) {
        StringBuilder html = new StringBuilder("<form class=\"topic\" method=\"get\" action=\"/quiz\"><label>")
                .append(say(lang, "Topic ", "主题 ")).append("<select name=\"topic\"><option value=\"\">")
                .append(say(lang, "all", "全部")).append("</option>");
        for (String name : site.entries(lang).stream().map(BankEntry::topic).distinct().toList()) {
            html.append("<option value=\"").append(esc(name)).append("\"").append(name.equals(topic) ? " selected" : "").append(">")
                    .append(esc(Names.topic(name, lang))).append("</option>");
        }
        return html.append("</select></label> <button type=\"submit\">").append(say(lang, "Choose", "选择"))
                .append("</button></form>\n").toString();
    }

    private static String topic(Site site, Lang lang, String asked) {
        if (asked == null || asked.isBlank()) {
            return null;
        }
        if (site.entries(lang).stream().noneMatch(entry -> entry.topic().equals(asked))) {
            throw WebError.notFound("topic " + asked);
        }
        return asked;
    }

    private static List<BankEntry> entries(Site site, Lang lang, String topic) {
        return topic == null ? site.entries(lang) : site.entries(lang).stream().filter(e -> e.topic().equals(topic)).toList();
    }

    private static String back(String topic) {
        return topic == null || topic.isBlank() ? "/quiz" : "/quiz?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
    }
}
