package dlbank.bank;

import java.util.ArrayList;
import java.util.List;

/**
 * One question of the bank in one language: its front matter and its Markdown answer.
 *
 * @param number position in the bank, from 1
 * @param topic an English slug shared by both languages, for {@code quiz --topic}
 * @param experiments ids of the experiments that back the answer
 * @param related ids of entries worth reading next
 */
public record BankEntry(int number, String id, String language, String title, String topic,
                        List<String> experiments, List<String> related, String body) {

    /** 1 for concept questions, 2 for programming tasks. */
    public int part() {
        return id.startsWith("task/") ? 2 : 1;
    }

    /** The text of a level-2 section (without its heading), or "" if there is none. */
    public String section(String heading) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        boolean inCode = false;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode && line.startsWith("## ")) {
                inside = line.substring(3).strip().equalsIgnoreCase(heading);
                continue;
            }
            if (inside) {
                lines.add(line);
            }
        }
        return String.join("\n", lines).strip();
    }

    /** The one-minute answer: the first section ("Short answer" / "简答"). */
    public String shortAnswer() {
        return section(language.equals("zh") ? "简答" : "Short answer");
    }
}
