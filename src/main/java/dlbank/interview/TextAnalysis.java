package dlbank.interview;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text analysis that grading (and search) use, built from Lucene's analysis components:
 * Chinese is segmented into words by smartcn's {@link HMMChineseTokenizer} (the tokenizer of
 * {@link SmartChineseAnalyzer}); English is split by the Unicode {@link StandardTokenizer} and
 * reduced to Porter stems. Both then map the bank's synonyms and abbreviations
 * ({@code bank/synonyms.<lang>.txt}) onto one word, so "backprop" and "back-propagation" meet.
 * Text is cut into sentences first, so that the parts of a term are looked for within one sentence.
 *
 * <p>Chinese words are then compared character by character: the segmenter is statistical and splits
 * the same term differently in different contexts ("池化" alone, but "池 / 化" before "减少"), so a
 * term matches when its characters occur in order whatever the word boundaries. The words still
 * decide what is a negation ("不" but not the "不" of "不变性") and what is a function word ("的").
 */
public final class TextAnalysis {

    /**
     * One unit of matching: an analysed word, or in Chinese one character of a segmented word.
     *
     * @param term what is compared: the word's analysed form, or one Chinese character of it
     * @param word the whole analysed word it belongs to (negations and function words are words)
     * @param wordIndex the index of that word in the sentence
     * @param position the word's position (removed punctuation leaves a gap)
     * @param start where the unit starts in the sentence's text
     * @param end where it ends
     */
    public record Token(String term, String word, int wordIndex, int position, int start, int end) {}

    /** One sentence of the original text and its words. */
    public record Sentence(String text, List<Token> tokens) {}

    private static final Map<String, TextAnalysis> CACHE = new ConcurrentHashMap<>();

    /** Sentence ends: . ! ? ; before a space (not the dot of "e.g." or "et al."), and 。！？； and line ends. */
    static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile(
            "(?<=[.!?;])(?<!\\b(?:i\\.e|e\\.g|al|vs|cf)\\.)\\s+|[。！？；\\n]+");

    /** Words that negate what follows: "F1 is not a weighted average", "不是加权平均". */
    private static final List<String> NEGATIONS = List.of("not", "no", "never", "isn't", "aren't", "doesn't",
            "don't", "didn't", "wasn't", "weren't", "cannot", "can't", "won't", "nor", "neither",
            "不", "不是", "并非", "没有", "并不", "未", "而非", "绝非", "从不", "从未", "无法",
            "不要", "不能", "不应", "不该", "不应该", "别");

    /**
     * Words that call a statement in their sentence wrong: "... is wrong", "流传代码的错误：...". A
     * sentence that reports a mistake does not make it.
     */
    private static final List<String> DENIALS = List.of("wrong", "incorrect", "mistake", "mistaken", "myth",
            "错误", "错", "不对", "误区");

    /**
     * Small words that carry no content in a term: a term's words may be separated by them. Not
     * "是": "LSTM 是 GRU" must not shrink to "LSTM GRU", which "LSTM 和 GRU" also says.
     */
    /** English words without content beyond Lucene's stop words (which are few: "a", "is", "of" ...). */
    private static final List<String> EN_FUNCTION_WORDS = List.of("its", "it's", "has", "have", "had", "does", "do", "did",
            "can", "could", "would", "should", "may", "might", "which", "who", "from", "than", "so", "we", "you", "i",
            "also", "very", "been", "being", "were", "what");

    private static final Set<String> ZH_FUNCTION_WORDS = Set.of("的", "了", "和", "与", "及", "在", "把",
            "被", "就", "也", "都", "而", "或", "将", "对", "个", "一", "种");

    private final String language;
    private final Analyzer analyzer;
    private final Set<String> negations;
    private final Set<String> denials;
    private final Set<String> functionWords;

    private TextAnalysis(String language) {
        this.language = language;
        this.analyzer = Analyzers.full(language, Synonyms.load(language, Analyzers.base(language)));
        // Analysed like the answers they occur in; "不是" is two words there, and "不" already covers it.
        this.negations = Set.copyOf(NEGATIONS.stream().map(this::analyseWords).filter(tokens -> tokens.size() == 1)
                .map(tokens -> tokens.get(0).word()).toList());
        this.denials = Set.copyOf(DENIALS.stream().map(this::analyseWords).filter(tokens -> tokens.size() == 1)
                .map(tokens -> tokens.get(0).word()).toList());
        // Stemmed like everything else ("are" becomes "ar"), so they are recognised after analysis.
        List<String> small = new ArrayList<>(language.equals("zh") ? ZH_FUNCTION_WORDS : EN_FUNCTION_WORDS);
        if (!language.equals("zh")) { // in Chinese answers "AND" and "OR" name gates and stay
            EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.forEach(word -> small.add(new String((char[]) word)));
        }
        this.functionWords = Set.copyOf(small.stream().map(this::analyseWords).filter(tokens -> tokens.size() == 1)
                .map(tokens -> tokens.get(0).word()).filter(word -> !negations.contains(word)).toList());
    }

    /** The analysis for "en" or "zh" (built once: the synonym map and the segmenter's dictionaries load once). */
    public static TextAnalysis forLanguage(String language) {
        return CACHE.computeIfAbsent(language, TextAnalysis::new);
    }

    public String language() {
        return language;
    }

    /** The text cut into sentences (at . ! ? ; 。 ！ ？ ； and line ends), each analysed into words. */
    public List<Sentence> sentences(String text) {
        List<Sentence> sentences = new ArrayList<>();
        for (String piece : SENTENCE_END.split(text)) {
            if (!piece.isBlank()) {
                sentences.add(new Sentence(piece, analyse(piece)));
            }
        }
        return sentences;
    }

    /** The units of a short text (a term), without the words that carry no content. */
    public List<String> words(String text) {
        return analyse(text).stream().filter(token -> !isFunctionWord(token.word())).map(Token::term).toList();
    }

    /** Whether the word negates what follows it ("not", "isn't", "不", "并非"). */
    public boolean isNegation(String word) {
        return negations.contains(word);
    }

    /** Whether the word calls its sentence's statement wrong ("wrong", "错误"). */
    public boolean isDenial(String word) {
        return denials.contains(word);
    }

    /** A word without content ("the", "of", "的"); negations are not among them. */
    boolean isFunctionWord(String term) {
        return functionWords.contains(term); // never a negation: "not parameters" must keep its "not"
    }

    private List<Token> analyse(String text) {
        if (!language.equals("zh")) {
            return analyseWords(text);
        }
        List<Token> units = new ArrayList<>();
        for (Token token : analyseWords(text)) {
            String word = token.word();
            boolean chinese = word.codePoints().allMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
            if (!chinese || word.length() == 1 || negations.contains(word)) {
                units.add(token);
                continue;
            }
            // A synonym may have replaced the typed text: then every character points at all of it.
            boolean typed = token.end() - token.start() == word.length();
            for (int i = 0; i < word.length(); i++) {
                units.add(new Token(word.substring(i, i + 1), word, token.wordIndex(), token.position(),
                        typed ? token.start() + i : token.start(), typed ? token.start() + i + 1 : token.end()));
            }
        }
        return units;
    }

    private List<Token> analyseWords(String text) {
        List<Token> tokens = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("answer", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            int position = -1;
            while (stream.incrementToken()) {
                position += increment.getPositionIncrement();
                String word = term.toString();
                tokens.add(new Token(word, word, tokens.size(), position, offset.startOffset(), offset.endOffset()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tokens;
    }

}
