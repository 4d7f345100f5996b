package dlbank.experiment.task;

import dlbank.TestSupport;
import dlbank.UserException;
import dlbank.experiment.Claim;
import dlbank.experiment.Result;
import dlbank.model.SentimentModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** task/imdb-rnn in quick mode on the 400 fixture reviews: the pipeline, the four models, the saved one. */
class ImdbRnnTaskTest {

    @Test
    void trainsEveryCellSavesTheBestAndItReadsNewText(@TempDir Path dir) throws Exception {
        Result result = new ImdbRnnTask().run(TestSupport.quickContext(dir));

        Claim pipeline = result.claims().get(0);
        assertThat(pipeline.held()).as(pipeline.text()).isTrue();
        assertThat(pipeline.measured().get("reviews")).isEqualTo(400.0);
        assertThat(pipeline.textZh()).contains("数据管道");
        for (String cell : List.of("simple", "lstm", "gru", "bilstm")) {
            assertThat(result.metrics().get("test_accuracy_" + cell)).as(cell).isBetween(0.0, 1.0);
            assertThat(result.metrics().get("roc_auc_" + cell)).as(cell).isBetween(0.0, 1.0);
        }
        // The specified SimpleRNN with DJL's two bias vectors, on the fixture's smaller vocabulary.
        assertThat(result.metrics().get("parameters_simple")).isGreaterThan(3_400.0);
        assertThat(result.claims()).filteredOn(claim -> claim.held() == null).isNotEmpty();
        assertThat(dir.resolve("roc.png")).exists();
        assertThat(dir.resolve("pr.png")).exists();

        try (SentimentModel model = SentimentModel.load(dir.resolve("model"), ai.djl.Device.cpu())) {
            float[] positive = model.positiveProbabilities(List.of("A wonderful film, I loved every minute.",
                    "zzqxv blorfing wuggle"));
            assertThat(positive).hasSize(2);
            assertThat(positive[0]).isBetween(0f, 1f);
            assertThat(positive[1]).as("only unknown words still get a probability").isBetween(0f, 1f);
            assertThat(model.knownTokens("zzqxv blorfing wuggle")).containsExactly(0, 3);
            assertThatThrownBy(() -> model.positiveProbabilities(List.of("   ")))
                    .isInstanceOfSatisfying(UserException.class,
                            e -> assertThat(e.exitCode()).isEqualTo(UserException.INPUT));
        }
    }

    @Test
    void oneCellUsesThePlainMetricNames(@TempDir Path dir) throws Exception {
        var context = TestSupport.quickContext(dir, java.util.Map.of("cell", "gru", "pooling", "attention"));
        Result result = new ImdbRnnTask().run(context);
        assertThat(result.metrics()).containsKeys("test_accuracy", "roc_auc", "f1").doesNotContainKey("test_accuracy_gru");
        assertThat(result.config().get("pooling")).isEqualTo("attention");
    }

    @Test
    void anUnknownCellIsAUsageError(@TempDir Path dir) {
        var context = TestSupport.quickContext(dir, java.util.Map.of("cell", "transformer"));
        assertThatThrownBy(() -> new ImdbRnnTask().run(context)).isInstanceOfSatisfying(UserException.class,
                e -> assertThat(e.getMessage()).isEqualTo("--cell transformer: expected simple, lstm, gru, bilstm or all"));
    }
}
