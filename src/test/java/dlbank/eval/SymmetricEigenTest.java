package dlbank.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SymmetricEigenTest {

    @Test
    void twoByTwoHasTheHandComputedEigenpairs() {
        // [[2, 1], [1, 2]]: (1, 1)/√2 with eigenvalue 3, (1, -1)/√2 with eigenvalue 1.
        SymmetricEigen eigen = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        double[] sorted = eigen.values.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(new double[] {1, 3}, within(1e-15));
        int three = eigen.values[0] > 2 ? 0 : 1;
        assertThat(Math.abs(eigen.vectors[three][0])).isCloseTo(1 / Math.sqrt(2), within(1e-15));
        assertThat(eigen.vectors[three][0]).isCloseTo(eigen.vectors[three][1], within(1e-15));
    }

    @Test
    void rebuildsAnIndefiniteMatrixFromOrthonormalEigenvectors() {
        int n = 60;
        Random random = new Random(11);
        double[][] matrix = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                matrix[i][j] = matrix[j][i] = random.nextGaussian();
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(matrix);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rebuilt = 0; // (V · diag(values) · Vᵀ)[i][j]
                double dot = 0; // eigenvector i · eigenvector j
                for (int k = 0; k < n; k++) {
                    rebuilt += eigen.vectors[k][i] * eigen.values[k] * eigen.vectors[k][j];
                    dot += eigen.vectors[i][k] * eigen.vectors[j][k];
                }
                assertThat(rebuilt).isCloseTo(matrix[i][j], within(1e-12));
                assertThat(dot).isCloseTo(i == j ? 1 : 0, within(1e-12));
            }
        }
    }
}
