package dlbank.experiment.lab;

import dlbank.data.BytePairEncoding;
import dlbank.data.ImdbDataset.Review;
import dlbank.data.ImdbSplit;
import dlbank.data.TextTokenizer;
import dlbank.data.Vocabulary;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.SkipGram;
import dlbank.report.Charts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Subword tokenization and word embeddings on IMDb: byte-level BPE learned at three vocabulary sizes
 * (tokens per review, and the unknown words a word vocabulary of the same size leaves), and word2vec
 * skip-gram with negative sampling (nearest neighbours of sentiment words, a small analogy set).
 */
public final class TokenizationEmbeddingsLab implements Experiment {

    public static final String ID = "lab/tokenization-embeddings";

    /** Words queried for neighbours: five of each polarity. */
    static final List<String> POSITIVE = List.of("great", "excellent", "wonderful", "brilliant", "superb");
    static final List<String> NEGATIVE = List.of("awful", "terrible", "boring", "horrible", "worst");

    /** a : b :: c : d, about gender, number, comparison and tense, all common in reviews. */
    static final List<List<String>> ANALOGIES = List.of(
            List.of("man", "woman", "boy", "girl"), List.of("man", "woman", "king", "queen"),
            List.of("he", "she", "his", "her"), List.of("he", "she", "him", "her"),
            List.of("actor", "actress", "actors", "actresses"), List.of("brother", "sister", "father", "mother"),
            List.of("son", "daughter", "father", "mother"), List.of("husband", "wife", "boyfriend", "girlfriend"),
            List.of("men", "women", "boys", "girls"), List.of("uncle", "aunt", "brother", "sister"),
            List.of("boy", "girl", "son", "daughter"), List.of("king", "queen", "prince", "princess"),
            List.of("good", "better", "bad", "worse"), List.of("good", "best", "bad", "worst"),
            List.of("big", "bigger", "small", "smaller"), List.of("movie", "movies", "film", "films"),
            List.of("actor", "actors", "director", "directors"), List.of("scene", "scenes", "character", "characters"),
            List.of("song", "songs", "story", "stories"), List.of("man", "men", "woman", "women"),
            List.of("book", "books", "episode", "episodes"), List.of("watch", "watched", "see", "saw"),
            List.of("play", "played", "make", "made"), List.of("quick", "quickly", "slow", "slowly"));

    record Setup(int[] vocabularies, int bpeReviews, int testReviews, int words, SkipGram.Settings skipGram) {
        static Setup of(boolean quick) {
            return quick ? new Setup(new int[] {300, 600, 1_200}, 300, 100, 2_000, new SkipGram.Settings(32, 5, 5, 2, 0.025f, 1e-3))
                    : new Setup(new int[] {1_024, 8_192, 32_768}, 25_000, 5_000, 30_000,
                            new SkipGram.Settings(100, 5, 5, 3, 0.025f, 1e-4));
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "BPE at three vocabulary sizes vs a word vocabulary; word2vec neighbours and analogies on IMDb";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/tokenization-embeddings");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("analogy_accuracy", "neighbour_polarity_agreement");
    }

    @Override
    public Result run(RunContext context) {
        boolean quick = context.quick();
        Setup setup = Setup.of(quick);
        ImdbSplit split = ImdbSplit.load(context.dataHome(), context::info);
        List<Review> train = split.train().subList(0, Math.min(setup.bpeReviews(), split.train().size()));
        List<Review> test = split.test().subList(0, Math.min(setup.testReviews(), split.test().size()));
        Result.Builder result = Result.builder().config("bpe_trained_on", train.size() + " training reviews")
                .config("measured_on", test.size() + " test reviews").config("skip_gram", setup.skipGram().toString());
        subwords(context, result, quick, setup, train, test);
        embeddings(context, result, quick, setup, split);
        return result.build();
    }

    private static void subwords(RunContext context, Result.Builder result, boolean quick, Setup setup, List<Review> train,
                                 List<Review> test) {
        List<String> trainTexts = train.stream().map(r -> BytePairEncoding.normalize(r.text())).toList();
        List<String> testTexts = test.stream().map(r -> BytePairEncoding.normalize(r.text())).toList();
        List<List<String>> trainWords = train.stream().map(r -> TextTokenizer.tokenize(r.text())).toList();
        List<List<String>> testWords = test.stream().map(r -> TextTokenizer.tokenize(r.text())).toList();
        double wordsPerReview = testWords.stream().mapToInt(List::size).average().orElse(0);
        int sizes = setup.vocabularies().length;
        double[] tokensPerReview = new double[sizes];
        double[] unknownRate = new double[sizes];
        double[] unknownBpe = new double[sizes];
        for (int s = 0; s < sizes; s++) {
            int size = setup.vocabularies()[s];
            long begin = System.nanoTime();
            BytePairEncoding bpe = BytePairEncoding.train(trainTexts, size);
            double seconds = (System.nanoTime() - begin) / 1e9;
            long tokens = 0;
            long unknown = 0;
            for (String text : testTexts) {
                int[] ids = bpe.encodeNormalized(text);
                tokens += ids.length;
                for (int id : ids) {
                    unknown += id < 0 || id >= bpe.endOfText() ? 1 : 0; // an id outside the vocabulary: none expected
                }
            }
            Vocabulary words = Vocabulary.build(trainWords, size - 2);
            long unknownWords = testWords.stream().flatMap(List::stream).filter(w -> words.idOf(w) == Vocabulary.UNKNOWN).count();
            long allWords = testWords.stream().mapToLong(List::size).sum();
            tokensPerReview[s] = (double) tokens / testTexts.size();
            unknownRate[s] = (double) unknownWords / allWords;
            unknownBpe[s] = (double) unknown / tokens;
            result.metric("bpe_tokens_per_review_" + size, tokensPerReview[s]).metric("bpe_unknown_rate_" + size, unknownBpe[s])
                    .metric("word_unknown_rate_" + size, unknownRate[s]).metric("bpe_train_seconds_" + size, seconds);
            context.info(String.format("vocabulary %,6d: BPE %.1f tokens per review (learned in %.1f s), no unknown token; "
                            + "a word vocabulary of the same size leaves %.2f%% of test words unknown; \"unwatchable\" -> %s",
                    size, tokensPerReview[s], seconds, 100 * unknownRate[s], pieces(bpe, " unwatchable")));
        }
        result.metric("words_per_review", wordsPerReview);
        double[] x = java.util.Arrays.stream(setup.vocabularies()).asDoubleStream().toArray();
        Charts.lines(context.file("tokens_per_review.png"), "BPE tokens per test review by vocabulary size (words per "
                + "review: " + Math.round(wordsPerReview) + ")", "vocabulary size", "tokens per review", x,
                Map.of("byte-level BPE", tokensPerReview), false);
        Charts.lines(context.file("unknown_words.png"), "Share of test words a word vocabulary does not know",
                "vocabulary size", "unknown share", x, Map.of("word vocabulary", unknownRate, "byte-level BPE", unknownBpe), false);
        result.artifact("tokens_per_review.png").artifact("unknown_words.png");
        boolean noUnknown = java.util.Arrays.stream(unknownBpe).allMatch(rate -> rate == 0);
        boolean wordsUnknown = java.util.Arrays.stream(unknownRate).allMatch(rate -> rate > 0);
        result.claim(Claim.check("Byte-level BPE encodes every test review without an unknown token at every vocabulary "
                        + "size, while a word vocabulary of the same size leaves some test words unknown",
                "字节级 BPE 在每种词表大小下都能不带未知 token 地编码所有测试评论，而同样大小的词级词表总会留下一些未登录词",
                noUnknown && wordsUnknown, Claim.values("bpe_unknown_rate_" + setup.vocabularies()[sizes - 1],
                        unknownBpe[sizes - 1], "word_unknown_rate_" + setup.vocabularies()[0], unknownRate[0],
                        "word_unknown_rate_" + setup.vocabularies()[sizes - 1], unknownRate[sizes - 1])));
        result.claim(Claim.checkUnlessQuick(quick, "A larger vocabulary gives shorter sequences with diminishing returns: "
                        + "going from the smallest to the middle size saves more tokens per review than going from the "
                        + "middle to the largest",
                "词表越大序列越短，但收益递减：从最小词表到中间词表省下的 token 数，多于从中间词表到最大词表省下的",
                tokensPerReview[0] - tokensPerReview[1] > tokensPerReview[1] - tokensPerReview[2]
                        && tokensPerReview[1] - tokensPerReview[2] > 0,
                Claim.values("bpe_tokens_per_review_" + setup.vocabularies()[0], tokensPerReview[0],
                        "bpe_tokens_per_review_" + setup.vocabularies()[1], tokensPerReview[1],
                        "bpe_tokens_per_review_" + setup.vocabularies()[2], tokensPerReview[2])));
    }

    private static String pieces(BytePairEncoding bpe, String text) {
        List<String> shown = new ArrayList<>();
        for (int id : bpe.encodeNormalized(text)) {
            shown.add(bpe.show(id));
        }
        return String.join(" | ", shown);
    }

    private static void embeddings(RunContext context, Result.Builder result, boolean quick, Setup setup, ImdbSplit split) {
        List<List<String>> texts = new ArrayList<>();
        split.train().forEach(r -> texts.add(TextTokenizer.tokenize(r.text())));
        split.test().forEach(r -> texts.add(TextTokenizer.tokenize(r.text())));
        Vocabulary vocabulary = Vocabulary.build(texts, setup.words());
        int size = vocabulary.size() - 2; // the skip-gram's ids are the vocabulary's minus 2 (no padding, no unknown)
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            ids[i] = texts.get(i).stream().mapToInt(w -> vocabulary.idOf(w) - 2).map(id -> id < 0 ? -1 : id).toArray();
        }
        long begin = System.nanoTime();
        SkipGram vectors = SkipGram.train(ids, size, setup.skipGram(), context.config().seed(), epoch ->
                context.info(String.format("skip-gram epoch %d/%d, %.0f s", epoch, setup.skipGram().epochs(),
                        (System.nanoTime() - begin) / 1e9)));
        result.metric("skip_gram_seconds", (System.nanoTime() - begin) / 1e9).metric("skip_gram_words", size);
        Map<String, Double> polarity = polarity(split.train(), 30);
        double[] agreement = neighbourAgreement(context, vectors, vocabulary, polarity);
        result.metric("neighbour_polarity_agreement", agreement[0]).metric("random_word_polarity_agreement", agreement[1]);
        int solved = 0;
        int asked = 0;
        int baseline = 0;
        for (List<String> analogy : ANALOGIES) {
            int[] w = analogy.stream().mapToInt(word -> vocabulary.idOf(word) - 2).toArray();
            if (java.util.Arrays.stream(w).anyMatch(id -> id < 0)) {
                continue;
            }
            asked++;
            int answer = vectors.analogy(w[0], w[1], w[2]);
            solved += answer == w[3] ? 1 : 0;
            baseline += vectors.nearest(vectors.unitVector(w[2]), 1, w[0], w[1], w[2])[0] == w[3] ? 1 : 0;
            context.info(String.format("%s : %s :: %s : %s (expected %s)", analogy.get(0), analogy.get(1), analogy.get(2),
                    vocabulary.word(answer + 2), analogy.get(3)));
        }
        double accuracy = asked == 0 ? 0 : (double) solved / asked;
        double nearestC = asked == 0 ? 0 : (double) baseline / asked;
        result.metric("analogies_asked", asked).metric("analogy_accuracy", accuracy).metric("analogy_baseline_accuracy", nearestC)
                .metric("cosine_good_bad", cosine(vectors, vocabulary, "good", "bad"))
                .metric("cosine_good_great", cosine(vectors, vocabulary, "good", "great"));
        result.claim(Claim.checkUnlessQuick(quick, "Skip-gram vectors put words used alike near each other: among the 10 "
                        + "nearest neighbours of ten sentiment words, at least 70% share the query's polarity (random "
                        + "frequent words: about half)",
                "Skip-gram 向量把用法相近的词放在一起：十个情感词的 10 个最近邻中，至少 70% 与查询词极性相同（随机高频词约为一半）",
                agreement[0] >= 0.70, Claim.values("neighbour_polarity_agreement", agreement[0],
                        "random_word_polarity_agreement", agreement[1])));
        result.claim(Claim.checkUnlessQuick(quick, "Vector arithmetic b - a + c solves at least half of the analogies, "
                        + "where the nearest neighbour of c alone solves at most a fifth",
                "向量运算 b - a + c 能解出至少一半的类比题，而只取 c 的最近邻最多解出五分之一",
                accuracy >= 0.5 && nearestC <= 0.2, Claim.values("analogies_asked", asked, "analogy_accuracy", accuracy,
                        "analogy_baseline_accuracy", nearestC)));
    }

    /**
     * {share of the query words' 10 nearest neighbours (those with a known polarity) whose polarity
     * matches the query's, the same share for 200 random frequent words}.
     */
    private static double[] neighbourAgreement(RunContext context, SkipGram vectors, Vocabulary vocabulary,
                                               Map<String, Double> polarity) {
        double[] shares = new double[2];
        for (int pass = 0; pass < 2; pass++) {
            List<String> queries = new ArrayList<>();
            if (pass == 0) {
                queries.addAll(POSITIVE);
                queries.addAll(NEGATIVE);
            } else {
                java.util.Random random = new java.util.Random(context.config().seed());
                List<String> known = new ArrayList<>(polarity.keySet().stream().filter(w -> vocabulary.idOf(w) > 1).sorted().toList());
                for (int i = 0; i < 200 && !known.isEmpty(); i++) {
                    queries.add(known.get(random.nextInt(known.size())));
                }
            }
            long same = 0;
            long judged = 0;
            for (String query : queries) {
                int id = vocabulary.idOf(query) - 2;
                Double sign = polarity.get(query);
                if (id < 0 || sign == null) {
                    continue;
                }
                List<String> shown = new ArrayList<>();
                for (int neighbour : vectors.nearest(vectors.unitVector(id), 10, id)) {
                    String word = vocabulary.word(neighbour + 2);
                    shown.add(word);
                    Double other = polarity.get(word);
                    if (other != null) {
                        judged++;
                        same += Math.signum(other) == Math.signum(sign) ? 1 : 0;
                    }
                }
                if (pass == 0) {
                    context.info(query + ": " + String.join(", ", shown));
                }
            }
            shares[pass] = judged == 0 ? 0 : (double) same / judged;
        }
        return shares;
    }

    /**
     * The words that lean clearly one way: log-odds of appearing in a positive rather than a negative
     * training review (add-one smoothed) of at least 0.5 in size (1.6 times as often), among words in at
     * least {@code minReviews} reviews. A polarity from the labels alone, independent of the vectors.
     */
    static Map<String, Double> polarity(List<Review> reviews, int minReviews) {
        Map<String, int[]> counts = new HashMap<>();
        for (Review review : reviews) {
            Set<String> seen = new HashSet<>(TextTokenizer.tokenize(review.text()));
            for (String word : seen) {
                counts.computeIfAbsent(word, w -> new int[2])[review.positive() ? 1 : 0]++;
            }
        }
        Map<String, Double> polarity = new LinkedHashMap<>();
        counts.forEach((word, c) -> {
            double logOdds = Math.log((c[1] + 1.0) / (c[0] + 1.0));
            if (c[0] + c[1] >= minReviews && Math.abs(logOdds) >= 0.5) {
                polarity.put(word, logOdds);
            }
        });
        return polarity;
    }

    private static double cosine(SkipGram vectors, Vocabulary vocabulary, String a, String b) {
        int x = vocabulary.idOf(a) - 2;
        int y = vocabulary.idOf(b) - 2;
        return x < 0 || y < 0 ? 0 : vectors.cosine(x, y);
    }
}
