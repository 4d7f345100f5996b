package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.data.Vocabulary;
import dlbank.eval.BinaryCurves;
import dlbank.eval.ConfusionMatrix;
import dlbank.eval.Predictions;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.ImdbTraining;
import dlbank.experiment.MnistModels;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.MnistCnn;
import dlbank.model.SavedModel;
import dlbank.model.TextClassifier;
import dlbank.report.Charts;
import dlbank.report.Pictures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How models are evaluated, on real models: the per-class precision, recall and F1, their macro and
 * micro averages and the confusion matrix of task/mnist-cnn's CNN on the MNIST test set; ROC and PR
 * curves with their areas for an LSTM sentiment classifier on IMDb, on the balanced test set and on
 * one cut down to 5% positives, where ROC and PR part ways (Davis &amp; Goadrich, 2006).
 */
public final class EvaluationLab implements Experiment {

    public static final String ID = "lab/evaluation";
    /** The share of positives kept in the imbalanced version of the IMDb test set. */
    static final double RARE_SHARE = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "precision, recall, F1 (macro and micro), confusion matrix on MNIST; ROC and PR curves on IMDb";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/evaluation");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        boolean quick = context.quick();
        Result.Builder result = Result.builder();
        ConfusionMatrix digits = mnist(context, result);
        double[] harmonic = harmonicChecks(digits);
        context.info(table(digits));

        ImdbTraining.Data data = ImdbTraining.prepare(context, new ImdbTraining.Encoding(Vocabulary.DEFAULT_MAX_WORDS,
                100, Vocabulary.Truncation.KEEP_LAST, quick ? 40 : 2_500));
        ImdbTraining.Training training = new ImdbTraining.Training(context.config().epochsOr(quick ? 2 : 4),
                context.config().batchSizeOr(quick ? 32 : 64), 1e-3f, 1f);
        result.config("imdb_model", "LSTM (embedding 16, 32 units, mean over tokens), 100 tokens per review")
                .config("imdb_split", data.splitDescription()).config("imdb_epochs", training.epochs());
        float[] scores;
        try (ImdbTraining.Trained trained = ImdbTraining.train(context, data, new TextClassifier.Config(
                TextClassifier.Cell.LSTM, TextClassifier.Pooling.MEAN, data.vocabulary().size(), 16, 32), training, "imdb")) {
            scores = trained.testProbabilities();
        }
        boolean[] positive = new boolean[scores.length];
        for (int i = 0; i < positive.length; i++) {
            positive[i] = data.test().labels()[i] == 1;
        }
        Binary balanced = binary(scores, positive);
        Binary rare = rare(scores, positive, context.config().seed());
        result.metric("roc_auc", balanced.rocAuc()).metric("pr_auc", balanced.averagePrecision())
                .metric("positive_share", balanced.positiveShare()).metric("rank_auc", balanced.rankAuc())
                .metric("roc_auc_rare_positives", rare.rocAuc()).metric("pr_auc_rare_positives", rare.averagePrecision())
                .metric("positive_share_rare", rare.positiveShare())
                .metric("always_negative_accuracy_rare", 1 - rare.positiveShare());
        context.info(String.format("IMDb test set: ROC-AUC %.4f, average precision %.4f (positives %.1f%%); with "
                        + "positives cut to %.0f%%: ROC-AUC %.4f, average precision %.4f", balanced.rocAuc(),
                balanced.averagePrecision(), 100 * balanced.positiveShare(), 100 * RARE_SHARE, rare.rocAuc(),
                rare.averagePrecision()));
        plotCurves(context, result, scores, positive, rare);
        addClaims(result, quick, digits, harmonic, balanced, rare);
        return result.build();
    }

    /** task/mnist-cnn's saved model (trained first if there is none) on the MNIST test set. */
    private static ConfusionMatrix mnist(RunContext context, Result.Builder result) throws Exception {
        MnistModels.Source source = MnistModels.require(context);
        source.reportTo(result);
        java.nio.file.Path modelDir = source.modelDir();
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(context.quick() ? 1_000 : 10_000);
        int[] predicted;
        try (Model model = SavedModel.load(modelDir, MnistCnnTask.ARCHITECTURE, MnistCnn::build, context.device());
             NDManager manager = model.getNDManager().newSubManager()) {
            predicted = Predictions.argmax(Predictions.probabilities(model.getBlock(), manager, test.images(manager), 1_000));
        }
        int[] actual = new int[test.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = test.label(i);
        }
        ConfusionMatrix matrix = ConfusionMatrix.of(actual, predicted, 10);
        result.config("mnist_model", modelDir.toString()).config("mnist_test_images", test.size());
        result.metric("accuracy", matrix.accuracy()).metric("macro_precision", matrix.macroPrecision())
                .metric("macro_recall", matrix.macroRecall()).metric("macro_f1", matrix.macroF1())
                .metric("micro_precision", matrix.microPrecision()).metric("micro_recall", matrix.microRecall())
                .metric("micro_f1", matrix.microF1()).metric("weighted_f1", matrix.weightedF1());
        for (int c = 0; c < 10; c++) {
            result.metric("precision_" + c, matrix.precision(c)).metric("recall_" + c, matrix.recall(c))
                    .metric("f1_" + c, matrix.f1(c));
        }
        Pictures.confusionMatrix(context.file("confusion_matrix.png"),
                "task/mnist-cnn on the MNIST test set: true (rows) vs predicted (columns)", matrix.counts());
        result.artifact("confusion_matrix.png");
        return matrix;
    }

    /**
     * {largest |F1 − 2PR/(P+R)|, largest |F1 − 2TP/(2TP+FP+FN)|, largest F1 − (P+R)/2} over the
     * classes: F1 from the counts, checked against the harmonic and the arithmetic mean of P and R.
     */
    private static double[] harmonicChecks(ConfusionMatrix matrix) {
        double[] checks = {0, 0, Double.NEGATIVE_INFINITY};
        for (int c = 0; c < matrix.classes(); c++) {
            double p = matrix.precision(c);
            double r = matrix.recall(c);
            double tp = matrix.truePositives(c);
            double denominator = 2 * tp + matrix.falsePositives(c) + matrix.falseNegatives(c);
            double fromCounts = denominator == 0 ? 0 : 2 * tp / denominator;
            double harmonic = p + r == 0 ? 0 : 2 * p * r / (p + r);
            checks[0] = Math.max(checks[0], Math.abs(fromCounts - harmonic));
            checks[1] = Math.max(checks[1], Math.abs(matrix.f1(c) - fromCounts));
            checks[2] = Math.max(checks[2], matrix.f1(c) - (p + r) / 2);
        }
        return checks;
    }

    private static String table(ConfusionMatrix matrix) {
        StringBuilder table = new StringBuilder("digit  precision  recall  f1      support");
        for (int c = 0; c < matrix.classes(); c++) {
            table.append(String.format("%n    %d     %.4f  %.4f  %.4f  %5d", c, matrix.precision(c), matrix.recall(c),
                    matrix.f1(c), matrix.support(c)));
        }
        return table.append(String.format("%nmacro     %.4f  %.4f  %.4f%nmicro     %.4f  %.4f  %.4f  (accuracy %.4f)",
                matrix.macroPrecision(), matrix.macroRecall(), matrix.macroF1(), matrix.microPrecision(),
                matrix.microRecall(), matrix.microF1(), matrix.accuracy())).toString();
    }

    /** A binary scorer's areas on one test set. */
    private record Binary(double rocAuc, double rankAuc, double averagePrecision, double positiveShare,
                          float[] scores, boolean[] labels) {}

    private static Binary binary(float[] scores, boolean[] labels) {
        long positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        return new Binary(BinaryCurves.rocAuc(scores, labels), BinaryCurves.rankAuc(scores, labels),
                BinaryCurves.averagePrecision(scores, labels), (double) positives / labels.length, scores, labels);
    }

    /** Every negative review and a seeded random sample of the positive ones, so that positives are 5%. */
    private static Binary rare(float[] scores, boolean[] labels, long seed) {
        List<Integer> positives = new java.util.ArrayList<>();
        List<Integer> negatives = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            (labels[i] ? positives : negatives).add(i);
        }
        java.util.Collections.shuffle(positives, new Random(seed));
        int keep = Math.max(1, (int) Math.round(negatives.size() * RARE_SHARE / (1 - RARE_SHARE)));
        List<Integer> kept = new java.util.ArrayList<>(negatives);
        kept.addAll(positives.subList(0, Math.min(keep, positives.size())));
        float[] keptScores = new float[kept.size()];
        boolean[] keptLabels = new boolean[kept.size()];
        for (int i = 0; i < keptScores.length; i++) {
            keptScores[i] = scores[kept.get(i)];
            keptLabels[i] = labels[kept.get(i)];
        }
        return binary(keptScores, keptLabels);
    }

    private static void plotCurves(RunContext context, Result.Builder result, float[] scores, boolean[] labels,
                                   Binary rare) {
        Map<String, Charts.Series> roc = new LinkedHashMap<>();
        Map<String, Charts.Series> pr = new LinkedHashMap<>();
        BinaryCurves.Curve balancedRoc = BinaryCurves.roc(scores, labels);
        BinaryCurves.Curve rareRoc = BinaryCurves.roc(rare.scores(), rare.labels());
        roc.put("test set, 50% positive", new Charts.Series(balancedRoc.x(), balancedRoc.y()));
        roc.put("positives cut to 5%", new Charts.Series(rareRoc.x(), rareRoc.y()));
        BinaryCurves.Curve balancedPr = BinaryCurves.precisionRecall(scores, labels);
        BinaryCurves.Curve rarePr = BinaryCurves.precisionRecall(rare.scores(), rare.labels());
        pr.put("test set, 50% positive", new Charts.Series(balancedPr.x(), balancedPr.y()));
        pr.put("positives cut to 5%", new Charts.Series(rarePr.x(), rarePr.y()));
        Charts.curves(context.file("roc.png"), "IMDb sentiment LSTM: ROC curves", "false positive rate",
                "true positive rate (recall)", roc, true);
        Charts.curves(context.file("pr.png"), "IMDb sentiment LSTM: precision-recall curves", "recall", "precision",
                pr, false);
        result.artifact("roc.png").artifact("pr.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, ConfusionMatrix digits, double[] harmonic,
                                  Binary balanced, Binary rare) {
        result.claim(Claim.check("F1 is the harmonic mean of precision and recall: for every digit, F1 = 2PR/(P+R) = "
                        + "2TP/(2TP+FP+FN), never above the arithmetic mean (P+R)/2",
                "F1 是精确率和召回率的调和平均：对每个数字，F1 = 2PR/(P+R) = 2TP/(2TP+FP+FN)，且从不高于算术平均 (P+R)/2",
                harmonic[0] < 1e-12 && harmonic[1] < 1e-12 && harmonic[2] <= 1e-12,
                Claim.values("max_difference_harmonic", harmonic[0], "max_difference_counts", harmonic[1],
                        "max_f1_minus_arithmetic_mean", harmonic[2])));
        double micro = Math.max(Math.abs(digits.microPrecision() - digits.accuracy()),
                Math.max(Math.abs(digits.microRecall() - digits.accuracy()), Math.abs(digits.microF1() - digits.accuracy())));
        result.claim(Claim.check("In single-label classification micro-averaged precision, recall and F1 all equal "
                        + "the accuracy; the macro average weighs every digit the same instead",
                "单标签分类中，微平均的精确率、召回率和 F1 都等于准确率；宏平均则让每个数字的权重相同",
                micro < 1e-12, Claim.values("accuracy", digits.accuracy(), "micro_f1", digits.microF1(),
                        "macro_f1", digits.macroF1(), "max_micro_minus_accuracy", micro)));
        result.claim(Claim.checkUnlessQuick(quick, "The IMDb model's ROC-AUC sits well above the 0.5 of random ranking "
                        + "(at least 0.85) and its average precision well above the share of positives (by at least 0.3)",
                "IMDb 模型的 ROC-AUC 远高于随机排序的 0.5（至少 0.85），平均精确率也远高于正例比例（至少高 0.3）",
                balanced.rocAuc() >= 0.85 && balanced.averagePrecision() >= balanced.positiveShare() + 0.3,
                Claim.values("roc_auc", balanced.rocAuc(), "average_precision", balanced.averagePrecision(),
                        "positive_share", balanced.positiveShare())));
        result.claim(Claim.check("ROC-AUC is the probability that a random positive outranks a random negative: "
                        + "the area by trapezoids equals the Mann-Whitney rank statistic",
                "ROC-AUC 是随机正例得分高于随机负例的概率：梯形法算出的面积等于 Mann-Whitney 秩统计量",
                Math.abs(balanced.rocAuc() - balanced.rankAuc()) < 1e-9,
                Claim.values("roc_auc", balanced.rocAuc(), "rank_auc", balanced.rankAuc())));
        result.claim(Claim.checkUnlessQuick(quick, "ROC ignores class proportions, precision does not: with positives "
                        + "cut to 5%, ROC-AUC stays within 0.02 while average precision falls by more than 0.2, and "
                        + "always answering negative scores 95% accuracy with zero recall",
                "ROC 不受类别比例影响，精确率却受影响：把正例减到 5% 后，ROC-AUC 变化不超过 0.02，平均精确率却下降超过 0.2，"
                        + "而把所有样本都判为负例就能得到 95% 的准确率，召回率却为零",
                Math.abs(rare.rocAuc() - balanced.rocAuc()) <= 0.02
                        && rare.averagePrecision() < balanced.averagePrecision() - 0.2,
                Claim.values("roc_auc", balanced.rocAuc(), "roc_auc_rare", rare.rocAuc(), "average_precision",
                        balanced.averagePrecision(), "average_precision_rare", rare.averagePrecision(),
                        "always_negative_accuracy_rare", 1 - rare.positiveShare())));
    }
}
