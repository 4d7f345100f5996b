package dlbank.experiment.task;

import dlbank.UserException;
import dlbank.data.Vocabulary;
import dlbank.eval.BinaryCurves;
import dlbank.eval.ConfusionMatrix;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.ImdbTraining;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.SentimentModel;
import dlbank.model.TextClassifier;
import dlbank.model.TextClassifier.Cell;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bank's IMDb task: the whole text pipeline (clean, tokenise, a 10,000-word vocabulary from the
 * training reviews, pad or cut to 100 ids), then the specified SimpleRNN (embedding 10000x16,
 * 50 units, one sigmoid output) and the same model with an LSTM, a GRU and a bidirectional LSTM in
 * its place, each measured on the test reviews. The model with the best validation accuracy is saved
 * for {@code predict}.
 */
public final class ImdbRnnTask implements Experiment {

    public static final String ID = "task/imdb-rnn";

    /** The task's sizes, and the training that goes with them. */
    record Settings(ImdbTraining.Encoding encoding, ImdbTraining.Training training, int embedding, int hidden,
                    TextClassifier.Pooling pooling, float dropout) {
        static Settings of(RunContext context) {
            boolean quick = context.quick();
            var config = context.config();
            // Keep the last tokens: a review's verdict tends to come at its end (and Keras' pad_sequences
            // keeps the last ones too). 2,500 of the 25,000 training reviews pick the best epoch.
            ImdbTraining.Encoding encoding = new ImdbTraining.Encoding(
                    config.intOption("words", Vocabulary.DEFAULT_MAX_WORDS, 100, 200_000),
                    config.intOption("length", 100, 1, 2_000), Vocabulary.Truncation.KEEP_LAST, quick ? 40 : 2_500);
            // Ten epochs: the gated cells' validation loss bottoms out after 3-5 and the best epoch is
            // kept; the SimpleRNN learns more slowly and was still improving at 8.
            String keepBest = config.option("keep-best", "loss");
            if (!keepBest.equals("loss") && !keepBest.equals("accuracy")) {
                throw UserException.usage("error.imdb.keep-best", keepBest);
            }
            ImdbTraining.Training training = new ImdbTraining.Training(config.epochsOr(quick ? 2 : 10),
                    config.batchSizeOr(quick ? 32 : 64), (float) config.doubleOption("learning-rate", 1e-3, 1e-6, 1), 1f,
                    keepBest.equals("accuracy"));
            TextClassifier.Pooling pooling;
            try {
                pooling = TextClassifier.Pooling.parse(config.option("pooling", "last"));
            } catch (IllegalArgumentException e) {
                throw UserException.usage("error.imdb.pooling", config.option("pooling", ""));
            }
            return new Settings(encoding, training, config.intOption("embedding", 16, 1, 1_024),
                    config.intOption("hidden", 50, 1, 1_024), pooling, (float) config.doubleOption("dropout", 0, 0, 0.9));
        }

        boolean specified() {
            return encoding.length() == 100 && encoding.words() == Vocabulary.DEFAULT_MAX_WORDS && embedding == 16
                    && hidden == 50 && pooling == TextClassifier.Pooling.LAST && dropout == 0
                    && training.learningRate() == 1e-3f && !training.bestByAccuracy();
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "IMDb sentiment: text pipeline, SimpleRNN as specified vs LSTM, GRU, BiLSTM; predict";
    }

    @Override
    public List<String> questions() {
        return List.of("task/imdb-rnn", "concept/rnn", "concept/evaluation");
    }

    @Override
    public Set<String> options() {
        return Set.of("cell", "length", "pooling", "embedding", "hidden", "dropout", "words", "learning-rate", "keep-best");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        List<Cell> cells = cells(context.config().option("cell", "all"));
        Result.Builder result = Result.builder()
                .config("cells", cells.stream().map(Cell::id).toList())
                .config("length", settings.encoding().length()).config("truncation", "keep the last tokens")
                .config("vocabulary_words", settings.encoding().words())
                .config("embedding", settings.embedding()).config("hidden", settings.hidden())
                .config("pooling", settings.pooling().id()).config("dropout", settings.dropout())
                .config("best_epoch_by", settings.training().bestByAccuracy() ? "validation accuracy" : "validation loss")
                .config("epochs", settings.training().epochs())
                .config("batch_size", settings.training().batchSize())
                .config("learning_rate", settings.training().learningRate())
                .config("optimizer", "adam, gradient values clipped to [-1, 1], the epoch with the lowest validation loss kept");
        ImdbTraining.Data data = ImdbTraining.prepare(context, settings.encoding());
        result.config("split", data.splitDescription())
                .config("train_reviews", data.train().size()).config("validation_reviews", data.validation().size())
                .config("test_reviews", data.test().size());

        Map<Cell, CellOutcome> outcomes = new LinkedHashMap<>();
        List<ImdbTraining.Trained> trained = new ArrayList<>();
        try {
            for (Cell cell : cells) {
                context.info("== " + cell.id() + ": embedding " + settings.embedding() + ", " + settings.hidden()
                        + " units, " + settings.pooling().id() + " pooling"
                        + (settings.dropout() > 0 ? ", dropout " + settings.dropout() : ""));
                TextClassifier.Config config = new TextClassifier.Config(cell, settings.pooling(),
                        data.vocabulary().size(), settings.embedding(), settings.hidden(), settings.dropout());
                ImdbTraining.Trained model = ImdbTraining.train(context, data, config, settings.training(), cell.id());
                trained.add(model);
                outcomes.put(cell, CellOutcome.of(model, data.test().labels()));
            }
            Cell best = outcomes.entrySet().stream()
                    .max((a, b) -> Double.compare(a.getValue().validationAccuracy(), b.getValue().validationAccuracy()))
                    .orElseThrow().getKey();
            ImdbTraining.Trained bestModel = trained.get(cells.indexOf(best));
            SentimentModel.save(bestModel.model(), context.outputDir().resolve("model"), data.vocabulary(),
                    new SentimentModel.Encoding(settings.encoding().length(), settings.encoding().truncation()),
                    bestModel.parameters());
            result.artifact("model/").config("best_model", best.id() + " (highest validation accuracy)");
            report(context, result, outcomes, best);
            addClaims(result, context.quick(), settings, data, outcomes);
        } finally {
            trained.forEach(ImdbTraining.Trained::close);
        }
        return result.build();
    }

    static List<Cell> cells(String option) {
        if (option.equalsIgnoreCase("all")) {
            return List.of(Cell.values());
        }
        try {
            return List.of(Cell.parse(option));
        } catch (IllegalArgumentException e) {
            throw UserException.usage("error.imdb.cell", option);
        }
    }

    /** What one trained model measured on the test reviews. */
    record CellOutcome(ImdbTraining.Trained trained, ConfusionMatrix confusion, BinaryCurves.Curve roc,
                       BinaryCurves.Curve pr, double rocAuc, double prAuc, double validationAccuracy) {
        static CellOutcome of(ImdbTraining.Trained trained, float[] labels) {
            float[] scores = trained.testProbabilities();
            int[] actual = new int[labels.length];
            int[] predicted = new int[labels.length];
            boolean[] positive = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                actual[i] = (int) labels[i];
                positive[i] = labels[i] == 1;
                predicted[i] = scores[i] > 0.5f ? 1 : 0;
            }
            return new CellOutcome(trained, ConfusionMatrix.of(actual, predicted, 2), BinaryCurves.roc(scores, positive),
                    BinaryCurves.precisionRecall(scores, positive), BinaryCurves.rocAuc(scores, positive),
                    BinaryCurves.averagePrecision(scores, positive), trained.validationAccuracy());
        }

        double accuracy() {
            return confusion.accuracy();
        }
    }

    private static void report(RunContext context, Result.Builder result, Map<Cell, CellOutcome> outcomes, Cell best) {
        boolean several = outcomes.size() > 1;
        StringBuilder table = new StringBuilder(String.format("%-7s %9s %10s %8s %9s %7s %7s %7s %8s %7s %8s%n",
                "cell", "params", "best epoch", "val_acc", "test_acc", "prec", "recall", "f1", "roc_auc", "pr_auc",
                "train_s"));
        Map<String, Charts.Series> rocs = new LinkedHashMap<>();
        Map<String, Charts.Series> prs = new LinkedHashMap<>();
        // The headline first: the saved model's accuracy, then each model's.
        result.metric("test_accuracy", outcomes.get(best).accuracy());
        if (several) {
            outcomes.forEach((cell, outcome) -> result.metric("test_accuracy_" + cell.id(), outcome.accuracy()));
        }
        for (Map.Entry<Cell, CellOutcome> entry : outcomes.entrySet()) {
            String suffix = several ? "_" + entry.getKey().id() : "";
            CellOutcome o = entry.getValue();
            FitLoop.Outcome fit = o.trained().outcome();
            result.metric("precision" + suffix, o.confusion().precision(1))
                    .metric("recall" + suffix, o.confusion().recall(1))
                    .metric("f1" + suffix, o.confusion().f1(1))
                    .metric("roc_auc" + suffix, o.rocAuc()).metric("pr_auc" + suffix, o.prAuc())
                    .metric("validation_accuracy" + suffix, o.validationAccuracy())
                    .metric("best_epoch" + suffix, fit.bestEpoch())
                    .metric("parameters" + suffix, o.trained().parameters())
                    .metric("train_seconds" + suffix, o.trained().trainSeconds());
            table.append(String.format("%-7s %,9d %10d %8.4f %9.4f %7.4f %7.4f %7.4f %8.4f %7.4f %8.1f%n",
                    entry.getKey().id(), o.trained().parameters(), fit.bestEpoch(), o.validationAccuracy(),
                    o.accuracy(), o.confusion().precision(1), o.confusion().recall(1), o.confusion().f1(1), o.rocAuc(),
                    o.prAuc(), o.trained().trainSeconds()));
            rocs.put(entry.getKey().id() + String.format(" (AUC %.3f)", o.rocAuc()), new Charts.Series(o.roc().x(), o.roc().y()));
            prs.put(entry.getKey().id() + String.format(" (AP %.3f)", o.prAuc()), new Charts.Series(o.pr().x(), o.pr().y()));
        }
        table.append("saved for predict: ").append(best.id()).append(" (highest validation accuracy)");
        context.info(table.toString());
        Charts.curves(context.file("roc.png"), "ROC on the test reviews", "false positive rate", "true positive rate",
                rocs, true);
        Charts.curves(context.file("pr.png"), "precision-recall on the test reviews", "recall", "precision", prs, false);
        result.artifact("roc.png").artifact("pr.png");
        history(result, outcomes, several);
    }

    /** One row per epoch; with several cells, each cell's figures in its own columns. */
    private static void history(Result.Builder result, Map<Cell, CellOutcome> outcomes, boolean several) {
        int epochs = outcomes.values().stream().mapToInt(o -> o.trained().outcome().history().size()).max().orElse(0);
        for (int e = 0; e < epochs; e++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e + 1);
            for (Map.Entry<Cell, CellOutcome> entry : outcomes.entrySet()) {
                List<FitLoop.EpochStats> history = entry.getValue().trained().outcome().history();
                if (e < history.size()) {
                    Map<String, Object> stats = history.get(e).toRow();
                    stats.remove("epoch");
                    stats.forEach((key, value) -> row.put(several ? key + "_" + entry.getKey().id() : key, value));
                }
            }
            result.historyRow(row);
        }
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings settings, ImdbTraining.Data data,
                                  Map<Cell, CellOutcome> outcomes) {
        var stats = data.stats();
        int length = settings.encoding().length();
        result.claim(Claim.check(String.format("The pipeline turns every review into exactly %d ids: its first "
                                + "min(tokens, %d) positions hold ids of the %,d-word vocabulary or unknown, the rest padding",
                        length, length, data.vocabulary().size() - 2),
                String.format("数据管道把每条评论变成正好 %d 个 id：前 min(词数, %d) 个位置是 %,d 词词表中的 id 或“未知”，其余是填充",
                        length, length, data.vocabulary().size() - 2),
                stats.malformedRows() == 0 && stats.idsOutOfRange() == 0,
                Claim.values("reviews", stats.rows(), "malformed_rows", stats.malformedRows(),
                        "ids_out_of_range", stats.idsOutOfRange(),
                        "unknown_token_share", (double) stats.unknownTokens() / Math.max(1, stats.realTokens()),
                        "truncated_share", (double) stats.truncatedRows() / stats.rows())));
        CellOutcome simple = outcomes.get(Cell.SIMPLE);
        if (simple != null) {
            result.claim(Claim.checkUnlessQuick(quick,
                    "The SimpleRNN is well above the 50% chance level (at least 70%) on the test reviews",
                    "SimpleRNN 在测试评论上远高于 50% 的随机水平（至少 70%）",
                    simple.accuracy() >= 0.70, Claim.values("test_accuracy_simple", simple.accuracy())));
        }
        CellOutcome lstm = outcomes.get(Cell.LSTM);
        CellOutcome gru = outcomes.get(Cell.GRU);
        if (lstm != null && gru != null) {
            String text = "At length 100 with the task's sizes, the LSTM and the GRU each reach at least 82% test accuracy";
            String textZh = "在长度 100、题目规定的尺寸下，LSTM 和 GRU 的测试准确率都至少 82%";
            Map<String, Double> measured = Claim.values("test_accuracy_lstm", lstm.accuracy(),
                    "test_accuracy_gru", gru.accuracy());
            if (!quick && !settings.specified()) {
                result.claim(Claim.notChecked(text, textZh, measured, "not checked: this run changed length, sizes, vocabulary, pooling, dropout or the epoch kept",
                        "未检验：本次运行改了长度、尺寸、词表大小、池化方式、dropout 或保留的轮次"));
            } else {
                result.claim(Claim.checkUnlessQuick(quick, text, textZh,
                        lstm.accuracy() >= 0.82 && gru.accuracy() >= 0.82, measured));
            }
            if (simple != null) {
                result.claim(Claim.checkUnlessQuick(quick,
                        "The gated cells (LSTM, GRU) beat the SimpleRNN on the same reviews",
                        "带门控的单元（LSTM、GRU）在同样的评论上胜过 SimpleRNN",
                        Math.min(lstm.accuracy(), gru.accuracy()) > simple.accuracy(),
                        Claim.values("test_accuracy_simple", simple.accuracy(), "test_accuracy_lstm", lstm.accuracy(),
                                "test_accuracy_gru", gru.accuracy())));
            }
        }
    }
}
