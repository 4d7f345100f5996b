package dlbank.interview;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.util.CharsRef;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * The Lucene analysis chains behind {@link TextAnalysis}. Chinese: smartcn's HMM word segmenter
 * (as in {@link SmartChineseAnalyzer}), lower case, the bank's synonyms, Porter stems for the
 * English words inside Chinese answers, punctuation removed. English: the Unicode standard
 * tokenizer, possessives removed, gate names kept, lower case, synonyms, Porter stems. Stop words
 * stay in the stream: "not" must be seen, and a term may skip them.
 */
final class Analyzers {

    /**
     * The logic gates AND and OR, written in capitals, become words of their own: lower-cased they
     * are stop words, and "AND needs a hidden layer" would shrink to "needs a hidden layer".
     */
    private static final SynonymMap GATES = gates();

    private Analyzers() {}

    private static SynonymMap gates() {
        try {
            SynonymMap.Builder builder = new SynonymMap.Builder(true);
            builder.add(new CharsRef("AND"), new CharsRef("andgate"), false);
            builder.add(new CharsRef("OR"), new CharsRef("orgate"), false);
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Characters that are written several ways: products, minus signs, curly apostrophes. */
    private static Reader normalise(Reader reader) {
        NormalizeCharMap.Builder map = new NormalizeCharMap.Builder();
        map.add("·", " ");
        map.add("∙", " ");
        map.add("*", " ");
        map.add("×", " x ");
        map.add("−", "-");
        map.add("’", "'");
        map.add("‘", "'");
        return new MappingCharFilter(map.build(), reader);
    }

    /** Segmentation or tokenising and lower-casing only: what synonym rules are written in. */
    static Analyzer base(String language) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer tokenizer = language.equals("zh") ? new HMMChineseTokenizer() : new StandardTokenizer();
                TokenStream stream = language.equals("zh") ? tokenizer : new EnglishPossessiveFilter(tokenizer);
                return new TokenStreamComponents(tokenizer, new LowerCaseFilter(stream));
            }

            @Override
            protected Reader initReader(String field, Reader reader) {
                return normalise(reader);
            }
        };
    }

    static Analyzer full(String language, SynonymMap synonyms) {
        boolean zh = language.equals("zh");
        CharArraySet punctuation = SmartChineseAnalyzer.getDefaultStopSet();
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer tokenizer = zh ? new HMMChineseTokenizer() : new StandardTokenizer();
                TokenStream stream = zh ? tokenizer : new EnglishPossessiveFilter(tokenizer);
                if (!zh) {
                    stream = new SynonymGraphFilter(stream, GATES, false); // before lower-casing: case counts
                }
                stream = new LowerCaseFilter(stream);
                if (synonyms.fst != null) {
                    // A multi-word synonym becomes one token; flattening keeps positions linear.
                    stream = new FlattenGraphFilter(new SynonymGraphFilter(stream, synonyms, true));
                }
                stream = new PorterStemFilter(stream); // also stems the English words inside Chinese answers
                if (zh) {
                    stream = new StopFilter(stream, punctuation); // smartcn emits punctuation as tokens
                }
                return new TokenStreamComponents(tokenizer, stream);
            }

            @Override
            protected Reader initReader(String field, Reader reader) {
                return normalise(reader);
            }
        };
    }
}
