package dlbank.cli;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import dlbank.TestSupport;
import dlbank.data.BytePairEncoding;
import dlbank.data.ImdbSplit;
import dlbank.model.LanguageModel;
import dlbank.model.Transformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code predict lab/llm-decoding}: a prompt continued and printed as it is generated, and bad options. */
class PredictContinuationTest {

    @TempDir
    static Path home;
    static Path modelDir;

    /** An untrained decoder with a byte-pair encoding of the fixture reviews, saved as the lab saves its model. */
    @BeforeAll
    static void saveASmallModel() {
        Cli.isolateIn(home);
        TestSupport.configureEngine();
        List<String> texts = ImdbSplit.load(TestSupport.fixtureHome(), line -> { }).train().stream()
                .map(review -> BytePairEncoding.normalize(review.text())).toList();
        BytePairEncoding encoding = BytePairEncoding.train(texts, 400);
        Transformer block = new Transformer(new Transformer.Config(encoding.size(), 16, 2, 1, 32, 32,
                Transformer.Positions.ROPE, Transformer.Norm.PRE, true, true));
        try (Model model = Model.newInstance("lm")) {
            block.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
            model.setBlock(block);
            modelDir = home.resolve("lm-model");
            LanguageModel.of(model, encoding).save(modelDir, Map.of());
        }
    }

    @AfterAll
    static void restore() {
        Cli.restore();
    }

    @Test
    void printsThePromptThenTheNewTextAndTheSameSeedGivesTheSameText() {
        String[] args = {"predict", "lab/llm-decoding", "This movie", "--model", modelDir.toString(), "--tokens", "12",
                "--seed", "7", "--top-k", "20"};
        Cli.Outcome first = Cli.dlbank(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("model: " + modelDir, "decoding: temperature 0.8, top-k 20, top-p 0.95, up to 12 "
                + "new tokens, seed 7").containsPattern("(?s)\\nThis movie.*\\n\\(\\d+ new tokens in \\d+\\.\\d\\d s");
        assertThat(Cli.dlbank(args).out().replaceAll("in \\d+\\.\\d\\d s", ""))
                .isEqualTo(first.out().replaceAll("in \\d+\\.\\d\\d s", ""));
        Cli.Outcome beam = Cli.dlbank("predict", "lab/llm-decoding", "This movie", "--model", modelDir.toString(),
                "--tokens", "6", "--beam", "3");
        assertThat(beam.exitCode()).as(beam.err()).isZero();
        assertThat(beam.out()).contains("decoding: beam search with 3 beams", "(6 new tokens in ");
    }

    @Test
    void badPromptsAndOptionsAreOneLineWithExitCode2() {
        Cli.Outcome none = Cli.dlbank("predict", "lab/llm-decoding", "--model", modelDir.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.errLines()).singleElement().asString().contains("takes one prompt");
        Cli.Outcome topP = Cli.dlbank("predict", "lab/llm-decoding", "Hi", "--model", modelDir.toString(), "--top-p", "1.5");
        assertThat(topP.exitCode()).isEqualTo(2);
        assertThat(topP.errLines()).singleElement().asString().contains("top-p");
        Cli.Outcome tooLong = Cli.dlbank("predict", "lab/llm-decoding", "Hi", "--model", modelDir.toString(), "--tokens", "4000");
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.errLines()).singleElement().asString().contains("positions the model can attend over");
    }
}
