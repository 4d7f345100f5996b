package dlbank.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Count, mean, sample standard deviation, range and a 95% confidence interval for the mean of a few
 * measurements, such as one metric over several seeds.
 *
 * <p>sd divides by n - 1. The interval is mean ± t_{0.975, n-1} · sd / √n (Student's t, as the
 * measurements are few and their spread is estimated from themselves); with n = 1 there is no spread
 * to estimate, so sd and both bounds are NaN. Four seeds' accuracies 0.9902, 0.9886, 0.9902, 0.9894
 * give 0.9896 ± 0.0012.
 */
public record SummaryStats(int n, double mean, double sd, double min, double max, double ci95Low, double ci95High) {

    public static SummaryStats of(List<? extends Number> values) {
        double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i).doubleValue();
        }
        return of(array);
    }

    public static SummaryStats of(double... values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("values must be finite, got " + value);
            }
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        double mean = sum / n;
        if (n == 1) {
            return new SummaryStats(1, mean, Double.NaN, min, max, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean); // deviations first: no cancellation for values near 0.99
        }
        double sd = Math.sqrt(squares / (n - 1));
        double halfWidth = StudentT.quantile(0.975, n - 1) * sd / Math.sqrt(n);
        return new SummaryStats(n, mean, sd, min, max, mean - halfWidth, mean + halfWidth);
    }

    /** Half the width of the 95% interval: the "± h" in "mean ± h". NaN when n = 1. */
    public double ci95HalfWidth() {
        return (ci95High - ci95Low) / 2;
    }

    /**
     * The fields for report.json, keys n, mean, sd, min, max, ci95_low, ci95_high, in that order. A NaN
     * (sd and the bounds when n = 1) becomes null, as JSON has no NaN.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("n", n);
        map.put("mean", mean);
        map.put("sd", orNull(sd));
        map.put("min", min);
        map.put("max", max);
        map.put("ci95_low", orNull(ci95Low));
        map.put("ci95_high", orNull(ci95High));
        return map;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
