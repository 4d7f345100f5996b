package dlbank.interview;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dlbank.bank.BankEntry;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an entry's answer is graded against, in one language: its key points (each with a statement
 * that asserts it, contrary statements and plain-word paraphrases), the red flags (wrong statements
 * that circulate) and the follow-ups the interview may ask. Read from
 * {@code bank/<id>.<lang>.points.yaml} beside the entry. Like the bank, the files ship inside the
 * program, so a malformed one is our bug: it fails loudly and the tests catch it.
 *
 * @param entryId the bank entry, e.g. {@code concept/evaluation}
 * @param language "en" or "zh"
 */
public record KeyPoints(String entryId, String language, List<KeyPoint> points, List<RedFlag> redFlags,
                        List<FollowUp> followUps) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, KeyPoints> CACHE = new ConcurrentHashMap<>();

    /** The file's shape; the follow-ups' answers come from the entry itself. */
    private record File(List<Point> points, @JsonProperty("red_flags") List<RedFlag> redFlags,
                        @JsonProperty("follow_ups") List<FileFollowUp> followUps) {}

    /** A point as written; {@code statement}, {@code contrary} and {@code paraphrases} are for the grader's sentence matching. */
    private record Point(String label, Double weight, List<String> terms, String statement, List<String> contrary,
                         List<String> paraphrases) {
        KeyPoint toKeyPoint() {
            return new KeyPoint(label, weight == null ? 1 : weight, terms, statement, contrary, paraphrases);
        }
    }

    private record FileFollowUp(String question, List<Point> points) {}

    /** The points of a bank entry in the entry's language. */
    public static KeyPoints of(BankEntry entry) {
        return CACHE.computeIfAbsent(entry.id() + "." + entry.language(), key -> read(entry));
    }

    /** The resource that holds an entry's points. */
    public static String path(String entryId, String language) {
        return "bank/" + entryId + "." + language + ".points.yaml";
    }

    private static KeyPoints read(BankEntry entry) {
        String path = path(entry.id(), entry.language());
        File file;
        try (InputStream in = KeyPoints.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the bank");
            }
            file = YAML.readValue(in, File.class);
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
        if (file.points() == null || file.points().size() < 4 || file.points().size() > 8) {
            throw new IllegalStateException(path + ": expected 4 to 8 key points");
        }
        for (Point point : file.points()) {
            // The grader reads meaning from these: a key point without them could only be matched by words.
            if (point.statement() == null || point.statement().isBlank() || point.contrary() == null || point.contrary().isEmpty()) {
                throw new IllegalStateException(path + ": key point '" + point.label() + "' needs a statement and a contrary");
            }
        }
        Map<String, String> answers = followUpAnswers(entry);
        List<FollowUp> followUps = new ArrayList<>();
        for (FileFollowUp followUp : file.followUps() == null ? List.<FileFollowUp>of() : file.followUps()) {
            String answer = answers.get(normalise(followUp.question()));
            if (answer == null) {
                throw new IllegalStateException(path + ": the entry has no follow-up '" + followUp.question() + "'");
            }
            followUps.add(new FollowUp(followUp.question(), answer,
                    followUp.points().stream().map(Point::toKeyPoint).toList()));
        }
        return new KeyPoints(entry.id(), entry.language(), file.points().stream().map(Point::toKeyPoint).toList(),
                file.redFlags() == null ? List.of() : file.redFlags(), followUps);
    }

    /** The entry's follow-up questions ("- **Question?** Answer." or "1. **...**") and their answers. */
    static Map<String, String> followUpAnswers(BankEntry entry) {
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        String section = entry.section(entry.language().equals("zh") ? "追问" : "Follow-up questions");
        for (String line : section.split("\n")) {
            java.util.regex.Matcher item = java.util.regex.Pattern.compile("^(?:-|\\d+\\.)\\s+\\*\\*(.+?)\\*\\*\\s*(.*)$")
                    .matcher(line.strip());
            if (item.matches()) {
                answers.put(normalise(item.group(1)), item.group(2));
            }
        }
        return answers;
    }

    private static String normalise(String question) {
        return question.strip().replaceAll("\\s+", " ");
    }
}
