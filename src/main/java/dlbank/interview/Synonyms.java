package dlbank.interview;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code bank/synonyms.<lang>.txt} into a Lucene {@link SynonymMap}. One rule a line,
 * {@code alt, alt, ... => word}: every alternative (one or several words, analysed as answers are)
 * becomes the single token {@code word}. Written by hand rather than with Solr's parser because
 * the target must stay one token even in Chinese, where the segmenter would split it again
 * ("不变性" would otherwise yield a "不" that reads as a negation).
 */
final class Synonyms {

    private Synonyms() {}

    static SynonymMap load(String language, Analyzer base) {
        String path = "bank/synonyms." + language + ".txt";
        SynonymMap.Builder builder = new SynonymMap.Builder(true);
        try (InputStream in = Synonyms.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return builder.build();
            }
            int lineNumber = 0;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                lineNumber++;
                String rule = line.strip();
                if (rule.isEmpty() || rule.startsWith("#")) {
                    continue;
                }
                String[] sides = rule.split("=>");
                if (sides.length != 2 || sides[1].isBlank() || sides[1].strip().contains(" ")) {
                    throw new IllegalStateException(path + ":" + lineNumber + ": expected 'alt, alt => word'");
                }
                CharsRef target = new CharsRef(sides[1].strip().toLowerCase(Locale.ROOT));
                for (String alternative : sides[0].split(",")) {
                    List<String> words = analyse(base, alternative.strip());
                    if (words.isEmpty() || (words.size() == 1 && words.get(0).contentEquals(target))) {
                        continue; // nothing to map
                    }
                    builder.add(SynonymMap.Builder.join(words.toArray(String[]::new), new CharsRefBuilder()), target, false);
                }
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> analyse(Analyzer analyzer, String text) throws IOException {
        List<String> words = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("rule", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                words.add(term.toString());
            }
            stream.end();
        }
        return words;
    }
}
