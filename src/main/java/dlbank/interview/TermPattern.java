package dlbank.interview;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A term of a key point or red flag, analysed like the answers it is looked for in. Parts joined
 * by {@code " & "} must all occur in one sentence, in any order ("f1 & weighted average"); each
 * part is a phrase whose words occur in order with at most {@link #MAX_GAP} other words between
 * neighbours (at most {@link #MAX_CONTENT_GAP} of them content words), so "harmonic mean of
 * precision" also matches "harmonic mean of the precision" but "tuned" and "test set" in
 * "tuned: a held-out test set" stay apart.
 *
 * @param source the term as written in the points file
 * @param parts each part's analysed words
 */
record TermPattern(String source, List<List<String>> parts) {

    /** Other words allowed between two words of a phrase: "of the", "is a", a comma ... */
    static final int MAX_GAP = 3;
    /** ... of which at most this many content words: "weighted (arithmetic) average", not a new clause. */
    static final int MAX_CONTENT_GAP = 1;
    /**
     * A negation this many words before a match, in the same clause, or inside the match, makes the
     * match a denial ("No, F1 is a weighted average" still states it; "平移不变性，池化减少参数" too,
     * where the segmenter left the "不" of "不变性" on its own).
     */
    static final int NEGATION_WINDOW = 3;
    private static final java.util.regex.Pattern CLAUSE_BREAK = java.util.regex.Pattern.compile("[,，:：、(（]");

    /** Where a term was found: the sentence and the first and last matched token. */
    record Match(TextAnalysis.Sentence sentence, int from, int to, List<Integer> matched) {
        /** The answer's own words that matched, as typed. */
        String words() {
            // Whole words: a Chinese match may begin or end inside a segmented word ("参数" in "参数量").
            List<TextAnalysis.Token> tokens = sentence.tokens();
            int start = tokens.stream().filter(token -> token.wordIndex() == tokens.get(from).wordIndex())
                    .mapToInt(TextAnalysis.Token::start).min().orElseThrow();
            int end = tokens.stream().filter(token -> token.wordIndex() == tokens.get(to).wordIndex())
                    .mapToInt(TextAnalysis.Token::end).max().orElseThrow();
            return sentence.text().substring(start, end).strip();
        }
    }

    static TermPattern compile(String term, TextAnalysis analysis) {
        List<List<String>> parts = new ArrayList<>();
        for (String part : term.split("\\s+&\\s+")) {
            List<String> words = analysis.words(part);
            if (words.isEmpty()) {
                throw new IllegalStateException("term '" + term + "' has no content word in '" + part + "'");
            }
            parts.add(words);
        }
        return new TermPattern(term, parts);
    }

    /** The first match in the sentence, or none. */
    Optional<Match> find(TextAnalysis.Sentence sentence, TextAnalysis analysis) {
        return find(sentence, analysis, false);
    }

    /**
     * The first match that is stated, not denied: no negation nearby ("F1 is not a weighted
     * average"), not inside quotation marks (a quoted phrase is mentioned, not claimed), and not in
     * a sentence that calls something wrong ("... speaks of two output layers: wrong").
     */
    Optional<Match> findAsserted(TextAnalysis.Sentence sentence, TextAnalysis analysis) {
        return find(sentence, analysis, true);
    }

    private Optional<Match> find(TextAnalysis.Sentence sentence, TextAnalysis analysis, boolean asserted) {
        List<TextAnalysis.Token> tokens = sentence.tokens();
        // Each part's first occurrence; a part that does not occur means no match.
        List<Integer> matched = new ArrayList<>();
        for (List<String> part : parts) {
            List<Integer> found = phrase(tokens, part, analysis);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            matched.addAll(found);
        }
        int from = matched.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int to = matched.stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (asserted) {
            if (quoted(sentence.text(), tokens.get(from).start())
                    || java.util.stream.IntStream.range(0, tokens.size()).anyMatch(i -> analysis.isDenial(tokens.get(i).word())
                            && !namesAThing(sentence.text(), tokens.get(i).end()))) {
                return Optional.empty();
            }
            for (int i = Math.max(0, from - NEGATION_WINDOW); i <= to; i++) {
                // Tokens may overlap (a token before the match can end inside it): nothing between them, same clause.
                boolean sameClause = i >= from || tokens.get(i).end() >= tokens.get(from).start() || !CLAUSE_BREAK.matcher(
                        sentence.text().substring(tokens.get(i).end(), tokens.get(from).start())).find();
                if (!matched.contains(i) && sameClause && analysis.isNegation(tokens.get(i).word())) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Match(sentence, from, to, matched));
    }

    /** "a wrong answer", "错误答案", "wrong class": the word describes a thing, it does not call a claim wrong. */
    private static final java.util.regex.Pattern DESCRIBED = java.util.regex.Pattern.compile(
            "(?:wrong|incorrect|错误|错)\\s*(?:的)?\\s*(?:answers?|predictions?|class(?:es)?|labels?|outputs?|答案|预测|类别|标签|输出)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Whether the denial word that ends at {@code end} (a Chinese word's tokens may be single characters) describes a thing. */
    private static boolean namesAThing(String text, int end) {
        return DESCRIBED.matcher(text).region(Math.max(0, Math.min(end, text.length()) - 10), Math.min(text.length(), end + 12)).find();
    }

    /** Whether the text at {@code offset} lies inside "..." or “...”. */
    private static boolean quoted(String text, int offset) {
        String before = text.substring(0, offset);
        return before.chars().filter(c -> c == '"').count() % 2 == 1 || before.lastIndexOf('“') > before.lastIndexOf('”');
    }

    /** Token indices of the phrase's first occurrence, or an empty list. */
    private static List<Integer> phrase(List<TextAnalysis.Token> tokens, List<String> words, TextAnalysis analysis) {
        for (int start = 0; start < tokens.size(); start++) {
            if (!same(tokens.get(start), words.get(0), analysis)) {
                continue;
            }
            List<Integer> indices = new ArrayList<>(List.of(start));
            int previous = start;
            for (int w = 1; w < words.size() && previous >= 0; w++) {
                int next = -1;
                java.util.Set<Integer> contentWords = new java.util.HashSet<>(); // word indices, not characters
                for (int i = previous + 1; i < tokens.size() && contentWords.size() <= MAX_CONTENT_GAP
                        && tokens.get(i).position() - tokens.get(previous).position() <= MAX_GAP + 1; i++) {
                    TextAnalysis.Token token = tokens.get(i);
                    if (same(token, words.get(w), analysis)) {
                        next = i;
                        break;
                    }
                    if (token.wordIndex() != tokens.get(previous).wordIndex() && !analysis.isFunctionWord(token.word())) {
                        contentWords.add(token.wordIndex());
                    }
                }
                previous = next;
                if (next >= 0) {
                    indices.add(next);
                }
            }
            if (indices.size() == words.size()) {
                return indices;
            }
        }
        return List.of();
    }

    /** Equal words; any two negations count as the same word ("not" and "isn't", "不" and "并非"). */
    private static boolean same(TextAnalysis.Token token, String unit, TextAnalysis analysis) {
        return token.term().equals(unit) || (analysis.isNegation(token.word()) && analysis.isNegation(unit));
    }
}
