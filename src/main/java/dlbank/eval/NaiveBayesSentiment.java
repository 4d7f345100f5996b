package dlbank.eval;

import dlbank.data.ImdbDataset.Review;
import dlbank.data.TextTokenizer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A naive Bayes sentiment classifier on which words a review contains (binarised multinomial naive
 * Bayes with add-one smoothing; Wang &amp; Manning, 2012, Baselines and Bigrams): a judge built in a
 * completely different way from the recurrent classifier, for checking what that one says.
 */
public final class NaiveBayesSentiment {

    private final Map<String, double[]> logRatio = new HashMap<>(); // log p(word|pos) - log p(word|neg)
    private final double prior;

    private NaiveBayesSentiment(Map<String, long[]> counts, long[] totals, long positives, long negatives) {
        int vocabulary = counts.size();
        counts.forEach((word, c) -> logRatio.put(word, new double[] {
                Math.log((c[1] + 1.0) / (totals[1] + vocabulary)) - Math.log((c[0] + 1.0) / (totals[0] + vocabulary))}));
        prior = Math.log((double) positives / negatives);
    }

    /** Learns from labelled reviews, counting each word once per review. */
    public static NaiveBayesSentiment train(List<Review> reviews) {
        Map<String, long[]> counts = new HashMap<>();
        long[] totals = new long[2];
        long positives = 0;
        for (Review review : reviews) {
            int label = review.positive() ? 1 : 0;
            positives += label;
            for (String word : new HashSet<>(TextTokenizer.tokenize(review.text()))) {
                counts.computeIfAbsent(word, w -> new long[2])[label]++;
                totals[label]++;
            }
        }
        return new NaiveBayesSentiment(counts, totals, positives, reviews.size() - positives);
    }

    /** p(positive | the words of the text); words never seen in training count for nothing. */
    public double positiveProbability(String text) {
        double logOdds = prior;
        Set<String> words = new HashSet<>(TextTokenizer.tokenize(text));
        for (String word : words) {
            double[] ratio = logRatio.get(word);
            if (ratio != null) {
                logOdds += ratio[0];
            }
        }
        return 1 / (1 + Math.exp(-logOdds));
    }

    /** The share of reviews it labels correctly. */
    public double accuracy(List<Review> reviews) {
        long correct = reviews.stream().filter(r -> (positiveProbability(r.text()) > 0.5) == r.positive()).count();
        return (double) correct / reviews.size();
    }
}
