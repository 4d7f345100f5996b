package dlbank.eval;

/**
 * Student's t distribution: its cumulative distribution function and quantiles, for any degrees of
 * freedom ν > 0.
 *
 * <p>The CDF comes from the regularized incomplete beta function: for t > 0,
 * P(T ≤ t) = 1 - I_x(ν/2, 1/2) / 2 with x = ν / (ν + t²), and I is evaluated by its continued fraction
 * (Lentz's method, as in Numerical Recipes §6.4). Against SciPy the relative error is below 1e-12 up
 * to ν = 1000 and about 1e-9 at ν = 10⁶, where ln Γ(ν/2 + 1/2) - ln Γ(ν/2) loses digits to
 * cancellation: ample for a confidence interval. A quantile is the t where
 * the CDF reaches p, found by bisection: the CDF is monotone, so bisection cannot fail, and 200 halvings
 * are far more than double precision needs.
 */
public final class StudentT {

    private static final double EPSILON = 1e-15;
    private static final double TINY = 1e-300; // keeps Lentz's denominators off zero
    private static final int MAX_TERMS = 10_000;

    private StudentT() {}

    /** P(T ≤ t) for T with the given degrees of freedom. */
    public static double cdf(double t, double degreesOfFreedom) {
        requirePositive(degreesOfFreedom);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 1 : 0;
        }
        double squared = t * t;
        // x and 1 - x both from their own formula: for small t, 1 - x computed as a difference would lose digits.
        double x = degreesOfFreedom / (degreesOfFreedom + squared);
        double oneMinusX = squared / (degreesOfFreedom + squared);
        double tail = regularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x, oneMinusX) / 2; // P(T > |t|)
        return t > 0 ? 1 - tail : tail;
    }

    /** The t with P(T ≤ t) = probability, for 0 < probability < 1; e.g. quantile(0.975, 9) = 2.2622. */
    public static double quantile(double probability, double degreesOfFreedom) {
        requirePositive(degreesOfFreedom);
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("probability must be strictly between 0 and 1, got " + probability);
        }
        if (probability == 0.5) {
            return 0;
        }
        if (probability < 0.5) {
            return -quantile(1 - probability, degreesOfFreedom); // the distribution is symmetric
        }
        double low = 0;
        double high = 1;
        while (cdf(high, degreesOfFreedom) < probability) {
            low = high;
            high *= 2; // heavy tails (ν = 1, p near 1) can put the quantile far out
        }
        for (int step = 0; step < 200 && high - low > 1e-15 * high; step++) {
            double middle = (low + high) / 2;
            if (cdf(middle, degreesOfFreedom) < probability) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    /** I_x(a, b), given both x and 1 - x. */
    static double regularizedIncompleteBeta(double a, double b, double x, double oneMinusX) {
        if (x <= 0) {
            return 0;
        }
        if (oneMinusX <= 0) {
            return 1;
        }
        double logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(oneMinusX);
        double front = Math.exp(logFront);
        // The continued fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use I_x(a,b) = 1 - I_{1-x}(b,a).
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(a, b, x) / a;
        }
        return 1 - front * continuedFraction(b, a, oneMinusX) / b;
    }

    private static double continuedFraction(double a, double b, double x) {
        double c = 1;
        double d = nonZero(1 - (a + b) * x / (a + 1));
        d = 1 / d;
        double fraction = d;
        for (int m = 1; m <= MAX_TERMS; m++) {
            // Even step of the fraction.
            double coefficient = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 / nonZero(1 + coefficient * d);
            c = nonZero(1 + coefficient / c);
            fraction *= d * c;
            // Odd step.
            coefficient = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 / nonZero(1 + coefficient * d);
            c = nonZero(1 + coefficient / c);
            double change = d * c;
            fraction *= change;
            if (Math.abs(change - 1) < EPSILON) {
                return fraction;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for a=" + a + ", b=" + b + ", x=" + x);
    }

    private static double nonZero(double value) {
        return Math.abs(value) < TINY ? TINY : value;
    }

    /** ln Γ(z) for z > 0 by the Lanczos approximation (g = 7, nine terms), relative error about 1e-15. */
    static double logGamma(double z) {
        if (z < 0.5) {
            // Reflection: Γ(z) Γ(1 - z) = π / sin(πz).
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
        }
        double[] coefficients = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7};
        double shifted = z - 1;
        double series = coefficients[0];
        for (int i = 1; i < coefficients.length; i++) {
            series += coefficients[i] / (shifted + i);
        }
        double base = shifted + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(base) - base + Math.log(series);
    }

    private static void requirePositive(double degreesOfFreedom) {
        if (!(degreesOfFreedom > 0)) {
            throw new IllegalArgumentException("degrees of freedom must be positive, got " + degreesOfFreedom);
        }
    }
}
