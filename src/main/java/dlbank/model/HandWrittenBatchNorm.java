package dlbank.model;

/**
 * Batch normalization in training mode, forward and backward, written out by hand on plain
 * {@code double} arrays (Ioffe &amp; Szegedy, 2015, Batch Normalization: Accelerating Deep Network
 * Training by Reducing Internal Covariate Shift). The input is (N, C, M) row-major, M = H·W; each
 * channel c is normalised over its N·M values, m = N·M:
 *
 * <pre>
 * μ_c  = (1/m) Σ x                 σ²_c = (1/m) Σ (x − μ_c)²     (the biased variance)
 * x̂    = (x − μ_c) / √(σ²_c + ε)   y    = γ_c · x̂ + β_c
 *
 * ∂L/∂β_c = Σ ∂L/∂y                ∂L/∂γ_c = Σ ∂L/∂y · x̂
 * ∂L/∂x   = γ_c / (m·√(σ²_c + ε)) · (m·∂L/∂y − ∂L/∂β_c − x̂ · ∂L/∂γ_c)
 * </pre>
 *
 * The running statistics that inference uses are updated as PyTorch does: running = (1 − momentum)
 * · running + momentum · batch value, with the unbiased variance (m / (m − 1) · σ²).
 */
public final class HandWrittenBatchNorm {

    private HandWrittenBatchNorm() {}

    /** The forward pass's output and what the backward pass reuses. */
    public record Forward(double[] y, double[] normalised, double[] mean, double[] variance, double[] inverseStd) {}

    /** The gradients of the loss with respect to the input, γ and β. */
    public record Backward(double[] input, double[] gamma, double[] beta) {}

    public static Forward forward(double[] x, int n, int c, int m, double[] gamma, double[] beta, double epsilon) {
        double[] mean = new double[c];
        double[] variance = new double[c];
        double[] inverseStd = new double[c];
        double count = (double) n * m;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    sum += x[index(i, ch, j, c, m)];
                }
            }
            mean[ch] = sum / count;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double d = x[index(i, ch, j, c, m)] - mean[ch];
                    squares += d * d;
                }
            }
            variance[ch] = squares / count;
            inverseStd[ch] = 1 / Math.sqrt(variance[ch] + epsilon);
        }
        double[] normalised = new double[x.length];
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < m; j++) {
                    int at = index(i, ch, j, c, m);
                    normalised[at] = (x[at] - mean[ch]) * inverseStd[ch];
                    y[at] = gamma[ch] * normalised[at] + beta[ch];
                }
            }
        }
        return new Forward(y, normalised, mean, variance, inverseStd);
    }

    /** @param upstream ∂L/∂y, (N, C, M) */
    public static Backward backward(Forward forward, double[] upstream, int n, int c, int m, double[] gamma) {
        double[] dGamma = new double[c];
        double[] dBeta = new double[c];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < m; j++) {
                    int at = index(i, ch, j, c, m);
                    dBeta[ch] += upstream[at];
                    dGamma[ch] += upstream[at] * forward.normalised()[at];
                }
            }
        }
        double count = (double) n * m;
        double[] dInput = new double[upstream.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double scale = gamma[ch] * forward.inverseStd()[ch] / count;
                for (int j = 0; j < m; j++) {
                    int at = index(i, ch, j, c, m);
                    dInput[at] = scale * (count * upstream[at] - dBeta[ch] - forward.normalised()[at] * dGamma[ch]);
                }
            }
        }
        return new Backward(dInput, dGamma, dBeta);
    }

    /** The running mean and variance after one training batch, from {@code runningMean} and {@code runningVariance}. */
    public static double[][] runningStatistics(Forward forward, double[] runningMean, double[] runningVariance,
                                               long count, double momentum) {
        int c = runningMean.length;
        double[] mean = new double[c];
        double[] variance = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = (1 - momentum) * runningMean[ch] + momentum * forward.mean()[ch];
            variance[ch] = (1 - momentum) * runningVariance[ch]
                    + momentum * forward.variance()[ch] * count / (count - 1);
        }
        return new double[][] {mean, variance};
    }

    private static int index(int example, int channel, int position, int channels, int positions) {
        return (example * channels + channel) * positions + position;
    }
}
