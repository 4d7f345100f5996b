package dlbank.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * word2vec's skip-gram with negative sampling (Mikolov et al., 2013, Distributed Representations of
 * Words and Phrases and their Compositionality), by hand in plain Java as the original C program does
 * it: each word predicts the words around it; for every (word, context) pair the loss is
 * {@code -log σ(u_c·v_w) - Σ_k log σ(-u_k·v_w)} over k negative words drawn from the unigram
 * distribution to the power 3/4, and plain SGD with a linearly falling rate updates only the rows
 * involved. Frequent words are subsampled. One thread, so a seed gives the same vectors every time.
 */
public final class SkipGram {

    /**
     * @param dimensions size of each word vector
     * @param window the farthest context word, in words; each position draws its own window 1..window
     * @param negatives negative words per (word, context) pair
     * @param epochs passes over the text
     * @param learningRate SGD's starting rate, falling linearly to 1/10,000 of it
     * @param subsample t: a word of frequency f is kept with probability min(1, √(t/f) + t/f)
     */
    public record Settings(int dimensions, int window, int negatives, int epochs, float learningRate, double subsample) {}

    private static final int TABLE_SIZE = 10_000_000;

    private final int vocabulary;
    private final int dimensions;
    private final float[] input;   // v_w: the word vectors kept at the end, (vocabulary, dimensions)
    private final float[] output;  // u_c: the context vectors, (vocabulary, dimensions)

    private SkipGram(int vocabulary, int dimensions, float[] input, float[] output) {
        this.vocabulary = vocabulary;
        this.dimensions = dimensions;
        this.input = input;
        this.output = output;
    }

    /**
     * Trains on texts given as word ids in 0..vocabulary-1 (-1 = a word left out, which also breaks
     * no window: it is skipped). {@code progress} receives the number of the epoch just finished.
     */
    public static SkipGram train(int[][] texts, int vocabulary, Settings settings, long seed, IntConsumer progress) {
        int d = settings.dimensions();
        Random random = new Random(seed);
        float[] input = new float[vocabulary * d];
        for (int i = 0; i < input.length; i++) {
            input[i] = (random.nextFloat() - 0.5f) / d;
        }
        float[] output = new float[vocabulary * d]; // zeros, as in the original
        long[] counts = new long[vocabulary];
        long total = 0;
        for (int[] text : texts) {
            for (int id : text) {
                if (id >= 0) {
                    counts[id]++;
                    total++;
                }
            }
        }
        int[] table = negativeTable(counts);
        double[] keep = new double[vocabulary];
        for (int w = 0; w < vocabulary; w++) {
            double f = (double) counts[w] / total;
            keep[w] = f == 0 ? 0 : Math.min(1, Math.sqrt(settings.subsample() / f) + settings.subsample() / f);
        }
        long totalSteps = (long) settings.epochs() * total;
        long done = 0;
        float[] gradient = new float[d];
        int[] kept = new int[0];
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            for (int[] text : texts) {
                if (kept.length < text.length) {
                    kept = new int[text.length];
                }
                int n = 0;
                for (int id : text) {
                    if (id >= 0 && random.nextDouble() < keep[id]) {
                        kept[n++] = id;
                    }
                }
                done += text.length;
                float rate = (float) Math.max(settings.learningRate() * 1e-4,
                        settings.learningRate() * (1 - (double) done / (totalSteps + 1)));
                for (int i = 0; i < n; i++) {
                    int span = 1 + random.nextInt(settings.window());
                    for (int j = Math.max(0, i - span); j <= Math.min(n - 1, i + span); j++) {
                        if (j != i) {
                            update(input, output, kept[j], kept[i], table, settings.negatives(), rate, d, gradient, random);
                        }
                    }
                }
            }
            progress.accept(epoch);
        }
        return new SkipGram(vocabulary, d, input, output);
    }

    /**
     * One (word, context) pair: the context word's vector v is pushed towards the word's output
     * vector u_w and away from {@code negatives} sampled ones: for target t with label y (1 for the
     * true word, 0 for a negative), g = rate·(y - σ(u_t·v)); u_t += g·v; v += Σ g·u_t.
     */
    private static void update(float[] input, float[] output, int context, int word, int[] table, int negatives,
                               float rate, int d, float[] gradient, Random random) {
        int v = context * d;
        Arrays.fill(gradient, 0);
        for (int k = 0; k <= negatives; k++) {
            int target;
            float label;
            if (k == 0) {
                target = word;
                label = 1;
            } else {
                target = table[random.nextInt(table.length)];
                if (target == word) {
                    continue;
                }
                label = 0;
            }
            int u = target * d;
            float dot = 0;
            for (int e = 0; e < d; e++) {
                dot += input[v + e] * output[u + e];
            }
            float g = rate * (label - sigmoid(dot));
            for (int e = 0; e < d; e++) {
                gradient[e] += g * output[u + e];
                output[u + e] += g * input[v + e];
            }
        }
        for (int e = 0; e < d; e++) {
            input[v + e] += gradient[e];
        }
    }

    private static float sigmoid(float x) {
        if (x > 6) {
            return 1;
        }
        if (x < -6) {
            return 0;
        }
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** Word ids in proportion to count^0.75: rare words are drawn more often than their share of the text. */
    private static int[] negativeTable(long[] counts) {
        double norm = 0;
        for (long count : counts) {
            norm += Math.pow(count, 0.75);
        }
        int[] table = new int[TABLE_SIZE];
        int word = 0;
        double cumulative = Math.pow(counts[0], 0.75) / norm;
        for (int i = 0; i < TABLE_SIZE; i++) {
            table[i] = word;
            if ((double) (i + 1) / TABLE_SIZE > cumulative && word < counts.length - 1) {
                word++;
                cumulative += Math.pow(counts[word], 0.75) / norm;
            }
        }
        return table;
    }

    /** The word vector of an id, unit length. */
    public float[] unitVector(int id) {
        float[] vector = Arrays.copyOfRange(input, id * dimensions, (id + 1) * dimensions);
        double norm = 0;
        for (float x : vector) {
            norm += x * x;
        }
        float scale = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
        for (int e = 0; e < vector.length; e++) {
            vector[e] *= scale;
        }
        return vector;
    }

    /** Cosine similarity of two words' vectors. */
    public double cosine(int a, int b) {
        return dot(unitVector(a), unitVector(b));
    }

    /** The {@code count} ids with the highest cosine to {@code query}, leaving out {@code excluded}. */
    public int[] nearest(float[] query, int count, int... excluded) {
        float[][] units = units();
        double[] scores = new double[vocabulary];
        for (int w = 0; w < vocabulary; w++) {
            scores[w] = dot(query, units[w]);
        }
        for (int id : excluded) {
            scores[id] = Double.NEGATIVE_INFINITY;
        }
        return IntStream.range(0, vocabulary).boxed().sorted(Comparator.comparingDouble(w -> -scores[w]))
                .limit(count).mapToInt(Integer::intValue).toArray();
    }

    /** a is to b as c is to ?: the word nearest to b - a + c (unit vectors; 3CosAdd), a, b and c left out. */
    public int analogy(int a, int b, int c) {
        float[] va = unitVector(a);
        float[] vb = unitVector(b);
        float[] vc = unitVector(c);
        float[] target = new float[dimensions];
        for (int e = 0; e < dimensions; e++) {
            target[e] = vb[e] - va[e] + vc[e];
        }
        return nearest(target, 1, a, b, c)[0];
    }

    private float[][] unitCache;

    private float[][] units() {
        if (unitCache == null) {
            unitCache = new float[vocabulary][];
            for (int w = 0; w < vocabulary; w++) {
                unitCache[w] = unitVector(w);
            }
        }
        return unitCache;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int e = 0; e < a.length; e++) {
            sum += a[e] * b[e];
        }
        return sum;
    }
}
