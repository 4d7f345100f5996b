package dlbank.model;

import java.util.List;
import java.util.Random;

/**
 * A two-layer perceptron whose forward and backward passes are written out by hand on plain
 * {@code double} arrays: the equations of concept/backpropagation (Rumelhart, Hinton &amp; Williams,
 * 1986), with a tanh hidden layer, a softmax output and the mean cross-entropy over a batch.
 *
 * <pre>
 * z1 = x·W1ᵀ + b1     (N, H)          δ2 = (p − y) / N                (N, K)
 * h  = tanh(z1)       (N, H)          ∂L/∂W2 = δ2ᵀ·h,  ∂L/∂b2 = Σ_n δ2
 * z2 = h·W2ᵀ + b2     (N, K)          δ1 = (δ2·W2) ⊙ (1 − h²)         (N, H)
 * p  = softmax(z2)                    ∂L/∂W1 = δ1ᵀ·x,  ∂L/∂b1 = Σ_n δ1
 * L  = −(1/N)·Σ_n log p[n, y_n]
 * </pre>
 *
 * <p>The parameters are four row-major arrays, in the order of {@link #NAMES}: W1 (H, D), b1 (H),
 * W2 (K, H), b2 (K). Inputs are row-major (N, D).
 */
public final class HandWrittenMlp {

    public static final List<String> NAMES = List.of("W1", "b1", "W2", "b2");

    private final int inputs;
    private final int hidden;
    private final int classes;
    private final double[][] parameters;

    /** Weights drawn from N(0, 1/fan_in) (LeCun initialisation, suited to tanh), biases zero. */
    public HandWrittenMlp(int inputs, int hidden, int classes, long seed) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        Random random = new Random(seed);
        parameters = new double[][] {gaussian(hidden * inputs, 1 / Math.sqrt(inputs), random), new double[hidden],
                gaussian(classes * hidden, 1 / Math.sqrt(hidden), random), new double[classes]};
    }

    public int inputs() {
        return inputs;
    }

    public int hidden() {
        return hidden;
    }

    public int classes() {
        return classes;
    }

    /** The live parameter arrays, in the order of {@link #NAMES}: change them and the network changes. */
    public double[][] parameters() {
        return parameters;
    }

    public long parameterCount() {
        long count = 0;
        for (double[] parameter : parameters) {
            count += parameter.length;
        }
        return count;
    }

    /** The activations of one forward pass, kept for the backward pass. */
    private record Forward(double[] hidden, double[] probabilities, double loss) {}

    /** The mean cross-entropy of the batch. */
    public double loss(double[] x, int[] labels) {
        return forward(x, labels).loss();
    }

    /** The most probable class of each row of x. */
    public int[] predict(double[] x) {
        int n = x.length / inputs;
        double[] p = forward(x, new int[n]).probabilities();
        int[] best = new int[n];
        for (int row = 0; row < n; row++) {
            for (int k = 1; k < classes; k++) {
                if (p[row * classes + k] > p[row * classes + best[row]]) {
                    best[row] = k;
                }
            }
        }
        return best;
    }

    private Forward forward(double[] x, int[] labels) {
        int n = labels.length;
        double[] w1 = parameters[0];
        double[] b1 = parameters[1];
        double[] w2 = parameters[2];
        double[] b2 = parameters[3];
        double[] h = new double[n * hidden];                                     // (N, H)
        double[] p = new double[n * classes];                                    // (N, K)
        double loss = 0;
        for (int row = 0; row < n; row++) {
            for (int j = 0; j < hidden; j++) {
                double z = b1[j];
                for (int i = 0; i < inputs; i++) {
                    z += w1[j * inputs + i] * x[row * inputs + i];
                }
                h[row * hidden + j] = Math.tanh(z);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double z = b2[k];
                for (int j = 0; j < hidden; j++) {
                    z += w2[k * hidden + j] * h[row * hidden + j];
                }
                p[row * classes + k] = z;
                max = Math.max(max, z);
            }
            // log-softmax with the largest logit subtracted, so exp never overflows
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(p[row * classes + k] - max);
            }
            double logSum = max + Math.log(sum);
            loss += logSum - p[row * classes + labels[row]];
            for (int k = 0; k < classes; k++) {
                p[row * classes + k] = Math.exp(p[row * classes + k] - logSum);
            }
        }
        return new Forward(h, p, loss / n);
    }

    /** ∂L/∂θ for every parameter, in the layout of {@link #parameters()}: one forward and one backward pass. */
    public double[][] gradients(double[] x, int[] labels) {
        int n = labels.length;
        Forward forward = forward(x, labels);
        double[] h = forward.hidden();
        double[] w2 = parameters[2];
        double[] gradW1 = new double[hidden * inputs];
        double[] gradB1 = new double[hidden];
        double[] gradW2 = new double[classes * hidden];
        double[] gradB2 = new double[classes];
        double[] delta2 = new double[classes];
        double[] delta1 = new double[hidden];
        for (int row = 0; row < n; row++) {
            for (int k = 0; k < classes; k++) {
                delta2[k] = (forward.probabilities()[row * classes + k] - (k == labels[row] ? 1 : 0)) / n;
                gradB2[k] += delta2[k];
                for (int j = 0; j < hidden; j++) {
                    gradW2[k * hidden + j] += delta2[k] * h[row * hidden + j];
                }
            }
            for (int j = 0; j < hidden; j++) {
                double back = 0;                                                 // (W2ᵀ·δ2)_j
                for (int k = 0; k < classes; k++) {
                    back += w2[k * hidden + j] * delta2[k];
                }
                double activation = h[row * hidden + j];
                delta1[j] = back * (1 - activation * activation);                // tanh' = 1 − tanh²
                gradB1[j] += delta1[j];
                if (delta1[j] != 0) {
                    for (int i = 0; i < inputs; i++) {
                        gradW1[j * inputs + i] += delta1[j] * x[row * inputs + i];
                    }
                }
            }
        }
        return new double[][] {gradW1, gradB1, gradW2, gradB2};
    }

    /** One plain gradient-descent step, θ ← θ − rate·∂L/∂θ, on one batch. */
    public void step(double[] x, int[] labels, double rate) {
        double[][] gradients = gradients(x, labels);
        for (int p = 0; p < parameters.length; p++) {
            for (int i = 0; i < parameters[p].length; i++) {
                parameters[p][i] -= rate * gradients[p][i];
            }
        }
    }

    /**
     * One pass of plain gradient descent over the rows of x in a random order, in mini-batches;
     * returns the mean loss of the batches before their steps.
     */
    public double trainEpoch(double[] x, int[] labels, int batchSize, double rate, Random random) {
        int n = labels.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        double lossSum = 0;
        for (int from = 0; from < n; from += batchSize) {
            int size = Math.min(batchSize, n - from);
            double[] batchX = new double[size * inputs];
            int[] batchLabels = new int[size];
            for (int i = 0; i < size; i++) {
                System.arraycopy(x, order[from + i] * inputs, batchX, i * inputs, inputs);
                batchLabels[i] = labels[order[from + i]];
            }
            lossSum += loss(batchX, batchLabels) * size;
            step(batchX, batchLabels, rate);
        }
        return lossSum / n;
    }

    private static double[] gaussian(int size, double sd, Random random) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian() * sd;
        }
        return values;
    }
}
