package dlbank.interview;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every entry in both languages: its own answers score high, nonsense scores low, red flags fire only when
 * meant; and what the grader reads: clauses, negations, contrary statements, the answer's language.
 */
class GraderTest {

    private static final Bank BANK = Bank.load();
    private static final String OFF_TOPIC_EN = "I spent the weekend baking bread and walking the dog along the river.";
    private static final String OFF_TOPIC_ZH = "周末我在家烤面包，然后沿着河边遛狗。";

    static Stream<Arguments> entries() {
        return BANK.ids().stream().flatMap(id -> Bank.LANGUAGES.stream()
                .map(language -> Arguments.of(BANK.find(id, language).orElseThrow())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void theEntrysOwnShortAnswerScoresHighAndRaisesNoRedFlag(BankEntry entry) {
        // High is 70 or more: the bands the thresholds are calibrated for (GraderDevSetTest).
        GradeResult result = new Grader(entry.language()).grade(entry, Grader.plain(entry.shortAnswer()));
        assertThat(result.score()).as(entry.id() + " " + entry.language() + " missed " + result.missed()).isGreaterThanOrEqualTo(70);
        assertThat(result.redFlags()).as(entry.id() + " " + entry.language()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void aModelAnswerMadeOfThePointsStatementsScoresAtLeast90(BankEntry entry) {
        // Any entry whose points file has statements: a new entry is checked as soon as it is in the bank.
        String separator = entry.language().equals("zh") ? "" : " ";
        String model = String.join(separator, KeyPoints.of(entry).points().stream().map(KeyPoint::statement).toList());
        GradeResult result = new Grader(entry.language()).grade(entry, model);
        assertThat(result.score()).as(entry.id() + " " + entry.language() + " missed " + result.missed()).isGreaterThanOrEqualTo(90);
        assertThat(result.redFlags()).as(entry.id() + " " + entry.language()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void anEmptyOrOffTopicAnswerScoresAtMost10(BankEntry entry) {
        Grader grader = new Grader(entry.language());
        assertThat(grader.grade(entry, "").score()).isZero();
        String offTopic = entry.language().equals("zh") ? OFF_TOPIC_ZH : OFF_TOPIC_EN;
        assertThat(grader.grade(entry, offTopic).score()).as(entry.id()).isLessThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void eachRedFlagFiresOnItsWrongStatementAndNotOnItsCorrection(BankEntry entry) {
        Grader grader = new Grader(entry.language());
        for (RedFlag flag : KeyPoints.of(entry).redFlags()) {
            assertThat(grader.grade(entry, flag.wrong()).redFlags()).as(flag.wrong())
                    .anyMatch(raised -> raised.wrong().equals(flag.wrong()));
            assertThat(grader.grade(entry, flag.correction()).redFlags()).as(flag.correction()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void eachFollowUpsOwnAnswerScoresAtLeast80(BankEntry entry) {
        Grader grader = new Grader(entry.language());
        for (FollowUp followUp : KeyPoints.of(entry).followUps()) {
            GradeResult result = grader.gradeFollowUp(entry, followUp, followUp.answer());
            assertThat(result.score()).as(followUp.question() + " missed " + result.missed()).isGreaterThanOrEqualTo(80);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void everyEntryHasPointsRedFlagsAndFollowUpsAndBothLanguagesAgree(BankEntry entry) {
        KeyPoints points = KeyPoints.of(entry);
        KeyPoints english = KeyPoints.of(BANK.find(entry.id(), "en").orElseThrow());
        assertThat(points.points()).hasSizeBetween(4, 8);
        assertThat(points.redFlags()).isNotEmpty();
        assertThat(points.followUps()).isNotEmpty();
        // The two languages say the same thing: the same points with the same weights, the same flags.
        assertThat(points.points()).extracting(KeyPoint::weight).isEqualTo(english.points().stream().map(KeyPoint::weight).toList());
        assertThat(points.redFlags()).hasSameSizeAs(english.redFlags());
        assertThat(points.followUps()).hasSameSizeAs(english.followUps());
    }

    @Test
    void aNegatedRedFlagIsNotRaisedInEitherLanguage() {
        BankEntry en = BANK.find("concept/evaluation", "en").orElseThrow();
        BankEntry zh = BANK.find("concept/evaluation", "zh").orElseThrow();
        assertThat(new Grader("en").grade(en, "F1 is a weighted average of accuracy and recall.").redFlags()).hasSize(1);
        assertThat(new Grader("en").grade(en, "F1 is not a weighted average of accuracy and recall.").redFlags()).isEmpty();
        assertThat(new Grader("en").grade(en, "F1 isn't a weighted average of accuracy and recall.").redFlags()).isEmpty();
        assertThat(new Grader("zh").grade(zh, "F1 是准确率和召回率的加权平均。").redFlags()).hasSize(1);
        assertThat(new Grader("zh").grade(zh, "F1 不是准确率和召回率的加权平均。").redFlags()).isEmpty();
        assertThat(new Grader("zh").grade(zh, "F1 并非准确率和召回率的加权平均。").redFlags()).isEmpty();
    }

    @Test
    void aNegationInAnotherClauseDeniesNothing() {
        BankEntry en = BANK.find("concept/evaluation", "en").orElseThrow();
        assertThat(new Grader("en").grade(en, "No, F1 is a weighted average of accuracy and recall.").redFlags()).hasSize(1);
        // The segmenter leaves the "不" of "不变性" on its own here; the comma keeps it out of the next clause.
        BankEntry cnn = BANK.find("concept/cnn", "zh").orElseThrow();
        assertThat(new Grader("zh").grade(cnn, "卷积让 CNN 具有平移不变性，池化减少了参数量。").redFlags())
                .extracting(GradeResult.RaisedFlag::wrong).contains("池化减少了参数量。");
    }

    @Test
    void aChineseAnswerIsGradedAgainstTheChinesePoints() {
        BankEntry zh = BANK.find("concept/regularization", "zh").orElseThrow();
        GradeResult result = new Grader("zh").grade(zh, "L1 正则化把很多权重压到恰好为零，也就是鼓励稀疏。L2 就是权重衰减，把权重往零收缩。L1 惩罚稀疏性。");
        assertThat(result.answerLanguage()).isEqualTo("zh");
        assertThat(result.covered()).extracting(GradeResult.Covered::label)
                .contains("L1 加上绝对值之和，鼓励稀疏，把权重压到恰好为零");
        assertThat(result.missed()).extracting(GradeResult.Missed::sentence).anyMatch(sentence -> sentence.contains("早停"));
        assertThat(result.redFlags()).extracting(GradeResult.RaisedFlag::correction)
                .containsExactly("L1 鼓励稀疏：它把许多权重压到恰好为零。");
        double made = result.covered().stream().mapToDouble(GradeResult.Covered::weight).sum();
        assertThat(result.score()).isEqualTo(Math.round(100f * made / 8) - Grader.RED_FLAG_PENALTY);
    }

    @Test
    void coveredPointsQuoteTheAnswersOwnWordsAndMissedPointsTheEntrysSentence() {
        BankEntry entry = BANK.find("concept/cnn", "en").orElseThrow();
        String answer = "A CNN shares its weights: the same filter slides over the image.";
        GradeResult result = new Grader("en").grade(entry, answer);
        assertThat(result.covered()).isNotEmpty().allSatisfy(point -> assertThat(answer).contains(point.words()));
        assertThat(result.covered()).extracting(GradeResult.Covered::label)
                .contains("Weight sharing, the same filter is used at every position");
        assertThat(result.missed()).extracting(GradeResult.Missed::sentence)
                .contains("CNNs are used wherever data lies on a grid with local structure: images, but also audio, text and time series.");
    }

    @Test
    void aListOfTermsOrALineWithoutAVerbAssertsNothing() {
        BankEntry en = BANK.find("concept/regularization", "en").orElseThrow();
        BankEntry zh = BANK.find("concept/regularization", "zh").orElseThrow();
        assertThat(new Grader("en").grade(en, "L1, L2, dropout, early stopping, weight decay, sparsity, validation set.").score()).isZero();
        assertThat(new Grader("zh").grade(zh, "L1、L2、dropout、早停、权重衰减、稀疏、验证集").score()).isZero();
        // The same words in sentences do make points.
        assertThat(new Grader("en").grade(en, "Dropout switches units off at random during training.").covered())
                .extracting(GradeResult.Covered::label).contains("Dropout switches units off at random during training");
    }

    @Test
    void aNegatedPointIsNotEarnedInEitherLanguage() {
        BankEntry en = BANK.find("concept/cnn", "en").orElseThrow();
        BankEntry zh = BANK.find("concept/cnn", "zh").orElseThrow();
        String shares = "Weight sharing, the same filter is used at every position";
        assertThat(new Grader("en").grade(en, "The same filter is applied at every position of the image.").covered())
                .extracting(GradeResult.Covered::label).contains(shares);
        assertThat(new Grader("en").grade(en, "The same filter is not applied at every position of the image.").covered())
                .extracting(GradeResult.Covered::label).doesNotContain(shares);
        String sharesZh = "权重共享：同一个滤波器在所有位置使用";
        assertThat(new Grader("zh").grade(zh, "同一个卷积核在图像的所有位置上共享。").covered())
                .extracting(GradeResult.Covered::label).contains(sharesZh);
        assertThat(new Grader("zh").grade(zh, "同一个卷积核并没有在图像的所有位置上共享。").covered())
                .extracting(GradeResult.Covered::label).doesNotContain(sharesZh);
    }

    @Test
    void aContraryStatementRaisesItsPointsRedFlagAndNeverEarnsThePoint() {
        BankEntry cnn = BANK.find("concept/cnn", "en").orElseThrow();
        GradeResult pooling = new Grader("en").grade(cnn, "Pooling layers learn their own weights during training.");
        assertThat(pooling.redFlags()).isNotEmpty();
        assertThat(pooling.covered()).extracting(GradeResult.Covered::label)
                .doesNotContain("Pooling has no parameters; it downsamples, cutting activations and compute");
        BankEntry transfer = BANK.find("concept/transfer-learning", "zh").orElseThrow();
        GradeResult fineTuning = new Grader("zh").grade(transfer, "微调的时候要用比预训练更大的学习率，这样模型适应得快。");
        assertThat(fineTuning.redFlags()).isNotEmpty();
        assertThat(fineTuning.covered()).extracting(GradeResult.Covered::label).doesNotContain("微调：用较小的学习率继续训练部分或全部层");
    }

    @Test
    void theAnswersLanguageDecidesTheKeyPointsAndTheEntrysLanguageTheOutput() {
        assertThat(Grader.languageOf("Dropout switches units off during training.", "zh")).isEqualTo("en");
        assertThat(Grader.languageOf("训练时随机关掉一部分神经元（dropout）。", "en")).isEqualTo("zh");
        assertThat(Grader.languageOf("42", "zh")).isEqualTo("zh");
        BankEntry zh = BANK.find("concept/regularization", "zh").orElseThrow();
        GradeResult result = new Grader("zh").grade(zh, "Dropout switches units off at random during training. "
                + "L1 adds the absolute values of the weights and drives many of them to exactly zero.");
        assertThat(result.answerLanguage()).isEqualTo("en");
        assertThat(result.language()).isEqualTo("zh");
        assertThat(result.covered()).extracting(GradeResult.Covered::label) // labels in the output's language
                .contains("Dropout 训练时随机关闭一部分单元");
        assertThat(result.score()).isGreaterThan(20);
    }
}
