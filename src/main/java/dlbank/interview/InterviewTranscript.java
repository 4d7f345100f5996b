package dlbank.interview;

import dlbank.report.AtomicFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The interview's summary tables and its Markdown transcript, {@code interviews/<yyyyMMdd-HHmmss>.md}. */
final class InterviewTranscript {

    private InterviewTranscript() {}

    /** Per question (score and follow-up score) and per topic (mean score), as plain text. */
    static String summary(List<InterviewSession.Answered> answered, boolean zh) {
        StringBuilder text = new StringBuilder(zh ? "总结\n" : "Summary\n");
        text.append("  #   ").append(pad(zh ? "题目" : "question", 33)).append(pad(zh ? "主题" : "topic", 23))
                .append(zh ? "  得分   追问得分" : " score  follow-up").append('\n');
        for (int i = 0; i < answered.size(); i++) {
            InterviewSession.Answered item = answered.get(i);
            text.append(String.format("  %-3d %-32s %-22s %6d %10s%n", i + 1, item.entry().id(), item.entry().topic(),
                    item.grade().score(), item.followUpGrade() == null ? "-" : Integer.toString(item.followUpGrade().score())));
        }
        Map<String, int[]> topics = new LinkedHashMap<>(); // topic -> {sum of scores, questions}
        for (InterviewSession.Answered item : answered) {
            int[] sum = topics.computeIfAbsent(item.entry().topic(), topic -> new int[2]);
            sum[0] += item.grade().score();
            sum[1]++;
        }
        text.append(zh ? "按主题\n" : "By topic\n");
        topics.forEach((topic, sum) -> text.append(String.format("  %-22s %s %3d%n", topic,
                zh ? sum[1] + " 题，平均" : sum[1] + (sum[1] == 1 ? " question, mean" : " questions, mean"),
                Math.round((float) sum[0] / sum[1]))));
        double mean = answered.stream().mapToInt(item -> item.grade().score()).average().orElse(0);
        text.append(String.format(zh ? "总平均 %d/100%n" : "Overall mean %d/100%n", Math.round(mean)));
        return text.toString();
    }

    /** The text padded with spaces to a display width (a Chinese character is two columns wide). */
    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - dlbank.bank.TextWidth.of(text)));
    }

    /** Writes the transcript atomically and returns its path. */
    static Path save(Path interviews, String header, List<InterviewSession.Answered> answered) {
        boolean zh = answered.get(0).entry().language().equals("zh");
        StringBuilder md = new StringBuilder("# ").append(header).append("\n");
        for (int i = 0; i < answered.size(); i++) {
            InterviewSession.Answered item = answered.get(i);
            md.append("\n## ").append(i + 1).append(". ").append(item.entry().title()).append("\n\n`")
                    .append(item.entry().id()).append("` · ").append(item.entry().topic()).append("\n\n");
            answer(md, item.answer(), item.grade(), zh);
            if (item.followUp() != null) {
                md.append("\n### ").append(zh ? "追问：" : "Follow-up: ").append(item.followUp().question()).append("\n\n");
                answer(md, item.followUpAnswer(), item.followUpGrade(), zh);
            }
        }
        md.append("\n## ").append(zh ? "总结" : "Summary").append("\n\n```text\n").append(summary(answered, zh)).append("```\n");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path file = interviews.resolve(stamp + ".md");
        for (int attempt = 2; Files.exists(file); attempt++) {
            file = interviews.resolve(stamp + "-" + attempt + ".md"); // two interviews in one second
        }
        AtomicFiles.writeString(file, md.toString());
        return file;
    }

    private static void answer(StringBuilder md, String answer, GradeResult grade, boolean zh) {
        md.append(answer.isBlank() ? (zh ? "> （没有回答）\n" : "> (no answer)\n")
                : "> " + answer.strip().replace("\n", "\n> ") + "\n");
        md.append("\n```text\n").append(GradeReport.text(grade, List.of())).append("```\n");
    }
}
