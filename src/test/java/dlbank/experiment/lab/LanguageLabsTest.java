package dlbank.experiment.lab;

import dlbank.TestSupport;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The six Transformer and language-model labs of issue 25 in quick mode on the fixtures, one test each,
 * so that each one's seconds show in the test report: at least three claims in both languages, finite
 * metrics, the pictures and the saved model they announce.
 */
class LanguageLabsTest {

    private static Result quickRun(Experiment lab, Path dir) throws Exception {
        Result result = lab.run(TestSupport.quickContext(dir));
        assertThat(result.claims()).as(lab.id()).hasSizeGreaterThanOrEqualTo(3);
        for (Claim claim : result.claims()) {
            assertThat(claim.measured()).as(lab.id() + ": " + claim.text()).isNotEmpty();
            assertThat(claim.textZh()).as(lab.id() + ": " + claim.text()).containsPattern("\\p{IsHan}");
        }
        result.metrics().forEach((name, value) -> assertThat(Double.isFinite(value)).as(lab.id() + " " + name).isTrue());
        for (String artifact : result.artifacts()) {
            assertThat(dir.resolve(artifact)).as(lab.id() + " " + artifact).exists();
        }
        return result;
    }

    @Test
    void transformer(@TempDir Path dir) throws Exception {
        Result result = quickRun(new TransformerLab(), dir);
        assertThat(dir.resolve("softmax_entropy.png")).exists();
        assertThat(dir.resolve("norm_placement.png")).exists();
        assertThat(result.metrics()).containsKey("parameters_decoder");
    }

    @Test
    void positionalEncoding(@TempDir Path dir) throws Exception {
        quickRun(new PositionalEncodingLab(), dir);
        assertThat(dir.resolve("accuracy_by_length.png")).exists();
    }

    @Test
    void tokenizationEmbeddings(@TempDir Path dir) throws Exception {
        quickRun(new TokenizationEmbeddingsLab(), dir);
        assertThat(dir.resolve("tokens_per_review.png")).exists();
        assertThat(dir.resolve("unknown_words.png")).exists();
    }

    @Test
    void llmDecoding(@TempDir Path dir) throws Exception {
        Result result = quickRun(new LlmDecodingLab(), dir);
        assertThat(dir.resolve("model")).isDirectory();
        assertThat(dir.resolve("decoding.png")).exists();
        assertThat(dir.resolve("kv_cache.png")).exists();
        assertThat(result.metrics().get("perplexity")).isGreaterThan(1.0);
        assertThat(result.metrics().get("unigram_perplexity")).isGreaterThan(1.0);
    }

    @Test
    void postTraining(@TempDir Path dir) throws Exception {
        quickRun(new PostTrainingLab(), dir);
        assertThat(dir.resolve("positive_share.png")).exists();
    }

    @Test
    void mixtureOfExperts(@TempDir Path dir) throws Exception {
        quickRun(new MixtureOfExpertsLab(), dir);
        assertThat(dir.resolve("expert_usage.png")).exists();
        assertThat(dir.resolve("parameters_and_compute.png")).exists();
    }
}
