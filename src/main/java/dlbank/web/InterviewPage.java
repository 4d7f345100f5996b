package dlbank.web;

import dlbank.bank.BankEntry;
import dlbank.data.DlbankHome;
import dlbank.interview.GradeResult;
import dlbank.interview.Grader;
import dlbank.interview.InterviewSession;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.say;

/**
 * The mock interview in the browser, as {@code dlbank interview} holds it: the same questions
 * ({@link InterviewSession#pick}), one at a time with a visible clock, each answer graded at once and
 * followed by one of the entry's follow-up questions. At the end the answers go through
 * {@link InterviewSession#run} as typed input, which grades them, saves the transcript in
 * {@code ~/.dlbank/interviews/} and sends weak questions back to box 1 of the quiz; the review page
 * lists the entries to revisit. The sessions live in the server's memory only until it stops.
 */
final class InterviewPage {

    private static final int MAX_SESSIONS = 20;
    private static final int MAX_QUESTIONS = 10;
    /** A guide for the clock: about two minutes for an answer, as in a real interview. */
    private static final int SUGGESTED_SECONDS = 120;

    /** One interview in progress: the questions, and the answers so far (main, then follow-up, in turn). */
    static final class Session {
        final String id = UUID.randomUUID().toString();
        final String language;
        final long seed;
        final List<InterviewSession.Question> questions;
        final List<String> answers = new ArrayList<>();
        final List<GradeResult> grades = new ArrayList<>();
        long askedAt = System.currentTimeMillis();
        InterviewSession.Summary summary;

        Session(String language, long seed, List<InterviewSession.Question> questions) {
            this.language = language;
            this.seed = seed;
            this.questions = questions;
        }

        /** The question asked now: its index, and whether it is the follow-up; null when all are answered. */
        int[] now() {
            int step = 0;
            for (int i = 0; i < questions.size(); i++) {
                int parts = questions.get(i).followUp() == null ? 1 : 2;
                if (answers.size() < step + parts) {
                    return new int[] {i, answers.size() - step};
                }
                step += parts;
            }
            return null;
        }
    }

    private static final Map<String, Session> SESSIONS = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    private InterviewPage() {}

    /** GET /interview: how many questions, which topic. */
    static void show(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        StringBuilder body = new StringBuilder("<h1>").append(say(lang, "Mock interview", "模拟面试")).append("</h1>\n<p class=\"lead\">")
                .append(say(lang, "Questions one at a time, as an interviewer asks them: answer in your own words, see at once "
                                + "which key points you made, then answer the follow-up. At the end the transcript is saved as "
                                + "<code>dlbank interview</code> saves it, and weak questions go back to box 1 of the quiz.",
                        "像面试官那样一次问一道题：用你自己的话回答，立刻看到答到了哪些要点，然后回答追问。结束时记录会像 "
                                + "<code>dlbank interview</code> 一样保存下来，答得不好的题会放回练习的第 1 盒。"))
                .append("</p>\n<form class=\"interview-start\" method=\"post\" action=\"/interview\">\n<label>")
                .append(say(lang, "Questions ", "题数 ")).append("<select name=\"questions\">");
        for (int count = 1; count <= Math.min(MAX_QUESTIONS, site.entries(lang).size()); count++) {
            body.append("<option").append(count == 3 ? " selected" : "").append(">").append(count).append("</option>");
        }
        body.append("</select></label>\n<label>").append(say(lang, "Topic ", "主题 ")).append("<select name=\"topic\"><option value=\"\">")
                .append(say(lang, "all", "全部")).append("</option>");
        for (String topic : site.entries(lang).stream().map(BankEntry::topic).distinct().toList()) {
            body.append("<option value=\"").append(esc(topic)).append("\">").append(esc(Names.topic(topic, lang))).append("</option>");
        }
        body.append("</select></label>\n<button type=\"submit\" class=\"start\">").append(say(lang, "Start the interview", "开始面试"))
                .append("</button>\n</form>\n");
        ctx.html(Html.page(lang, say(lang, "Mock interview", "模拟面试"), "interview", body.toString(), null));
    }

    /** POST /interview: picks the questions and opens the session's page. */
    static void start(Site site, Context ctx) {
        Lang lang = Lang.of(ctx, site.settings().language());
        String topic = ctx.formParam("topic") == null ? "" : ctx.formParam("topic");
        List<BankEntry> entries = topic.isBlank() ? site.entries(lang)
                : site.entries(lang).stream().filter(entry -> entry.topic().equals(topic)).toList();
        int count;
        try {
            count = Integer.parseInt(String.valueOf(ctx.formParam("questions")));
        } catch (NumberFormatException e) {
            count = 0;
        }
        if (entries.isEmpty() || count < 1 || count > MAX_QUESTIONS) {
            throw WebError.badRequest("choose 1 to " + MAX_QUESTIONS + " questions and a topic of the bank",
                    "请选择 1 到 " + MAX_QUESTIONS + " 道题和题库里的一个主题");
        }
        long seed = new Random().nextInt(1_000_000);
        Session session = new Session(lang.code(), seed, InterviewSession.pick(entries, count, seed));
        Grader.preload(lang.code()); // the sentence encoder loads while the first answer is typed
        synchronized (SESSIONS) {
            SESSIONS.put(session.id, session);
        }
        ctx.redirect("/interview/" + session.id, HttpStatus.SEE_OTHER);
    }

    /** GET /interview/{id}: the question asked now, with the grade of the last answer; or the review. */
    static void question(Site site, Context ctx) {
        Session session = session(ctx);
        Lang lang = Lang.of(ctx, session.language);
        if (session.summary != null) {
            ctx.html(Html.page(lang, say(lang, "Interview review", "面试回顾"), "interview", review(session, lang), null));
            return;
        }
        int[] now = session.now();
        StringBuilder body = new StringBuilder("<h1>").append(say(lang, "Mock interview", "模拟面试")).append("</h1>\n");
        if (!session.grades.isEmpty()) {
            body.append("<details class=\"last-grade\" open><summary>").append(say(lang, "Your last answer: ", "上一个回答："))
                    .append(session.grades.get(session.grades.size() - 1).score()).append(" / 100</summary>\n")
                    .append(GradePage.resultHtml(session.grades.get(session.grades.size() - 1), lang, "h3")).append("</details>\n");
        }
        if (now == null) {
            body.append("<p>").append(say(lang, "That was the last question.", "这是最后一道题。")).append("</p>\n")
                    .append(finishForm(session, lang, say(lang, "See the review", "查看回顾")));
        } else {
            InterviewSession.Question question = session.questions.get(now[0]);
            boolean followUp = now[1] == 1;
            session.askedAt = System.currentTimeMillis();
            body.append("<section class=\"interview-question\" data-stage=\"").append(followUp ? "follow-up" : "question")
                    .append("\">\n<p class=\"quiz-meta\">").append(say(lang, "Question " + (now[0] + 1) + " of " + session.questions.size(),
                            "第 " + (now[0] + 1) + " 题，共 " + session.questions.size() + " 题"))
                    .append(" · ").append(esc(Names.topic(question.entry().topic(), lang)))
                    .append(" · <span class=\"clock\" data-suggested=\"").append(SUGGESTED_SECONDS).append("\">0:00</span> ")
                    .append(say(lang, "(about 2 minutes is usual)", "（一般 2 分钟左右）")).append("</p>\n<h2>")
                    .append(followUp ? say(lang, "Follow-up: ", "追问：") + "<span class=\"bank-text\">"
                            + esc(question.followUp().question()) + "</span>"
                            : esc(question.entry().title())).append("</h2>\n")
                    .append("<form class=\"interview-answer\" method=\"post\" action=\"/interview/").append(session.id)
                    .append("/answer\"><textarea name=\"answer\" rows=\"8\" maxlength=\"").append(GradePage.MAX_ANSWER_CHARS)
                    .append("\" aria-label=\"").append(say(lang, "your answer", "你的回答")).append("\"></textarea>")
                    .append("<button type=\"submit\">").append(say(lang, "Answer", "提交回答")).append("</button></form>\n</section>\n")
                    .append(finishForm(session, lang, say(lang, "End the interview here", "到此结束面试")));
        }
        ctx.html(Html.page(lang, say(lang, "Mock interview", "模拟面试"), "interview", body.toString(), "interview.js"));
    }

    /** POST /interview/{id}/answer: grades the answer at once (the follow-up comes next). */
    static void answer(Site site, Context ctx) {
        Session session = session(ctx);
        String answer = ctx.formParam("answer") == null ? "" : ctx.formParam("answer").strip();
        if (answer.length() > GradePage.MAX_ANSWER_CHARS) {
            throw new WebError(413, "the answer is longer than " + GradePage.MAX_ANSWER_CHARS + " characters",
                    "回答超过了 " + GradePage.MAX_ANSWER_CHARS + " 个字符");
        }
        synchronized (session) {
            int[] now = session.now();
            if (now != null && session.summary == null) {
                InterviewSession.Question question = session.questions.get(now[0]);
                Grader grader = site.grader(session.language);
                session.grades.add(now[1] == 0 ? grader.grade(question.entry(), answer)
                        : grader.gradeFollowUp(question.entry(), question.followUp(), answer));
                session.answers.add(answer);
            }
        }
        ctx.redirect("/interview/" + session.id, HttpStatus.SEE_OTHER);
    }

    /**
     * POST /interview/{id}/finish: the answers so far go through {@link InterviewSession#run} as the
     * command's typed input would, which saves the transcript and updates the quiz.
     */
    static void finish(Site site, Context ctx) {
        Session session = session(ctx);
        synchronized (session) {
            if (session.summary == null) {
                if (session.answers.isEmpty()) {
                    ctx.redirect("/interview", HttpStatus.SEE_OTHER);
                    return;
                }
                StringBuilder input = new StringBuilder();
                for (String answer : session.answers) {
                    // A lone "." ends an answer in the command's input: such a line of the answer is dropped.
                    answer.lines().filter(line -> !line.strip().equals(".")).forEach(line -> input.append(line).append('\n'));
                    input.append(".\n");
                }
                boolean zh = session.language.equals("zh");
                String header = zh ? String.format("dlbank 模拟面试（网页）：%d 道题，种子 %d", session.questions.size(), session.seed)
                        : String.format("dlbank mock interview (page): %d questions, seed %d", session.questions.size(), session.seed);
                session.summary = new InterviewSession(session.questions, new BufferedReader(new StringReader(input.toString())),
                        new PrintWriter(new StringWriter()), false)
                        .run(DlbankHome.path().resolve("interviews"), site.quizFile(), header);
            }
        }
        ctx.redirect("/interview/" + session.id, HttpStatus.SEE_OTHER);
    }

    private static String review(Session session, Lang lang) {
        StringBuilder html = new StringBuilder("<h1>").append(say(lang, "Interview review", "面试回顾")).append("</h1>\n")
                .append("<table class=\"metrics review\"><thead><tr><th>#</th><th>").append(say(lang, "question", "题目"))
                .append("</th><th>").append(say(lang, "score", "得分")).append("</th><th>").append(say(lang, "follow-up", "追问得分"))
                .append("</th></tr></thead><tbody>\n");
        List<InterviewSession.Answered> answered = session.summary.answered();
        for (int i = 0; i < answered.size(); i++) {
            InterviewSession.Answered item = answered.get(i);
            html.append("<tr><td class=\"num\">").append(i + 1).append("</td><td><a href=\"/entry/").append(esc(item.entry().id()))
                    .append("\">").append(esc(item.entry().title())).append("</a></td><td class=\"num\">").append(item.grade().score())
                    .append("</td><td class=\"num\">").append(item.followUpGrade() == null ? "–" : item.followUpGrade().score())
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table>\n<h2>").append(say(lang, "To revisit", "需要复习的题")).append("</h2>\n");
        if (session.summary.toBoxOne().isEmpty()) {
            html.append("<p>").append(say(lang, "None scored under " + InterviewSession.BOX_ONE_BELOW + ": nothing goes back to the quiz.",
                    "没有低于 " + InterviewSession.BOX_ONE_BELOW + " 分的题，没有放回练习。")).append("</p>\n");
        } else {
            html.append("<p>").append(say(lang, "Scored under " + InterviewSession.BOX_ONE_BELOW
                    + ": back in box 1 of the quiz, asked in its next session.", "低于 " + InterviewSession.BOX_ONE_BELOW
                    + " 分，已放回练习的第 1 盒，下一轮练习会问到：")).append("</p>\n<ul class=\"revisit\">\n");
            for (String id : session.summary.toBoxOne()) {
                answered.stream().filter(item -> item.entry().id().equals(id)).findFirst().ifPresent(item ->
                        html.append("<li><a href=\"/entry/").append(esc(id)).append("\">").append(esc(item.entry().title()))
                                .append("</a></li>\n"));
            }
            html.append("</ul>\n");
        }
        html.append("<p class=\"files\">").append(say(lang, "Transcript saved: ", "记录已保存：")).append("<code>")
                .append(esc(session.summary.transcript())).append("</code></p>\n<p><a href=\"/interview\">")
                .append(say(lang, "Another interview", "再来一场")).append("</a> · <a href=\"/quiz\">")
                .append(say(lang, "The quiz", "去练习")).append("</a></p>\n");
        return html.toString();
    }

    private static String finishForm(Session session, Lang lang, String label) {
        return "<form class=\"interview-finish\" method=\"post\" action=\"/interview/" + session.id + "/finish\">"
                + "<button type=\"submit\" class=\"finish\">" + label + "</button></form>\n";
    }

    private static Session session(Context ctx) {
        Session session;
        synchronized (SESSIONS) {
            session = SESSIONS.get(ctx.pathParam("id"));
        }
        if (session == null) {
            throw new WebError(404, "this interview is not open (the server keeps them until it stops); start a new one",
                    "这场面试已不存在（服务器停止后不保留）；请重新开始一场");
        }
        return session;
    }
}
