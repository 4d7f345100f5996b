package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeout;

class FrechetDistanceTest {

    @Test
    void matrixSqrtOfATwoByTwoMatchesTheHandComputedRoot() {
        // [[5, 4], [4, 5]] has eigenvalues 9 and 1 on (1, 1)/√2 and (1, -1)/√2, so its root is
        // 3·[[.5, .5], [.5, .5]] + 1·[[.5, -.5], [-.5, .5]] = [[2, 1], [1, 2]]; check: [[2,1],[1,2]]² = [[5,4],[4,5]].
        double[][] root = FrechetDistance.matrixSqrt(new double[][] {{5, 4}, {4, 5}});
        assertThat(root[0]).containsExactly(new double[] {2, 1}, within(1e-12));
        assertThat(root[1]).containsExactly(new double[] {1, 2}, within(1e-12));
    }

    @Test
    void matrixSqrtSquaresBackToAThreeByThreeMatrix() {
        // Positive definite: leading minors 4, 4·3 - 1 = 11, det = 4·(6 - 1) - 1·2 = 18.
        double[][] matrix = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
        double[][] root = FrechetDistance.matrixSqrt(matrix);
        double[][] square = multiply(root, root);
        for (int i = 0; i < 3; i++) {
            assertThat(square[i]).containsExactly(matrix[i], within(1e-12));
            for (int j = 0; j < 3; j++) {
                assertThat(root[i][j]).isEqualTo(root[j][i]);
            }
        }
        // The principal root, as scipy.linalg.sqrtm gives it.
        assertThat(root[0]).containsExactly(new double[] {1.98070913, 0.27578189, -0.02712356}, within(1e-8));
    }

    @Test
    void matrixSqrtOfASingularMatrixClampsTheZeroEigenvalue() {
        // [[1, 1], [1, 1]] = 2·vvᵀ with v = (1, 1)/√2, so its root is √2·vvᵀ = [[1, 1], [1, 1]]/√2.
        double[][] root = FrechetDistance.matrixSqrt(new double[][] {{1, 1}, {1, 1}});
        double half = 1 / Math.sqrt(2);
        assertThat(root[0]).containsExactly(new double[] {half, half}, within(1e-12));
        assertThat(root[1]).containsExactly(new double[] {half, half}, within(1e-12));
        assertThatThrownBy(() -> FrechetDistance.matrixSqrt(new double[][] {{1, 2}, {2, 1}})) // eigenvalues 3, -1
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not positive semi-definite");
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        double[][] features = randomFeatures(50, 8, 1, 0);
        assertThat(FrechetDistance.between(features, features.clone())).isCloseTo(0, within(1e-9));
    }

    @Test
    void inOneDimensionItIsTheSquaredGapOfMeansPlusTheSquaredGapOfStandardDeviations() {
        // {1, 2, 3}: mean 2, variance (1 + 0 + 1)/2 = 1; {4, 6, 8}: mean 6, variance (4 + 0 + 4)/2 = 4.
        // (2 - 6)² + (1 - 2)² = 17.
        double[][] first = {{1}, {2}, {3}};
        double[][] second = {{4}, {6}, {8}};
        assertThat(FrechetDistance.between(first, second)).isCloseTo(17, within(1e-12));
        assertThat(FrechetDistance.between(new float[] {1, 2, 3}, new float[] {4, 6, 8}, 1)).isCloseTo(17, within(1e-12));
    }

    @Test
    void withDiagonalCovariancesItIsTheSumOverAxes() {
        // Corners of a 2x2 square: mean (1, 1), variances 4·1/3 = 4/3 on each axis, covariance 0.
        // Corners of a 6x2 rectangle: mean (3, 1), variances 4·9/3 = 12 and 4/3, covariance 0.
        // ||(1,1) - (3,1)||² = 4; axis x: (√(4/3) - √12)² = (2/√3 - 6/√3)² = 16/3; axis y: 0 -> 4 + 16/3 = 28/3.
        double[][] square = {{0, 0}, {2, 0}, {0, 2}, {2, 2}};
        double[][] rectangle = {{0, 0}, {6, 0}, {0, 2}, {6, 2}};
        assertThat(FrechetDistance.between(square, rectangle)).isCloseTo(28.0 / 3, within(1e-12));
    }

    @Test
    void withCovariancesThatDoNotCommuteItMatchesScipyAndIsSymmetric() {
        // Reference: numpy.cov and scipy.linalg.sqrtm(C1 @ C2) on the same points (scipy 1.17): 1.1932430124099138.
        double[][] first = {{1, 2, 0}, {3, 1, 1}, {0, 0, 2}, {2, 4, 1}, {1, 1, 1}, {4, 2, 3}};
        double[][] second = {{0, 1, 1}, {2, 2, 0}, {5, 1, 2}, {1, 3, 3}, {2, 0, 1}};
        assertThat(FrechetDistance.between(first, second)).isCloseTo(1.1932430124099138, within(1e-10));
        assertThat(FrechetDistance.between(second, first)).isCloseTo(1.1932430124099138, within(1e-10));
    }

    @Test
    void aHundredAndTwentyEightDimensionsTakeWellUnderASecond() {
        double[][] real = randomFeatures(400, 128, 2, 0);
        double[][] generated = randomFeatures(400, 128, 3, 0.1);
        double distance = assertTimeout(Duration.ofSeconds(5), () -> FrechetDistance.between(real, generated));
        // Same distribution but for a 0.1 shift of the mean on each of 128 axes: the mean term alone is
        // about 128·0.01 = 1.28, and sampling noise in the covariances adds a little more.
        assertThat(distance).isGreaterThan(1.0);
        assertThat(FrechetDistance.between(generated, real)).isCloseTo(distance, within(1e-9 * distance));
    }

    @Test
    void rejectsTooFewVectorsAndMismatchedDimensions() {
        assertThatThrownBy(() -> FrechetDistance.between(new double[][] {{1, 2}}, new double[][] {{1, 2}, {3, 4}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 2");
        assertThatThrownBy(() -> FrechetDistance.between(new float[] {1, 2, 3}, new float[] {1, 2}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
    }

    private static double[][] randomFeatures(int rows, int dimension, long seed, double shift) {
        Random random = new Random(seed);
        double[][] features = new double[rows][dimension];
        for (double[] row : features) {
            double common = random.nextGaussian(); // one shared factor, so the axes correlate
            for (int i = 0; i < dimension; i++) {
                row[i] = shift + random.nextGaussian() + 0.5 * common * (i % 3 - 1);
            }
        }
        return features;
    }

    private static double[][] multiply(double[][] left, double[][] right) {
        int n = left.length;
        double[][] product = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    product[i][j] += left[i][k] * right[k][j];
                }
            }
        }
        return product;
    }
}
