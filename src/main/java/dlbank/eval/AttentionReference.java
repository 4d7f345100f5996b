package dlbank.eval;

/**
 * Multi-head self-attention the way it is written on a whiteboard, in plain double-precision loops:
 * project, score every query against every key, mask the future, softmax, weight the values, join
 * the heads, project. Slow and obviously right, so {@link dlbank.model.Transformer}'s tensor version
 * can be checked against it.
 */
public final class AttentionReference {

    private AttentionReference() {}

    /**
     * @param x one sequence, (length, width)
     * @param qkvWeight (width, 3·width): columns [0, w) make queries, [w, 2w) keys, [2w, 3w) values;
     *                  within each, head h owns columns [h·d_k, (h+1)·d_k)
     * @param qkvBias (3·width)
     * @param outWeight (width, width)
     * @param outBias (width)
     * @param causal position i sees only positions 0..i
     * @param scaled divide the scores by √d_k
     * @return the attention sublayer's output, (length, width)
     */
    public static double[][] selfAttention(double[][] x, double[][] qkvWeight, double[] qkvBias, double[][] outWeight,
                                           double[] outBias, int heads, boolean causal, boolean scaled) {
        int length = x.length;
        int width = x[0].length;
        int headSize = width / heads;
        double[][] qkv = new double[length][3 * width];
        for (int t = 0; t < length; t++) {
            for (int c = 0; c < 3 * width; c++) {
                double sum = qkvBias[c];
                for (int i = 0; i < width; i++) {
                    sum += x[t][i] * qkvWeight[i][c];
                }
                qkv[t][c] = sum;
            }
        }
        double[][] joined = new double[length][width];
        for (int h = 0; h < heads; h++) {
            int q0 = h * headSize;
            int k0 = width + h * headSize;
            int v0 = 2 * width + h * headSize;
            for (int i = 0; i < length; i++) {
                int visible = causal ? i + 1 : length;
                double[] scores = new double[visible];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    double dot = 0;
                    for (int e = 0; e < headSize; e++) {
                        dot += qkv[i][q0 + e] * qkv[j][k0 + e];
                    }
                    scores[j] = scaled ? dot / Math.sqrt(headSize) : dot;
                    max = Math.max(max, scores[j]);
                }
                double total = 0;
                for (int j = 0; j < visible; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    total += scores[j];
                }
                for (int j = 0; j < visible; j++) {
                    for (int e = 0; e < headSize; e++) {
                        joined[i][h * headSize + e] += scores[j] / total * qkv[j][v0 + e];
                    }
                }
            }
        }
        double[][] out = new double[length][width];
        for (int t = 0; t < length; t++) {
            for (int c = 0; c < width; c++) {
                double sum = outBias[c];
                for (int i = 0; i < width; i++) {
                    sum += joined[t][i] * outWeight[i][c];
                }
                out[t][c] = sum;
            }
        }
        return out;
    }

    /** A row-major float array as a (rows, columns) matrix of doubles. */
    public static double[][] matrix(float[] flat, int rows, int columns) {
        double[][] out = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[r][c] = flat[r * columns + c];
            }
        }
        return out;
    }

    /** A float array as doubles. */
    public static double[] vector(float[] flat) {
        double[] out = new double[flat.length];
        for (int i = 0; i < flat.length; i++) {
            out[i] = flat[i];
        }
        return out;
    }
}
