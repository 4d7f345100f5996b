package dlbank.interview;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lucene analysis under the grader: stems, synonyms, Chinese segmentation, negations. */
class TextAnalysisTest {

    private final TextAnalysis en = TextAnalysis.forLanguage("en");
    private final TextAnalysis zh = TextAnalysis.forLanguage("zh");

    @Test
    void englishWordsAreStemmedAndSynonymsMeet() {
        assertThat(en.words("regularisation of weights")).isEqualTo(en.words("regularization weight"));
        assertThat(en.words("backprop")).isEqualTo(en.words("back-propagation")).isEqualTo(en.words("backpropagation"));
        assertThat(en.words("LSTMs")).isEqualTo(en.words("long short-term memory"));
        assertThat(en.words("on-policy")).isNotEqualTo(en.words("off-policy"));
        // Stop words are dropped from terms, negations are not.
        assertThat(en.words("the weights are not parameters")).containsExactly("weight", "not", "paramet");
    }

    @Test
    void chineseIsSegmentedIntoWordsAndComparedByCharacter() {
        List<TextAnalysis.Token> tokens = zh.sentences("F1 是精确率和召回率的调和平均").get(0).tokens();
        assertThat(tokens).extracting(TextAnalysis.Token::word).contains("调和", "平均", "召回");
        assertThat(tokens).extracting(TextAnalysis.Token::term).contains("调", "和", "平", "均");
        // The segmenter splits "池化" in this context; the characters still meet the term's.
        assertThat(zh.words("池化")).containsExactly("池", "化");
        assertThat(zh.sentences("池化减少了参数量").get(0).tokens()).extracting(TextAnalysis.Token::term)
                .containsSubsequence("池", "化", "减", "少", "参", "数");
    }

    @Test
    void negationsAreWordsNotCharacters() {
        assertThat(zh.isNegation("不")).isTrue();
        assertThat(zh.isNegation("并非")).isTrue();
        assertThat(en.isNegation("isn't")).isTrue();
        // "不变性" is one word (a bank synonym joins it): its "不" negates nothing.
        assertThat(zh.sentences("卷积具有平移不变性").get(0).tokens())
                .noneMatch(token -> zh.isNegation(token.word()));
    }

    @Test
    void textIsCutIntoSentencesWithTheirOwnWords() {
        List<TextAnalysis.Sentence> sentences = en.sentences("F1 is 0.9. It is high; recall too!\nNext line");
        assertThat(sentences).extracting(TextAnalysis.Sentence::text)
                .containsExactly("F1 is 0.9.", "It is high;", "recall too!", "Next line");
        assertThat(zh.sentences("第一句。第二句；第三句")).hasSize(3);
    }
}
