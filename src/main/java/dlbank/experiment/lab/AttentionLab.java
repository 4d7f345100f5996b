package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dlbank.data.EncodedReviews;
import dlbank.data.Vocabulary;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.ImdbTraining;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.TextClassifier;
import dlbank.model.TextClassifier.Pooling;
import dlbank.report.Pictures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Attention pooling vs mean pooling over an LSTM's states on IMDb (Bahdanau, Cho &amp; Bengio, 2015;
 * the scaled dot-product form of Vaswani et al., 2017): both test accuracies, which words each review
 * attends to (a heat map), and whether those are the sentiment-bearing words.
 */
public final class AttentionLab implements Experiment {

    public static final String ID = "lab/attention";
    /** Words per review counted as "most attended". */
    private static final int TOP = 5;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "attention pooling vs mean pooling on IMDb; per-word attention heat map";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/attention");
    }

    @Override
    public Result run(RunContext context) {
        boolean quick = context.quick();
        int length = 200;
        int embedding = quick ? 16 : 32;
        int hidden = quick ? 16 : 64;
        ImdbTraining.Training training = new ImdbTraining.Training(context.config().epochsOr(quick ? 2 : 5),
                context.config().batchSizeOr(quick ? 32 : 64), 1e-3f, 1f);
        Result.Builder result = Result.builder().config("cell", "lstm").config("length", length)
                .config("embedding", embedding).config("hidden", hidden).config("epochs", training.epochs());
        ImdbTraining.Data data = ImdbTraining.prepare(context, new ImdbTraining.Encoding(Vocabulary.DEFAULT_MAX_WORDS,
                length, Vocabulary.Truncation.KEEP_LAST, quick ? 40 : 2_500));
        result.config("split", data.splitDescription());

        double meanAccuracy;
        try (ImdbTraining.Trained mean = train(context, data, Pooling.MEAN, embedding, hidden, training)) {
            meanAccuracy = accuracy(mean.testProbabilities(), data.test().labels());
        }
        try (ImdbTraining.Trained attention = train(context, data, Pooling.ATTENTION, embedding, hidden, training)) {
            double attentionAccuracy = accuracy(attention.testProbabilities(), data.test().labels());
            float[][] weights = weights(attention, data.test());
            Set<Integer> polar = polarWords(data.train(), 300);
            double[] shares = polarShares(data.test(), weights, polar);
            double[] checks = weightChecks(data.test(), weights);
            result.metric("test_accuracy_mean", meanAccuracy).metric("test_accuracy_attention", attentionAccuracy)
                    .metric("polar_share_top" + TOP, shares[0]).metric("polar_share_all_tokens", shares[1])
                    .metric("max_weight_sum_error", checks[0]).metric("max_padding_weight", checks[1]);
            context.info(String.format("test accuracy: mean pooling %.4f, attention pooling %.4f; strongly polar "
                    + "words make up %.1f%% of the %d most attended tokens per review and %.1f%% of all tokens",
                    meanAccuracy, attentionAccuracy, 100 * shares[0], TOP, 100 * shares[1]));
            heatMap(context, data, weights, attention.testProbabilities());
            result.artifact("attention_heatmap.png");
            addClaims(result, quick, meanAccuracy, attentionAccuracy, shares, checks);
        }
        return result.build();
    }

    private static ImdbTraining.Trained train(RunContext context, ImdbTraining.Data data, Pooling pooling, int embedding,
                                              int hidden, ImdbTraining.Training training) {
        context.info("== lstm with " + pooling.id() + " pooling");
        return ImdbTraining.train(context, data, new TextClassifier.Config(TextClassifier.Cell.LSTM, pooling,
                data.vocabulary().size(), embedding, hidden), training, pooling.id());
    }

    private static double accuracy(float[] positive, float[] labels) {
        long correct = IntStream.range(0, labels.length).filter(i -> (positive[i] > 0.5f) == (labels[i] == 1)).count();
        return (double) correct / labels.length;
    }

    /** The attention weight of every position of every test review, (N, length). */
    private static float[][] weights(ImdbTraining.Trained trained, EncodedReviews test) {
        TextClassifier block = (TextClassifier) trained.model().getBlock();
        float[][] weights = new float[test.size()][];
        try (NDManager manager = trained.model().getNDManager().newSubManager()) {
            NDArray ids = test.ids(manager);
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < test.size(); from += 500) {
                int to = Math.min(test.size(), from + 500);
                try (NDManager batch = manager.newSubManager()) {
                    NDList out = block.logitAndWeights(store, ids.get(batch, new NDIndex().addSliceDim(from, to)), false);
                    float[] flat = out.get(1).toFloatArray();
                    for (int i = from; i < to; i++) {
                        weights[i] = java.util.Arrays.copyOfRange(flat, (i - from) * test.length(), (i - from + 1) * test.length());
                    }
                }
            }
        }
        return weights;
    }

    /**
     * The {@code count} words whose share of positive training reviews is furthest from even (by
     * smoothed log-odds, among words in at least 30 reviews): a lexicon learned from the training
     * labels only, independent of either model.
     */
    static Set<Integer> polarWords(EncodedReviews train, int count) {
        int vocabulary = IntStream.of(train.ids()).max().orElse(1) + 1;
        int[] positive = new int[vocabulary];
        int[] negative = new int[vocabulary];
        for (int i = 0; i < train.size(); i++) {
            Set<Integer> seen = new HashSet<>();
            for (int t = 0; t < train.length(); t++) {
                int id = train.ids()[i * train.length() + t];
                if (id > Vocabulary.UNKNOWN && seen.add(id)) {
                    (train.labels()[i] == 1 ? positive : negative)[id]++;
                }
            }
        }
        return IntStream.range(Vocabulary.UNKNOWN + 1, vocabulary).filter(id -> positive[id] + negative[id] >= 30).boxed()
                .sorted(Comparator.comparingDouble(id -> -Math.abs(Math.log((positive[id] + 1.0) / (negative[id] + 1.0)))))
                .limit(count).collect(java.util.stream.Collectors.toSet());
    }

    /** {share of polar words among each review's TOP most attended tokens, share among all real tokens}. */
    private static double[] polarShares(EncodedReviews test, float[][] weights, Set<Integer> polar) {
        long topPolar = 0;
        long topAll = 0;
        long allPolar = 0;
        long all = 0;
        for (int i = 0; i < test.size(); i++) {
            int real = Vocabulary.realLength(java.util.Arrays.copyOfRange(test.ids(), i * test.length(), (i + 1) * test.length()));
            if (real < 2 * TOP) {
                continue;
            }
            final int row = i;
            int[] order = IntStream.range(0, real).boxed()
                    .sorted(Comparator.comparingDouble(t -> -weights[row][t])).mapToInt(Integer::intValue).toArray();
            for (int k = 0; k < TOP; k++) {
                topPolar += polar.contains(test.ids()[i * test.length() + order[k]]) ? 1 : 0;
                topAll++;
            }
            for (int t = 0; t < real; t++) {
                allPolar += polar.contains(test.ids()[i * test.length() + t]) ? 1 : 0;
                all++;
            }
        }
        return new double[] {(double) topPolar / Math.max(1, topAll), (double) allPolar / Math.max(1, all)};
    }

    /** {largest |sum of a review's weights - 1|, largest weight on a padding position}. */
    private static double[] weightChecks(EncodedReviews test, float[][] weights) {
        double sumError = 0;
        double padding = 0;
        for (int i = 0; i < test.size(); i++) {
            double sum = 0;
            for (int t = 0; t < test.length(); t++) {
                sum += weights[i][t];
                if (test.ids()[i * test.length() + t] == Vocabulary.PADDING) {
                    padding = Math.max(padding, weights[i][t]);
                }
            }
            sumError = Math.max(sumError, Math.abs(sum - 1));
        }
        return new double[] {sumError, padding};
    }

    /** The shortest test reviews of 25 words or more, three of each label, with their words shaded. */
    private static void heatMap(RunContext context, ImdbTraining.Data data, float[][] weights, float[] positive) {
        EncodedReviews test = data.test();
        List<Pictures.WeightedText> texts = new ArrayList<>();
        for (float label : new float[] {1, 0}) {
            IntStream.range(0, test.size())
                    .filter(i -> test.labels()[i] == label && test.tokenCounts()[i] >= 25 && test.tokenCounts()[i] <= test.length())
                    .boxed().sorted(Comparator.comparingInt(i -> test.tokenCounts()[i])).limit(3)
                    .forEach(i -> {
                        List<String> words = new ArrayList<>();
                        float[] shown = new float[test.tokenCounts()[i]];
                        for (int t = 0; t < shown.length; t++) {
                            words.add(data.vocabulary().word(test.ids()[i * test.length() + t]));
                            shown[t] = weights[i][t];
                        }
                        texts.add(new Pictures.WeightedText(String.format("test review %d: %s, p(positive) = %.3f",
                                i, label == 1 ? "positive" : "negative", positive[i]), words, shown));
                    });
        }
        Pictures.weightedWords(context.file("attention_heatmap.png"),
                "attention weight per word (darker = more weight; <unk> = not in the vocabulary)", texts);
    }

    private static void addClaims(Result.Builder result, boolean quick, double meanAccuracy, double attentionAccuracy,
                                  double[] shares, double[] checks) {
        result.claim(Claim.check("The attention weights are computed from each review, not stored as parameters: "
                        + "they sum to 1 over its real tokens and padding gets none",
                "注意力权重是根据每条评论算出来的，不是存下来的参数：它们在真实词上加起来等于 1，填充位置为 0",
                checks[0] < 1e-4 && checks[1] < 1e-6,
                Claim.values("max_weight_sum_error", checks[0], "max_padding_weight", checks[1])));
        result.claim(Claim.checkUnlessQuick(quick, "Attention pooling reaches the test accuracy of mean pooling, "
                        + "within one point",
                "注意力池化的测试准确率与平均池化相当（相差不超过 1 个百分点）",
                attentionAccuracy >= meanAccuracy - 0.01,
                Claim.values("test_accuracy_mean", meanAccuracy, "test_accuracy_attention", attentionAccuracy)));
        result.claim(Claim.checkUnlessQuick(quick, "The most attended words carry the sentiment: strongly polar words "
                        + "are at least twice as common among each review's " + TOP + " highest-weighted tokens as among all its tokens",
                "注意力最集中的是带情感的词：在每条评论权重最高的 " + TOP + " 个词中，强极性词的比例至少是全部词中的两倍",
                shares[0] >= 2 * shares[1],
                Claim.values("polar_share_top" + TOP, shares[0], "polar_share_all_tokens", shares[1])));
    }
}
