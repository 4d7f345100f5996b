package dlbank.interview;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an answer asserts: its sentences cut into segments at commas, colons, semicolons and the
 * Chinese enumeration comma, and the stretches of text (units) that the grader compares with the key
 * points. A segment asserts something only when it has a verb and is not an item of a list: "L1, L2,
 * dropout, early stopping" and "卷积、权值共享、池化" assert nothing, "dropout switches units off" does.
 * A unit is a whole sentence, one asserting segment, or an asserting segment with its neighbour; each
 * carries its polarity (whether a negation occurs in it outside a condition: "does not share weights"
 * is negated, "without an activation, layers collapse" is not) and whether its sentence calls
 * something a mistake ("a common myth is ...", "很多人搞混").
 */
final class Clauses {

    /**
     * A stretch of one sentence that asserts something.
     *
     * @param sentence the sentence's index in the analysed answer
     * @param start where it starts in the sentence's text
     * @param end where it ends
     * @param polarity whether its clauses hold a negation ("does not share weights"), conditions left out
     * @param reported its sentence calls a statement wrong or says that people confuse it
     * @param relative a later segment of its sentence that begins with a relative pronoun, a pronoun or a
     *     conjunction ("which is ...", "so it needs ..."): its subject is in another clause
     * @param names the acronyms and symbols in it (AND, XOR, L1, LSTM ...), upper case, plural "s" removed
     */
    record Unit(int sentence, String text, int start, int end, Polarity polarity, boolean reported, boolean relative,
                Set<String> names) {}

    /** Whether a text's clauses are negated: all of them, none, or some (then its stance is unclear). */
    enum Polarity { POSITIVE, NEGATED, MIXED }

    /** Where a sentence is cut into segments. */
    private static final Pattern SEGMENT_BREAK = Pattern.compile(
            "[,，、:：;；]|\\s[–—-]\\s|\\s+(?=(?:but|while|whereas|rather\\s+than|instead\\s+of)\\s)|(?=而不是|而非)");
    private static final Pattern LATIN_WORD = Pattern.compile("[A-Za-z][A-Za-z'’-]*");
    /** Items of a list are this short: in English words, in Chinese characters (a Latin word counts as two). */
    private static final int SHORT_EN = 3;
    private static final int SHORT_ZH = 5;
    /** ... or this short in Chinese when a 、 enumerates them. */
    private static final int ENUMERATED_ZH = 8;
    /** "The higher the accuracy, the better the features": a clause without a verb. */
    private static final Pattern EN_CORRELATIVE = Pattern.compile(
            "^\\s*the\\s+(?:more|less|fewer|\\w+er)\\b.*,\\s*the\\s+(?:more|less|fewer|\\w+er)\\b", Pattern.CASE_INSENSITIVE);

    private static final Set<String> EN_AUXILIARIES = Set.of("is", "are", "was", "were", "be", "been", "am", "has", "have",
            "had", "does", "do", "did", "can", "could", "will", "would", "shall", "should", "may", "might", "must",
            "cannot", "it's", "that's", "there's", "what's", "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't",
            "doesn't", "don't", "didn't", "won't", "wouldn't", "shouldn't", "couldn't", "can't", "let's", "they're",
            "we're", "you're", "it’s", "needs", "need");
    /** Words before which a verb's base form is a verb ("we use", "to share", "can learn", "layers share"). */
    private static final Set<String> EN_SUBJECTS = Set.of("i", "we", "you", "they", "to", "can", "could", "will", "would",
            "should", "may", "might", "must", "does", "do", "did", "don't", "doesn't", "didn't", "cannot", "can't",
            "also", "alone", "just", "then", "often", "usually", "always", "never", "simply", "only", "first", "both", "all",
            "and", "which", "that", "who", "won't", "still", "actually", "typically", "generally", "really");
    /** Plurals that are almost always nouns in answers, so their "-s" does not make a verb. */
    private static final Set<String> EN_PLURAL_NOUNS = Set.of("weights", "filters", "maps", "layers", "features",
            "values", "outputs", "inputs", "samples", "examples", "models", "labels", "images", "kernels", "units",
            "parameters", "gates", "states", "points", "steps", "sets", "tests", "results", "scores", "words", "pools",
            "matches", "counts", "sums", "patches", "edges", "parts", "texts", "costs", "tasks", "heads", "epochs",
            "rates", "ids", "runs", "tokens", "attacks", "rewards", "actions", "returns", "updates");
    /**
     * "Without" is left out: "without an activation, layers collapse" negates nothing. "Rarely" and its
     * kin deny the plain claim: "the learning rate is rarely constant" does not say it is constant.
     */
    private static final Set<String> EN_NEGATIONS = Set.of("not", "no", "never", "cannot", "neither", "nor", "none",
            "nothing", "nobody", "nowhere", "rarely", "seldom", "hardly", "scarcely", "barely");
    /** "... on unseen data rather than on the training set": the contrasted part is denied. */
    private static final Pattern EN_CONTRAST = Pattern.compile("\\b(?:rather\\s+than|instead\\s+of)\\b", Pattern.CASE_INSENSITIVE);
    /** "Not only X but also Y" asserts both; "not only for images" alone denies the "only". */
    private static final Pattern EN_NOT_ONLY_BUT = Pattern.compile("\\bnot\\s+(?:only|just|merely)\\b(?=.*\\bbut\\b)|\\bno\\s+matter\\b",
            Pattern.CASE_INSENSITIVE);
    /** Segments that begin so are conditions: their negation ("if there is no activation") denies nothing. */
    private static final Set<String> EN_CONDITIONS = Set.of("if", "when", "whenever", "unless", "once", "without");
    /** A later segment that begins so takes its subject from an earlier one ("..., so it needs ..."). */
    private static final Set<String> EN_RELATIVES = Set.of("which", "that", "who", "whose", "where", "whereas", "it", "its",
            "they", "their", "this", "these", "those", "so", "and", "but", "while", "thus", "hence");
    private static final Pattern ZH_RELATIVE = Pattern.compile("^(?:所以|因此|因而|于是|从而|并且|而且|而|但|它|它们|这|其|就)");
    private static final Set<String> ZH_CONDITIONS = Set.of("如果", "要是", "假如", "若", "只要", "一旦", "倘若");
    private static final Pattern ZH_CONDITION_END = Pattern.compile("的话|时候|时|情况下");
    /** Words that begin with 不, 没 or 未 and negate nothing. */
    private static final Set<String> ZH_NOT_NEGATIONS = Set.of("不论", "无论", "不同", "不断", "不变", "不变性", "平移不变性",
            "非线性", "非饱和", "不过", "不少", "不错", "不久", "不然", "不管", "没错", "未来", "未知", "未知词", "不但");
    private static final Pattern ZH_CLAUSE_WORDS = Pattern.compile("[了就会能要把被让使给用按对向从都也很更比还才已着过]");
    private static final Set<String> ZH_NOT_ONLY = Set.of("不仅", "不只", "不止", "不光", "不仅仅");
    private static final Pattern ZH_ALSO = Pattern.compile("而且|并且|还|也|更|同样");
    /** Words smartcn keeps whole around a 不 or 没: 绝不能, 决不, 从不, 从未, 并不, 永不. */
    private static final Pattern ZH_NEGATION_PREFIX = Pattern.compile("绝不|决不|从不|从没|从未|并不|并没|永不|毫不");
    private static final Set<String> ZH_EXTRA_NEGATIONS = Set.of("没", "无需", "毫无", "不会", "不用", "不需要", "无关", "不够",
            "避免", "防止"); // "避免 softmax 饱和": the saturation does not happen
    private static final Pattern NAME = Pattern.compile(
            "(?<![A-Za-z0-9])(?:[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9]*|[A-Za-z]+[0-9][A-Za-z0-9]*)(?![A-Za-z0-9])");
    /** Words that make a sentence report a mistake or a debate rather than make a claim. */
    private static final Pattern EN_REPORTED = Pattern.compile("\\b(?:wrong|wrongly|incorrect|mistake|mistaken|mistakes|myth|"
            + "misconception|fallacy|confuse|confused|confuses|confusing|mix(?:es|ed)? (?:it |them )?up|not true|false|"
            + "debated|disputed|unclear|unsettled|open question)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ZH_REPORTED = Pattern.compile("错误|错的|不对|误区|误解|谬误|误以为|以为|搞混|混淆|弄混|搞错|争议|争论|尚无定论|没有定论|还不清楚");

    private static final Map<String, Clauses> CACHE = new ConcurrentHashMap<>();

    private final boolean zh;
    private final TextAnalysis analysis;
    private final Set<String> verbs;

    private Clauses(String language) {
        this.zh = language.equals("zh");
        this.analysis = TextAnalysis.forLanguage(language);
        this.verbs = zh ? readWords("bank/verbs.zh.txt") : englishVerbForms(readWords("bank/verbs.en.txt"));
    }

    static Clauses forLanguage(String language) {
        return CACHE.computeIfAbsent(language, Clauses::new);
    }

    /** The asserting stretches of a text (a key point's statement, say), without the whole text itself. */
    List<Unit> parts(String text) {
        return units(analysis.sentences(text)).stream().filter(unit -> !unit.text().equals(text.strip())).toList();
    }

    /** The units of the analysed answer, sentence by sentence, without repeats. */
    List<Unit> units(List<TextAnalysis.Sentence> sentences) {
        Map<String, Unit> units = new LinkedHashMap<>();
        for (int s = 0; s < sentences.size(); s++) {
            TextAnalysis.Sentence sentence = sentences.get(s);
            String text = sentence.text();
            boolean reported = (zh ? ZH_REPORTED : EN_REPORTED).matcher(text).find();
            List<int[]> segments = segments(text);
            boolean[] condition = new boolean[segments.size()];
            for (int i = 0; i < segments.size(); i++) {
                condition[i] = isCondition(sentence, segments.get(i)[0], segments.get(i)[1], i + 1 == segments.size());
            }
            boolean[] asserting = new boolean[segments.size()];
            boolean[] listItem = listItems(text, segments);
            boolean any = false;
            boolean correlative = !zh && EN_CORRELATIVE.matcher(text).find();
            for (int i = 0; i < segments.size(); i++) {
                asserting[i] = !listItem[i] && (correlative || hasVerb(sentence, segments.get(i)[0], segments.get(i)[1]));
                any |= asserting[i];
            }
            if (!any) {
                continue; // a list or a line without a verb asserts nothing
            }
            add(units, sentence, s, segments, condition, 0, segments.size(), reported);
            for (int i = 0; i < segments.size(); i++) {
                if (asserting[i]) {
                    add(units, sentence, s, segments, condition, i, i + 1, reported);
                }
                if (i + 1 < segments.size() && (asserting[i] || asserting[i + 1]) && !listItem[i] && !listItem[i + 1]) {
                    add(units, sentence, s, segments, condition, i, i + 2, reported);
                }
            }
        }
        return List.copyOf(units.values());
    }

    /** The polarity of a text's clauses, conditions left out (a key point's statement, say). */
    Polarity polarity(String text) {
        int negated = 0;
        int positive = 0;
        for (TextAnalysis.Sentence sentence : analysis.sentences(text)) {
            List<int[]> segments = segments(sentence.text());
            for (int i = 0; i < segments.size(); i++) {
                if (isCondition(sentence, segments.get(i)[0], segments.get(i)[1], i + 1 == segments.size())) {
                    continue;
                }
                if (negations(sentence, segments.get(i)[0], segments.get(i)[1], sentence.text()) > 0) {
                    negated++;
                } else if (hasVerb(sentence, segments.get(i)[0], segments.get(i)[1])) {
                    positive++;
                }
            }
        }
        return negated == 0 ? Polarity.POSITIVE : positive == 0 ? Polarity.NEGATED : Polarity.MIXED;
    }

    private static final Pattern UPWARD = Pattern.compile("更大|较大|更高|较高|更强|较强|\\b(?:larger|higher|bigger|greater|stronger)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DOWNWARD = Pattern.compile("更小|较小|更低|较低|更弱|较弱|\\b(?:smaller|lower|weaker|weak)\\b",
            Pattern.CASE_INSENSITIVE);

    /**
     * 1 when the text compares upward only ("a larger learning rate", "更大的学习率"), -1 downward only
     * ("较小的学习率"), 0 otherwise: two sentences that compare the same thing in opposite directions
     * contradict each other, which the encoders hardly see.
     */
    static int direction(String text) {
        boolean up = UPWARD.matcher(text).find();
        boolean down = DOWNWARD.matcher(text).find();
        return up == down ? 0 : up ? 1 : -1;
    }

    /** The acronyms and symbols of a text: "AND", "XOR", "L1", "LSTM" (a plural "s" removed). */
    static Set<String> names(String text) {
        Set<String> names = new HashSet<>();
        Matcher matcher = NAME.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group().replaceAll("(?<=[A-Z0-9])s$", "").toUpperCase(Locale.ROOT));
        }
        return names;
    }

    /** Segments [first, last) of the sentence as one unit; negated when one of its non-condition segments is. */
    private void add(Map<String, Unit> units, TextAnalysis.Sentence sentence, int index, List<int[]> segments,
                     boolean[] condition, int first, int last, boolean reported) {
        int start = segments.get(first)[0];
        int end = segments.get(last - 1)[1];
        String text = sentence.text().substring(start, end).strip();
        if (text.isEmpty() || units.containsKey(text)) {
            return;
        }
        int from = start + sentence.text().substring(start, end).indexOf(text);
        int negated = 0;
        int positive = 0;
        for (int i = first; i < last; i++) {
            if (condition[i]) {
                continue;
            }
            if (negations(sentence, segments.get(i)[0], segments.get(i)[1], text) > 0) {
                negated++;
            } else if (hasVerb(sentence, segments.get(i)[0], segments.get(i)[1])) {
                positive++; // a verbless list item beside a negated clause does not make it mixed
            }
        }
        if (negated == 0 && positive == 0) {
            // Only a condition's words, taken on their own ("不需要损失缩放" cut from "..., 不需要损失缩放，代价是 ..."):
            // they are a clause now, and their negation counts.
            for (int i = first; i < last; i++) {
                negated += negations(sentence, segments.get(i)[0], segments.get(i)[1], text) > 0 ? 1 : 0;
            }
        }
        Polarity polarity = negated == 0 ? Polarity.POSITIVE : positive == 0 ? Polarity.NEGATED : Polarity.MIXED;
        String firstWord = text.split("[\\s,，]+", 2)[0].toLowerCase(Locale.ROOT);
        units.put(text, new Unit(index, text, from, from + text.length(), polarity, reported,
                first > 0 && (zh ? ZH_RELATIVE.matcher(text).find() : EN_RELATIVES.contains(firstWord)), names(text)));
    }

    /** "If there is no ...", "without it", "如果没有", "没有激活函数的话": a condition, not a claim. */
    private boolean isCondition(TextAnalysis.Sentence sentence, int start, int end, boolean last) {
        String text = sentence.text().substring(start, end).strip();
        if (!zh) {
            String first = text.split("[\\s,]+", 2)[0].toLowerCase(Locale.ROOT);
            return EN_CONDITIONS.contains(first) && !last;
        }
        List<TextAnalysis.Token> tokens = sentence.tokens().stream().filter(t -> t.start() >= start && t.end() <= end).toList();
        if (tokens.isEmpty()) {
            return false;
        }
        String first = tokens.get(0).word();
        boolean negationFirst = isZhNegation(first) && !ZH_NOT_ONLY.contains(first);
        return ZH_CONDITIONS.contains(first) || (negationFirst && (!last || ZH_CONDITION_END.matcher(text).find()));
    }

    /**
     * [start, end) of each segment between breaks, blank ones left out; no break inside brackets
     * ("fit(x_train, y_train)") or between digits ("50,000").
     */
    private static List<int[]> segments(String text) {
        List<int[]> segments = new ArrayList<>();
        Matcher breaks = SEGMENT_BREAK.matcher(text);
        int start = 0;
        while (breaks.find()) {
            int at = breaks.start();
            boolean inNumber = at > 0 && at + 1 < text.length() && Character.isDigit(text.charAt(at - 1))
                    && Character.isDigit(text.charAt(at + 1));
            if (inNumber || bracketDepth(text, at) > 0) {
                continue;
            }
            addSegment(segments, text, start, at);
            start = breaks.end();
        }
        addSegment(segments, text, start, text.length());
        return segments;
    }

    private static int bracketDepth(String text, int at) {
        int depth = 0;
        for (int i = 0; i < at; i++) {
            char c = text.charAt(i);
            depth += c == '(' || c == '[' || c == '（' ? 1 : c == ')' || c == ']' || c == '）' ? -1 : 0;
        }
        return Math.max(0, depth);
    }

    private static void addSegment(List<int[]> segments, String text, int start, int end) {
        if (!text.substring(start, end).isBlank()) {
            segments.add(new int[] {start, end});
        }
    }

    /**
     * Short segments next to another short segment, or next to a Chinese enumeration comma, are items
     * of a list: "CNN: convolution, kernels, stride", "卷积、池化".
     */
    private boolean[] listItems(String text, List<int[]> segments) {
        boolean[] item = new boolean[segments.size()];
        boolean[] isShort = new boolean[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            isShort[i] = length(text.substring(segments.get(i)[0], segments.get(i)[1])) <= (zh ? SHORT_ZH : SHORT_EN);
        }
        for (int i = 0; i < segments.size(); i++) {
            boolean shortNeighbour = (i > 0 && isShort[i - 1]) || (i + 1 < segments.size() && isShort[i + 1]);
            boolean enumerated = (segments.get(i)[0] > 0 && text.charAt(segments.get(i)[0] - 1) == '、')
                    || (segments.get(i)[1] < text.length() && text.charAt(segments.get(i)[1]) == '、');
            int length = length(text.substring(segments.get(i)[0], segments.get(i)[1]));
            item[i] = (isShort[i] && (shortNeighbour || enumerated)) || (zh && enumerated && length <= ENUMERATED_ZH);
        }
        return item;
    }

    /** Whether the text is as short as an item of a list ("weight sharing", "权值共享"). */
    boolean isShort(String text) {
        return length(text) <= (zh ? SHORT_ZH : SHORT_EN);
    }

    /** Words in English; in Chinese, Han characters plus two for each Latin word. */
    private int length(String text) {
        int latin = 0;
        Matcher words = LATIN_WORD.matcher(text);
        while (words.find()) {
            latin++;
        }
        if (!zh) {
            return latin + (int) text.codePoints().filter(Character::isDigit).count() / 3;
        }
        long han = text.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count();
        int numbers = (int) Pattern.compile("\\d+").matcher(text).results().count();
        return (int) han + 2 * latin + numbers;
    }

    private boolean hasVerb(TextAnalysis.Sentence sentence, int start, int end) {
        if (zh) {
            List<TextAnalysis.Token> tokens = sentence.tokens().stream().filter(t -> t.start() >= start && t.end() <= end).toList();
            if (tokens.stream().anyMatch(token -> verbs.contains(token.word()) || analysis.isNegation(token.word()))) {
                return true;
            }
            // A segment as long as a clause that holds one of the words clauses are built with (了, 就, 会 ...).
            String text = sentence.text().substring(start, end);
            return length(text) >= 8 && ZH_CLAUSE_WORDS.matcher(text).find();
        }
        List<String> words = new ArrayList<>();
        Matcher matcher = LATIN_WORD.matcher(sentence.text().substring(start, end));
        while (matcher.find()) {
            words.add(matcher.group().toLowerCase(Locale.ROOT).replace('’', '\''));
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String previous = i == 0 ? "" : words.get(i - 1);
            if (EN_AUXILIARIES.contains(word) || word.endsWith("n't")) {
                return true;
            }
            if (EN_PLURAL_NOUNS.contains(word) && verbs.contains(word) && i > 0
                    && Pattern.compile("\\b" + word + "\\s+(?:a|an|the|its|their|each|every|all|one|two|it|them|\\d)",
                    Pattern.CASE_INSENSITIVE).matcher(sentence.text().substring(start, end)).find()) {
                return true; // "the discriminator maps 784 inputs", "a confusion matrix counts the errors"
            }
            if (!verbs.contains(word) || EN_PLURAL_NOUNS.contains(word)) {
                continue;
            }
            boolean baseForm = verbs.contains(word + "s") || verbs.contains(word + "es") || word.endsWith("e") && verbs.contains(word + "d");
            if (!baseForm || EN_SUBJECTS.contains(previous) || (previous.endsWith("s") && !previous.endsWith("ss"))
                    || (i == 0 && words.size() > 2)) {
                return true; // "-s", "-ed" or an irregular form; a base form after a subject, or an imperative
            }
        }
        return false;
    }

    /**
     * Negations among the words in [start, end) of the sentence; "not only" and "不仅" count unless
     * "but" or "也"/"还" follow in {@code context} (the unit being read).
     */
    private int negations(TextAnalysis.Sentence sentence, int start, int end, String context) {
        if (zh) {
            Set<Integer> seen = new HashSet<>();
            int count = 0;
            for (TextAnalysis.Token token : sentence.tokens()) {
                if (token.start() < start || token.end() > end || !seen.add(token.wordIndex())) {
                    continue;
                }
                String word = token.word();
                if (ZH_NOT_ONLY.contains(word)) {
                    count += ZH_ALSO.matcher(context.substring(Math.max(0, context.indexOf(word)))).find() ? 0 : 1;
                } else if (isZhNegation(word)) {
                    count++;
                }
            }
            return count;
        }
        String segment = sentence.text().substring(start, end);
        String text = context.contains(segment) && EN_NOT_ONLY_BUT.matcher(context).find()
                ? EN_NOT_ONLY_BUT.matcher(segment + " but").replaceAll(" ") : segment;
        int count = EN_CONTRAST.matcher(text).find() ? 1 : 0;
        Matcher matcher = LATIN_WORD.matcher(text);
        while (matcher.find()) {
            String word = matcher.group().toLowerCase(Locale.ROOT).replace('’', '\'');
            if (EN_NEGATIONS.contains(word) || word.endsWith("n't")) {
                count++;
            }
        }
        return count;
    }

    /** 不, 没有, 并非 ... and the words smartcn makes with them (没用过, 不等于), but not 不同 or 不断. */
    private boolean isZhNegation(String word) {
        if (ZH_NOT_NEGATIONS.contains(word)) {
            return false;
        }
        return analysis.isNegation(word) || ZH_EXTRA_NEGATIONS.contains(word)
                || (word.length() >= 2 && (word.startsWith("不") || word.startsWith("没") || word.startsWith("未")))
                || ZH_NEGATION_PREFIX.matcher(word).lookingAt();
    }

    /** Participles that in answers are almost always adjectives: "a hidden layer" asserts nothing. */
    private static final Set<String> EN_ADJECTIVE_PARTICIPLES = Set.of("hidden");

    private static Set<String> englishVerbForms(Set<String> lines) {
        Set<String> forms = new HashSet<>();
        for (String line : lines) {
            String[] words = line.split("\\s+");
            String verb = words[0];
            forms.addAll(List.of(words));
            if (verb.endsWith("y") && !verb.matches(".*[aeiou]y")) {
                String stem = verb.substring(0, verb.length() - 1);
                forms.add(stem + "ies");
                forms.add(stem + "ied");
            } else if (verb.matches(".*(?:s|sh|ch|x|z|o)")) {
                forms.add(verb + "es");
                forms.add(verb + "ed");
            } else if (verb.endsWith("e")) {
                forms.add(verb + "s");
                forms.add(verb + "d");
            } else {
                forms.add(verb + "s");
                forms.add(verb + "ed");
            }
        }
        forms.removeAll(EN_ADJECTIVE_PARTICIPLES);
        return Set.copyOf(forms);
    }

    /** The resource's lines, blank lines and "#" comments left out. */
    private static Set<String> readWords(String path) {
        try (InputStream in = Clauses.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the class path");
            }
            Set<String> words = new HashSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
