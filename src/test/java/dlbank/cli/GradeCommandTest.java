package dlbank.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.UserException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dlbank grade}: text and JSON, both languages, standard input, evidence from runs/, user errors. */
class GradeCommandTest {

    @TempDir
    Path home;

    @BeforeEach
    void isolate() {
        Cli.isolateIn(home);
    }

    @AfterEach
    void restore() {
        Cli.restore();
    }

    @Test
    void gradesAnAnswerFileWithCoveredMissedAndRedFlags() throws Exception {
        Path answer = Files.writeString(home.resolve("answer.txt"),
                "F1 is a weighted average of accuracy and recall. We evaluate it on a held-out test set, kept apart from the training data.");
        Cli.Outcome outcome = Cli.dlbank("grade", "evaluation", answer.toString(), "--lang", "en");
        assertThat(outcome.exitCode()).isZero();
        // Covered points and red flags quote the clause of the answer that made them.
        assertThat(outcome.out()).contains("concept/evaluation · How are models evaluated?", "Score ", "Covered",
                "<- \"We evaluate it on a held-out test set, kept apart from the training data.\"", "Missed", "the entry: F1 is the harmonic mean of precision and recall",
                "Red flags", "You wrote: \"F1 is a weighted average of accuracy and recall.\"", "right: F1 is the harmonic mean",
                "Measured evidence", "task/mnist-cnn: no saved run yet; produce it with: dlbank run task/mnist-cnn");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasScoreCoveredMissedAndRedFlags() throws Exception {
        Path answer = Files.writeString(home.resolve("answer.txt"), "L1 penalises sparsity. Dropout switches units off at random during training.");
        Cli.Outcome outcome = Cli.dlbank("grade", "concept/regularization", answer.toString(), "--json", "--lang", "en");
        assertThat(outcome.exitCode()).isZero();
        Map<String, Object> json = new ObjectMapper().readValue(outcome.out(), Map.class);
        assertThat(json).containsKeys("score", "covered", "missed", "red_flags", "evidence");
        assertThat(json).containsEntry("answer_language", "en");
        assertThat((List<Map<String, Object>>) json.get("covered")).extracting(point -> point.get("words"))
                .containsExactly("Dropout switches units off at random during training."); // the wrong L1 sentence covers no point
        assertThat((List<Map<String, Object>>) json.get("red_flags")).extracting(flag -> flag.get("wrong"))
                .containsExactly("L1 regularization penalises sparsity.");
        assertThat(((Number) json.get("score")).intValue()).isEqualTo(Math.round(100f * 1 / 8) - 10);
    }

    @Test
    void chineseAnswersFromStandardInput() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("F1 是精确率和召回率的调和平均，不是加权平均。".getBytes(StandardCharsets.UTF_8)));
            Cli.Outcome outcome = Cli.dlbank("grade", "concept/evaluation", "-", "--lang", "zh");
            assertThat(outcome.exitCode()).isZero();
            assertThat(outcome.out()).contains("如何评估模型？", "已覆盖", "F1 是精确率和召回率的调和平均", "未覆盖", "条目原文：")
                    .doesNotContain("错误说法\n");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void anEnglishAnswerUnderAChineseLocaleIsGradedAgainstTheEnglishPointsAndSaysSo() throws Exception {
        Path answer = Files.writeString(home.resolve("answer.txt"),
                "Dropout switches units off at random during training. Early stopping halts training when the "
                        + "validation loss stops improving and keeps the best checkpoint.");
        Cli.Outcome outcome = Cli.dlbank("grade", "regularization", answer.toString(), "--lang", "zh");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("回答是英文的，按英文的关键点评分", "已覆盖", "Dropout 训练时随机关闭一部分单元",
                "早停：验证损失不再改善时停止，保留最佳检查点");
        assertThat(outcome.out()).doesNotContain("得分 0/100");
    }

    @Test
    void evidenceComesFromTheNewestFinishedRun() throws Exception {
        Path run = home.resolve("runs/task/and-gate/20260101-120000");
        Files.createDirectories(run);
        Files.writeString(run.resolve("report.json"), """
                {"experiment": "task/and-gate", "metrics": {"and_correct": 4, "xor_single_neuron_correct": 2},
                 "claims": [{"text": "A single neuron learns AND", "text_zh": "单个神经元学会 AND",
                             "measured": {"and_correct": 4}, "held": true}]}""");
        Path answer = Files.writeString(home.resolve("a.txt"), "AND is linearly separable, so one neuron does it.");
        Cli.Outcome outcome = Cli.dlbank("grade", "task/and-gate", answer.toString(), "--lang", "zh");
        assertThat(outcome.out()).contains("task/and-gate (单次运行 20260101-120000)", "[成立] 单个神经元学会 AND");
    }

    @Test
    void userErrorsAreOneLineWithTheirExitCodes() throws Exception {
        Path answer = Files.writeString(home.resolve("a.txt"), "something");
        Cli.Outcome unknown = Cli.dlbank("grade", "concept/nope", answer.toString());
        assertThat(unknown.exitCode()).isEqualTo(UserException.USAGE);
        assertThat(unknown.errLines()).singleElement().asString().contains("no entry 'concept/nope'");

        Cli.Outcome missing = Cli.dlbank("grade", "cnn", home.resolve("missing.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(UserException.INPUT);
        assertThat(missing.errLines()).singleElement().asString().contains("missing.txt: no such file");

        Path empty = Files.writeString(home.resolve("empty.txt"), "  \n");
        Cli.Outcome blank = Cli.dlbank("grade", "cnn", empty.toString());
        assertThat(blank.exitCode()).isEqualTo(UserException.INPUT);
        assertThat(blank.errLines()).singleElement().asString().contains("holds no answer");
    }
}
