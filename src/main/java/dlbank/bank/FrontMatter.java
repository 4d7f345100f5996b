package dlbank.bank;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the small front matter of a bank file: {@code key: value} lines between two {@code ---}
 * lines, lists written as {@code [a, b]}. Fails loudly on a malformed file: the bank ships inside
 * the program, so an error here is ours, and the tests catch it.
 */
final class FrontMatter {

    private FrontMatter() {}

    static BankEntry parse(int number, String id, String language, String path, String text) {
        String normalised = text.replace("\r\n", "\n");
        if (!normalised.startsWith("---\n")) {
            throw new IllegalStateException(path + ": no front matter");
        }
        int end = normalised.indexOf("\n---\n", 4);
        if (end < 0) {
            throw new IllegalStateException(path + ": front matter is not closed");
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : normalised.substring(4, end).split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException(path + ": front matter line without a key: " + line);
            }
            fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        for (String key : List.of("id", "title", "topic", "experiments", "related")) {
            if (!fields.containsKey(key)) {
                throw new IllegalStateException(path + ": front matter lacks '" + key + "'");
            }
        }
        if (!fields.get("id").equals(id)) {
            throw new IllegalStateException(path + ": front matter id is " + fields.get("id"));
        }
        return new BankEntry(number, id, language, fields.get("title"), fields.get("topic"),
                list(fields.get("experiments")), list(fields.get("related")),
                normalised.substring(end + 5).strip());
    }

    private static List<String> list(String value) {
        String inner = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        return Arrays.stream(inner.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }
}
