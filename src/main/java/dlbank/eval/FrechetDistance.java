package dlbank.eval;

/**
 * The Fréchet distance between two Gaussians fitted to two sets of feature vectors, the quantity
 * behind FID (Fréchet Inception Distance; Heusel et al., "GANs trained by a two time-scale update
 * rule converge to a local Nash equilibrium", NeurIPS 2017).
 *
 * <p>d = ||μ1 - μ2||² + Tr(C1 + C2 - 2 (C1 C2)^½), with each set's mean μ and unbiased covariance C
 * (divided by n - 1). As in FID, d is the squared distance (no square root is taken); it is 0 for
 * identical sets and in 1-D reduces to (m1 - m2)² + (s1 - s2)². C1 C2 is not symmetric, so
 * Tr((C1 C2)^½) is computed as Tr((√C1 · C2 · √C1)^½), the same trace (AB and BA have the same
 * eigenvalues, with A = √C1, B = C2 √C1) from a symmetric positive semi-definite matrix: the sum of
 * the square roots of its eigenvalues. Eigenvalues that rounding makes slightly negative count as 0.
 */
public final class FrechetDistance {

    /** Eigenvalues below this share of the largest are taken for rounding, not for a negative direction. */
    private static final double NEGATIVE_TOLERANCE = 1e-9;

    private FrechetDistance() {}

    /** Between the Gaussians fitted to two sets of feature vectors, one per row; each set needs two rows or more. */
    public static double between(double[][] features1, double[][] features2) {
        int dimension = features1.length == 0 ? 0 : features1[0].length;
        requireRows(features1, dimension, "first");
        requireRows(features2, dimension, "second");
        return betweenGaussians(mean(features1), covariance(features1), mean(features2), covariance(features2));
    }

    /** As above, for vectors stored one after another in a flat array, dimension values each. */
    public static double between(float[] features1, float[] features2, int dimension) {
        return between(toRows(features1, dimension), toRows(features2, dimension));
    }

    /** Between two Gaussians given by their means and covariance matrices. */
    public static double betweenGaussians(double[] mean1, double[][] covariance1, double[] mean2, double[][] covariance2) {
        int n = mean1.length;
        if (mean2.length != n || covariance1.length != n || covariance2.length != n) {
            throw new IllegalArgumentException("dimensions differ: means " + n + " and " + mean2.length
                    + ", covariances " + covariance1.length + " and " + covariance2.length);
        }
        for (int i = 0; i < n; i++) {
            if (covariance1[i].length != n || covariance2[i].length != n) {
                throw new IllegalArgumentException("a covariance matrix is not " + n + "x" + n);
            }
        }
        double meanTerm = 0;
        double traces = 0;
        for (int i = 0; i < n; i++) {
            meanTerm += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]);
            traces += covariance1[i][i] + covariance2[i][i];
        }
        double[][] root1 = matrixSqrt(covariance1);
        SymmetricEigen sandwich = SymmetricEigen.of(multiply(multiply(root1, covariance2), root1));
        double traceOfRoot = 0;
        for (double value : nonNegative(sandwich.values)) {
            traceOfRoot += Math.sqrt(value);
        }
        // Mathematically ≥ 0; rounding can leave -1e-16 for identical sets.
        return Math.max(0, meanTerm + traces - 2 * traceOfRoot);
    }

    /**
     * The symmetric positive semi-definite square root S of a symmetric positive semi-definite
     * matrix A (S·S = A), as V · diag(√λ) · Vᵀ from A's eigen-decomposition. Eigenvalues slightly
     * below 0 from rounding count as 0; a clearly negative one (below -1e-9 times the largest) is an
     * IllegalArgumentException.
     */
    public static double[][] matrixSqrt(double[][] symmetricPsd) {
        SymmetricEigen eigen = SymmetricEigen.of(symmetricPsd);
        double[] roots = nonNegative(eigen.values);
        int n = roots.length;
        for (int i = 0; i < n; i++) {
            roots[i] = Math.sqrt(roots[i]);
        }
        double[][] root = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += eigen.vectors[k][i] * roots[k] * eigen.vectors[k][j];
                }
                root[i][j] = sum;
                root[j][i] = sum;
            }
        }
        return root;
    }

    private static double[] nonNegative(double[] eigenvalues) {
        double largest = 0;
        for (double value : eigenvalues) {
            largest = Math.max(largest, Math.abs(value));
        }
        double[] clamped = new double[eigenvalues.length];
        for (int i = 0; i < eigenvalues.length; i++) {
            if (eigenvalues[i] < -NEGATIVE_TOLERANCE * largest) {
                throw new IllegalArgumentException("matrix is not positive semi-definite: eigenvalue " + eigenvalues[i]);
            }
            clamped[i] = Math.max(0, eigenvalues[i]);
        }
        return clamped;
    }

    private static double[] mean(double[][] rows) {
        double[] mean = new double[rows[0].length];
        for (double[] row : rows) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= rows.length;
        }
        return mean;
    }

    /** Unbiased: divided by n - 1. Deviations from the mean first, so large offsets do not cancel. */
    private static double[][] covariance(double[][] rows) {
        double[] mean = mean(rows);
        int dimension = mean.length;
        double[][] covariance = new double[dimension][dimension];
        double[] deviation = new double[dimension];
        for (double[] row : rows) {
            for (int i = 0; i < dimension; i++) {
                deviation[i] = row[i] - mean[i];
            }
            for (int i = 0; i < dimension; i++) {
                for (int j = i; j < dimension; j++) {
                    covariance[i][j] += deviation[i] * deviation[j];
                }
            }
        }
        for (int i = 0; i < dimension; i++) {
            for (int j = i; j < dimension; j++) {
                covariance[i][j] /= rows.length - 1;
                covariance[j][i] = covariance[i][j];
            }
        }
        return covariance;
    }

    private static double[][] multiply(double[][] left, double[][] right) {
        int n = left.length;
        double[][] product = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double lik = left[i][k];
                for (int j = 0; j < n; j++) {
                    product[i][j] += lik * right[k][j];
                }
            }
        }
        return product;
    }

    private static void requireRows(double[][] rows, int dimension, String which) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("the " + which + " set has " + rows.length
                    + " vector(s); a covariance needs at least 2");
        }
        for (double[] row : rows) {
            if (row.length != dimension) {
                throw new IllegalArgumentException("the " + which + " set has a vector of " + row.length
                        + " values, expected " + dimension);
            }
        }
    }

    private static double[][] toRows(float[] flat, int dimension) {
        if (dimension <= 0 || flat.length % dimension != 0) {
            throw new IllegalArgumentException(flat.length + " values are not a whole number of "
                    + dimension + "-dimensional vectors");
        }
        double[][] rows = new double[flat.length / dimension][dimension];
        for (int i = 0; i < flat.length; i++) {
            rows[i / dimension][i % dimension] = flat[i];
        }
        return rows;
    }
}
