package dlbank.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How a language model's next-token logits become a choice: temperature, top-k and top-p (nucleus)
 * sampling, written out by hand (Holtzman et al., 2020, The Curious Case of Neural Text Degeneration,
 * for top-p; Fan, Lewis &amp; Dauphin, 2018, for top-k). None of them changes the model: they reshape
 * the distribution its logits give before one token is drawn.
 */
public final class Sampling {

    private Sampling() {}

    /**
     * A decoding rule.
     *
     * @param temperature the logits are divided by it; 0 = greedy (always the most likely token)
     * @param topK keep only the k most likely tokens; 0 = all
     * @param topP keep the smallest set of most likely tokens whose probability reaches p; 1 = all
     */
    public record Settings(double temperature, int topK, double topP) {
        public Settings {
            if (!(temperature >= 0) || topK < 0 || !(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("temperature >= 0, top-k >= 0, 0 < top-p <= 1; got "
                        + temperature + ", " + topK + ", " + topP);
            }
        }

        public static Settings greedy() {
            return new Settings(0, 0, 1);
        }

        public boolean isGreedy() {
            return temperature == 0;
        }

        /** "temperature 0.8, top-k 40, top-p 0.95", or "greedy". */
        public String describe() {
            if (isGreedy()) {
                return "greedy";
            }
            StringBuilder text = new StringBuilder(String.format(java.util.Locale.ROOT, "temperature %s", trim(temperature)));
            if (topK > 0) {
                text.append(", top-k ").append(topK);
            }
            if (topP < 1) {
                text.append(", top-p ").append(trim(topP));
            }
            return text.toString();
        }

        private static String trim(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }

    /** softmax(logits / temperature) in double precision, shifted by the maximum so that exp cannot overflow. */
    public static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] p = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /**
     * The distribution a token is drawn from: temperature, then top-k, then top-p, renormalised. For
     * greedy settings, all the mass on the most likely token (the first of equals).
     */
    public static double[] distribution(float[] logits, Settings settings) {
        if (settings.isGreedy()) {
            double[] p = new double[logits.length];
            p[argMax(logits)] = 1;
            return p;
        }
        double[] p = softmax(logits, settings.temperature());
        if (settings.topK() == 0 && settings.topP() >= 1) {
            return p; // plain sampling at this temperature: nothing to cut, no need to sort
        }
        Integer[] order = byProbability(p);
        int keep = p.length;
        if (settings.topK() > 0) {
            keep = Math.min(keep, settings.topK());
        }
        if (settings.topP() < 1) {
            // The nucleus: most likely first, until the kept mass reaches p (the token that crosses p stays).
            double kept = 0;
            double topKMass = 0;
            for (int r = 0; r < keep; r++) {
                topKMass += p[order[r]];
            }
            int nucleus = 0;
            while (nucleus < keep && kept < settings.topP() * topKMass) {
                kept += p[order[nucleus]];
                nucleus++;
            }
            keep = Math.max(1, nucleus);
        }
        double total = 0;
        for (int r = 0; r < keep; r++) {
            total += p[order[r]];
        }
        double[] restricted = new double[p.length];
        for (int r = 0; r < keep; r++) {
            restricted[order[r]] = p[order[r]] / total;
        }
        return restricted;
    }

    /**
     * Top-p by its definition, token by token, for checking {@link #distribution}: a token is in the
     * nucleus when the tokens ranked above it (higher probability; the lower index among equals) hold
     * less than p of the mass. Quadratic in the vocabulary; for tests and the lab's check only.
     */
    public static double[] topPReference(float[] logits, double temperature, double topP) {
        double[] p = softmax(logits, temperature);
        boolean[] in = new boolean[p.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            double above = 0;
            for (int j = 0; j < p.length; j++) {
                if (p[j] > p[i] || (p[j] == p[i] && j < i)) {
                    above += p[j];
                }
            }
            in[i] = above < topP;
            total += in[i] ? p[i] : 0;
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = in[i] ? p[i] / total : 0;
        }
        return out;
    }

    /** One draw from a distribution by its cumulative sums. */
    public static int draw(double[] p, Random random) {
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // u landed in the rounding gap below 1
    }

    /** Entropy in nats of a distribution. */
    public static double entropy(double[] p) {
        double h = 0;
        for (double value : p) {
            if (value > 0) {
                h -= value * Math.log(value);
            }
        }
        return h;
    }

    /** The index of the largest logit, the first of equals. */
    public static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Token ids by falling probability, the lower id first among equals. */
    private static Integer[] byProbability(double[] p) {
        Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -p[i]).thenComparingInt(i -> i));
        return order;
    }
}
