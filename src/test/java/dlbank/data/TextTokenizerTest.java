package dlbank.data;

import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextTokenizerTest {

    @Test
    void cleaningRemovesTagsDecodesEntitiesAndLowerCases() {
        assertThat(TextTokenizer.clean("Great film.<br /><br />See It &amp; <i>Love</i> it &quot;NOW&quot;"))
                .isEqualTo("great film.  see it &  love  it \"now\"");
        assertThat(TextTokenizer.clean("&#39;tis &#x41;&#66; &lt;b&gt; &nbsp;x&apos;s"))
                .as("numeric and named entities; an escaped tag stays text")
                .isEqualTo("'tis ab <b>  x's");
        assertThat(TextTokenizer.clean("a <3 b < Cough > c <<<br />d & e &bogus; &#xD800; &#;"))
                .as("what is not a tag or a known entity stays as it is")
                .isEqualTo("a <3 b < cough > c << d & e &bogus; &#xd800; &#;");
        assertThat(TextTokenizer.clean("TITLE İ")).as("Locale.ROOT, whatever the default locale")
                .isEqualTo("title i\u0307");
    }

    @Test
    void splitsOnPunctuationAndKeepsInnerApostrophesOnly() {
        assertThat(TextTokenizer.tokenize("I didn't like it... 'Quoted' words, ''' and rock'n'roll!<br />10/10"))
                .containsExactly("i", "didn't", "like", "it", "quoted", "words", "and", "rock'n'roll", "10", "10");
        assertThat(TextTokenizer.tokenize("didn’t didn´t didn`t ‘single’ o'")).as("typographic apostrophes")
                .containsExactly("didn't", "didn't", "didn't", "single", "o");
        assertThat(TextTokenizer.tokenize("")).isEmpty();
        assertThat(TextTokenizer.tokenize(" '' ... <br /> ")).isEmpty();
    }

    @Test
    void unicodeLettersAndDigitsAreWordCharacters() {
        String text = "Café CRÈME, naïve Ørsted; Москва 東京 x_y 3½ e\u0301t\u00e9 \uD835\uDC00b";
        assertThat(TextTokenizer.tokenize(text))
                .containsExactly("café", "crème", "naïve", "ørsted", "москва", "東京", "x", "y", "3",
                        "e\u0301té", "\uD835\uDC00b");
    }

    @Test
    void tokenizesARealFixtureReview() {
        String review = ImdbDataset.read(TestSupport.FIXTURES.resolve("imdb/reviews.json")).reviews().get(4).text();
        assertThat(review).contains("gangsters.<br /><br />The movie doesn't");

        List<String> tokens = TextTokenizer.tokenize(review);

        assertThat(tokens.subList(0, 12)).containsExactly(
                "first", "of", "all", "i", "hate", "those", "moronic", "rappers", "who", "could'nt", "act", "if");
        assertThat(String.join(" ", tokens))
                .contains("acting like cliché'e version of gangsters the movie doesn't take")
                .contains("when you root for no one")
                .contains("watch 48 hours 1 and 2 instead")
                .endsWith("real actors in the cast");
        assertThat(tokens).doesNotContain("br").hasSize(221) // 221 as counted by a separate regex implementation
                .allMatch(token -> token.equals(token.toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void noFixtureReviewLeavesMarkupBehind() {
        Path fixture = TestSupport.FIXTURES.resolve("imdb/reviews.json");
        for (ImdbDataset.Review review : ImdbDataset.read(fixture).reviews()) {
            assertThat(TextTokenizer.tokenize(review.text()))
                    .isNotEmpty()
                    .doesNotContain("br")
                    .allMatch(token -> !token.startsWith("'") && !token.endsWith("'"));
        }
    }
}
