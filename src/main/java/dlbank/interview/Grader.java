package dlbank.interview;

import dlbank.bank.BankEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grades a typed answer against an entry's key points and red flags, in the entry's language.
 * A point is covered when one of its terms occurs in the analysed answer; the score is the covered
 * share of the points' weight, less {@link #RED_FLAG_PENALTY} for each red flag raised. Returns
 * data only: the commands (and later the web page) decide how to show it.
 */
public final class Grader {

    /** Points taken off for each wrong statement: an interviewer notices a confident error. */
    public static final int RED_FLAG_PENALTY = 10;

    private final TextAnalysis analysis;

    public Grader(String language) {
        this.analysis = TextAnalysis.forLanguage(language);
    }

    /** An answer to the entry's question, against its key points; missed points quote the entry. */
    public GradeResult grade(BankEntry entry, String answer) {
        KeyPoints keyPoints = KeyPoints.of(entry);
        String inDepth = entry.section(entry.language().equals("zh") ? "深入" : "In depth");
        return grade(entry, keyPoints.points(), keyPoints.redFlags(), answer, List.of(entry.shortAnswer(), inDepth));
    }

    /** An answer to one of the entry's follow-ups, against the follow-up's points and the entry's red flags. */
    public GradeResult gradeFollowUp(BankEntry entry, FollowUp followUp, String answer) {
        return grade(entry, followUp.points(), KeyPoints.of(entry).redFlags(), answer, List.of(followUp.answer()));
    }

    private GradeResult grade(BankEntry entry, List<KeyPoint> points, List<RedFlag> redFlags, String answer,
                              List<String> modelTexts) {
        List<TextAnalysis.Sentence> sentences = analysis.sentences(answer);
        // Red flags first: the words of a wrong statement do not also count for the point it gets wrong.
        List<GradeResult.RaisedFlag> raised = new ArrayList<>();
        List<TermPattern.Match> wrong = new ArrayList<>();
        for (RedFlag flag : redFlags) {
            first(flag.terms(), sentences, true, List.of()).ifPresent(match -> {
                raised.add(new GradeResult.RaisedFlag(flag.wrong(), flag.correction(), match.words()));
                wrong.add(match);
            });
        }
        List<GradeResult.Covered> covered = new ArrayList<>();
        List<GradeResult.Missed> missed = new ArrayList<>();
        double total = 0;
        double made = 0;
        for (KeyPoint point : points) {
            total += point.weight();
            Optional<TermPattern.Match> match = first(point.terms(), sentences, false, wrong);
            if (match.isPresent()) {
                made += point.weight();
                covered.add(new GradeResult.Covered(point.label(), point.weight(), match.get().words()));
            } else {
                missed.add(new GradeResult.Missed(point.label(), point.weight(), modelSentence(point, modelTexts)));
            }
        }
        int score = (int) Math.round(100 * made / total) - RED_FLAG_PENALTY * raised.size();
        return new GradeResult(entry.id(), entry.language(), Math.max(0, score), covered, missed, raised);
    }

    /**
     * The first sentence where one of the terms occurs (asserted: not denied by a negation), leaving
     * out matches that overlap one of {@code excluded}.
     */
    private Optional<TermPattern.Match> first(List<String> terms, List<TextAnalysis.Sentence> sentences, boolean asserted,
                                              List<TermPattern.Match> excluded) {
        List<TermPattern> patterns = terms.stream().map(term -> TermPattern.compile(term, analysis)).toList();
        for (TextAnalysis.Sentence sentence : sentences) { // the earliest sentence, then the first term in it
            for (TermPattern pattern : patterns) {
                Optional<TermPattern.Match> match = asserted ? pattern.findAsserted(sentence, analysis)
                        : pattern.find(sentence, analysis);
                if (match.isPresent() && excluded.stream().noneMatch(other -> overlap(match.get(), other))) {
                    return match;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean overlap(TermPattern.Match a, TermPattern.Match b) {
        return a.sentence() == b.sentence() && a.from() <= b.to() && b.from() <= a.to();
    }

    /**
     * The entry's own sentence that makes the point (short answer first), or the point's label. The
     * match is found in a clause; the whole sentence around it, up to . ! ? or 。！？, is shown.
     */
    private String modelSentence(KeyPoint point, List<String> modelTexts) {
        for (String text : modelTexts) {
            String plain = plain(text);
            Optional<TermPattern.Match> match = first(point.terms(), analysis.sentences(plain), false, List.of());
            if (match.isPresent()) {
                String clause = match.get().sentence().text();
                int at = plain.indexOf(clause);
                int start = at;
                while (start > 0 && !FULL_STOP.matcher(plain.substring(start - 1, start + 1)).matches()) {
                    start--;
                }
                int end = at + clause.length();
                while (end < plain.length() && !FULL_STOP.matcher(plain.substring(end - 1, end + 1)).matches()) {
                    end++;
                }
                return plain.substring(start, end).strip();
            }
        }
        return point.label();
    }

    /** Two characters that end a sentence between them: ". " (not "e.g. ") or "。" or a line end. */
    private static final java.util.regex.Pattern FULL_STOP = java.util.regex.Pattern.compile("[.!?]\\s|[。！？\\n].|.\\n");

    /** Markdown reduced to its sentences' text: no code blocks, emphasis, list markers or headings. */
    static String plain(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "\n")
                .replaceAll("(?m)^\\s*(?:[-*]|\\d+\\.|#+)\\s+", "")
                .replace("**", "").replace("`", "")
                .replaceAll("(?<![\\w*])\\*(\\S[^*]*?)\\*(?![\\w*])", "$1");
    }
}
