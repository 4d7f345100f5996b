package dlbank.eval;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method.
 *
 * <p>Each rotation zeroes one off-diagonal pair; sweeps over all pairs repeat until the off-diagonal
 * part is negligible (convergence is quadratic, a handful of sweeps). Jacobi is slower than
 * Householder + QL by a small factor but short, and accurate to a few ulps of the largest
 * eigenvalue: a 128x128 matrix takes some tens of milliseconds once the JIT has warmed up.
 * A = V · diag(values) · Vᵀ, where column i of V is the row vectors[i].
 */
final class SymmetricEigen {

    private static final int MAX_SWEEPS = 100;

    /** values[i] belongs to the unit eigenvector vectors[i] (a row, so that rotations read memory in order). */
    final double[] values;
    final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes a copy of the matrix, made exactly symmetric by averaging it with its transpose. */
    static SymmetricEigen of(double[][] symmetric) {
        int n = symmetric.length;
        double[][] a = new double[n][n];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (symmetric[i].length != n) {
                throw new IllegalArgumentException("not square: row " + i + " has " + symmetric[i].length
                        + " values, expected " + n);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = (symmetric[i][j] + symmetric[j][i]) / 2;
            }
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && !diagonalEnough(a); sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double pair = Math.abs(a[p][q]);
                    if (sweep > 3 && Math.abs(a[p][p]) + 100 * pair == Math.abs(a[p][p])
                            && Math.abs(a[q][q]) + 100 * pair == Math.abs(a[q][q])) {
                        // Below the diagonal's rounding (Numerical Recipes' test): a rotation would change nothing.
                        a[p][q] = 0;
                        a[q][p] = 0;
                    } else if (pair != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return new SymmetricEigen(values, v);
    }

    /** A ← JᵀAJ and Vᵀ ← JᵀVᵀ (v holds Vᵀ), with the rotation J in the (p, q) plane chosen so that A[p][q] becomes 0. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        // cot 2φ = (A_qq - A_pp) / (2 A_pq); t = tan φ, the smaller root of t² + 2θt - 1 = 0 (|φ| ≤ π/4).
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.abs(theta) > 1e150
                ? 0.5 / theta // θ² would overflow; t ≈ 1/(2θ)
                : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        // Only rows and columns p and q change; A stays symmetric, so each new value is written twice.
        for (int k = 0; k < n; k++) {
            if (k != p && k != q) {
                double akp = a[p][k]; // = a[k][p], read along the row
                double akq = a[q][k];
                a[k][p] = a[p][k] = c * akp - s * akq;
                a[k][q] = a[q][k] = s * akp + c * akq;
            }
        }
        double apq = a[p][q];
        a[p][p] -= t * apq;
        a[q][q] += t * apq;
        a[p][q] = 0; // zero by construction
        a[q][p] = 0;
        double[] vp = v[p];
        double[] vq = v[q];
        for (int k = 0; k < n; k++) {
            double vkp = vp[k];
            double vkq = vq[k];
            vp[k] = c * vkp - s * vkq;
            vq[k] = s * vkp + c * vkq;
        }
    }

    /** Off-diagonal sum of squares below (1e-15)² of the whole matrix's, or exactly zero. */
    private static boolean diagonalEnough(double[][] a) {
        double off = 0;
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                double square = a[i][j] * a[i][j];
                total += square;
                off += i == j ? 0 : square;
            }
        }
        return off == 0 || off <= 1e-30 * total;
    }
}
