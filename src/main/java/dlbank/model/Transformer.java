package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Transformer (Vaswani et al., 2017, Attention Is All You Need) written out op by op, so that every
 * piece an interview asks for is visible: token embedding, a choice of position information, layers
 * of multi-head self-attention and a feed-forward network, each with a residual connection and a
 * layer norm before it (pre-LN, as GPT-2) or after it (post-LN, as the 2017 paper), and the output
 * layer tied to the embedding. With {@code causal} it is a decoder (GPT: each position sees only the
 * ones before it), without it an encoder (BERT: every position sees all).
 *
 * <p>Input: token ids (batch, length); output: logits over the vocabulary (batch, length, vocabulary).
 * For generation, {@link #hidden} takes a {@link KvCache} and the position of the first new token.
 */
public final class Transformer extends AbstractBlock {

    /** Where the model gets word order from. */
    public enum Positions {
        /** Nothing: attention without positions is permutation-equivariant. */
        NONE,
        /** A learned vector per position, added to the token embedding (GPT-2, BERT). */
        LEARNED,
        /** Fixed sines and cosines of geometric wavelengths, added to the token embedding (the 2017 paper). */
        SINUSOIDAL,
        /** Queries and keys rotated by an angle proportional to their position (Su et al., 2021, RoFormer). */
        ROPE,
        /** A penalty on each attention score linear in the distance (Press, Smith &amp; Lewis, 2022, ALiBi). */
        ALIBI;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Positions parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Where the layer norm sits relative to each residual branch. */
    public enum Norm {
        /** x + f(LN(x)), and one LN at the end: the residual path is an identity from input to output. */
        PRE,
        /** LN(x + f(x)): every layer's output passes a norm, as in the 2017 paper and BERT. */
        POST;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The architecture.
     *
     * @param vocabulary ids the embedding knows (the output has as many logits)
     * @param width d_model, the size of every token's vector
     * @param heads attention heads; each has width / heads dimensions (d_k)
     * @param layers Transformer layers (blocks)
     * @param feedForward hidden units of each feed-forward network (4 x width in most models)
     * @param maxLength the longest input; the size of the learned position table
     * @param scaled divide the attention scores by √d_k, as the paper does
     */
    public record Config(int vocabulary, int width, int heads, int layers, int feedForward, int maxLength,
                         Positions positions, Norm norm, boolean causal, boolean scaled) {
        public Config {
            if (width % heads != 0) {
                throw new IllegalArgumentException("width " + width + " is not a multiple of " + heads + " heads");
            }
            if (positions == Positions.ROPE && (width / heads) % 2 != 0) {
                throw new IllegalArgumentException("rotary positions need an even head size, got " + width / heads);
            }
        }

        public int headSize() {
            return width / heads;
        }

        public Config withNorm(Norm newNorm) {
            return new Config(vocabulary, width, heads, layers, feedForward, maxLength, positions, newNorm, causal, scaled);
        }

        public Config withScaled(boolean newScaled) {
            return new Config(vocabulary, width, heads, layers, feedForward, maxLength, positions, norm, causal, newScaled);
        }

        public Config withPositions(Positions newPositions) {
            return new Config(vocabulary, width, heads, layers, feedForward, maxLength, newPositions, norm, causal, scaled);
        }

        /**
         * The parameter count by formula: embedding V·d (shared with the output layer), learned
         * positions P·d, and per layer 4·d² + 4·d for the attention projections with their biases,
         * 2·d·f + f + d for the feed-forward network, 4·d for two norms' scales and shifts; pre-LN adds
         * a final norm (2·d).
         */
        public long parameterFormula() {
            long d = width;
            long perLayer = 4 * d * d + 4 * d + 2 * d * feedForward + feedForward + d + 4 * d;
            return vocabulary * d + (positions == Positions.LEARNED ? (long) maxLength * d : 0)
                    + layers * perLayer + (norm == Norm.PRE ? 2 * d : 0);
        }
    }

    /** Receives each layer's attention weights (batch, heads, queries, keys) during a forward pass. */
    @FunctionalInterface
    public interface AttentionProbe {
        void weights(int layer, NDArray weights);
    }

    private static final float MASKED = -1e9f;
    private static final float NORM_EPSILON = 1e-5f;

    private final Config config;
    private final Parameter embedding;
    private final Parameter positionTable;
    private final List<Layer> layerParameters = new ArrayList<>();
    private final Parameter finalGamma;
    private final Parameter finalBeta;

    /** The parameters of one layer. */
    private record Layer(Parameter attentionGamma, Parameter attentionBeta, Parameter qkvWeight, Parameter qkvBias,
                         Parameter outWeight, Parameter outBias, Parameter ffGamma, Parameter ffBeta,
                         Parameter ff1Weight, Parameter ff1Bias, Parameter ff2Weight, Parameter ff2Bias) {}

    public Transformer(Config config) {
        this.config = config;
        int d = config.width();
        embedding = weight("embedding", new Shape(config.vocabulary(), d));
        positionTable = config.positions() == Positions.LEARNED ? weight("positions", new Shape(config.maxLength(), d)) : null;
        for (int l = 0; l < config.layers(); l++) {
            String p = "layer" + l + "_";
            layerParameters.add(new Layer(
                    parameter(p + "attention_norm_gamma", Parameter.Type.GAMMA, new Shape(d)),
                    parameter(p + "attention_norm_beta", Parameter.Type.BETA, new Shape(d)),
                    weight(p + "qkv_weight", new Shape(d, 3L * d)),
                    parameter(p + "qkv_bias", Parameter.Type.BIAS, new Shape(3L * d)),
                    weight(p + "out_weight", new Shape(d, d)),
                    parameter(p + "out_bias", Parameter.Type.BIAS, new Shape(d)),
                    parameter(p + "ff_norm_gamma", Parameter.Type.GAMMA, new Shape(d)),
                    parameter(p + "ff_norm_beta", Parameter.Type.BETA, new Shape(d)),
                    weight(p + "ff1_weight", new Shape(d, config.feedForward())),
                    parameter(p + "ff1_bias", Parameter.Type.BIAS, new Shape(config.feedForward())),
                    weight(p + "ff2_weight", new Shape(config.feedForward(), d)),
                    parameter(p + "ff2_bias", Parameter.Type.BIAS, new Shape(d))));
        }
        finalGamma = config.norm() == Norm.PRE ? parameter("final_norm_gamma", Parameter.Type.GAMMA, new Shape(d)) : null;
        finalBeta = config.norm() == Norm.PRE ? parameter("final_norm_beta", Parameter.Type.BETA, new Shape(d)) : null;
    }

    private Parameter weight(String name, Shape shape) {
        return parameter(name, Parameter.Type.WEIGHT, shape);
    }

    private Parameter parameter(String name, Parameter.Type type, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).build());
    }

    public Config config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        return new NDList(logits(store, hidden(store, ids, training, null, 0, null), training));
    }

    /**
     * The final hidden states (batch, length, width) of the tokens {@code ids}, which stand at positions
     * {@code offset}, {@code offset + 1}, ...; with a cache, the keys and values of the positions
     * before {@code offset} come from it and those of these tokens are added to it.
     */
    public NDArray hidden(ParameterStore store, NDArray ids, boolean training, KvCache cache, int offset,
                          AttentionProbe probe) {
        NDManager manager = ids.getManager();
        int length = (int) ids.getShape().get(1);
        if (offset + length > config.maxLength() && config.positions() == Positions.LEARNED) {
            throw new IllegalArgumentException("position " + (offset + length) + " is beyond the learned table of "
                    + config.maxLength());
        }
        NDArray table = value(store, embedding, ids, training);
        NDArray x = Embedding.embedding(ids.toType(DataType.INT64, false), table, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();                                                          // (B, T, d)
        if (config.positions() == Positions.LEARNED) {
            NDArray positions = value(store, positionTable, ids, training);
            x = x.add(positions.get(manager, new ai.djl.ndarray.index.NDIndex().addSliceDim(offset, offset + length)));
        } else if (config.positions() == Positions.SINUSOIDAL) {
            x = x.add(manager.create(PositionCodes.sinusoidal(offset, length, config.width()), new Shape(length, config.width())));
        }
        int keysBefore = cache == null ? 0 : cache.length();
        NDArray bias = scoreBias(manager, offset, length, keysBefore);                      // (1 or H, T, keys) or null
        for (int l = 0; l < layerParameters.size(); l++) {
            Layer layer = layerParameters.get(l);
            if (config.norm() == Norm.PRE) {
                x = x.add(attention(store, layer, norm(store, layer.attentionGamma(), layer.attentionBeta(), x, training),
                        bias, training, cache, l, offset, probe));
                x = x.add(feedForward(store, layer, norm(store, layer.ffGamma(), layer.ffBeta(), x, training), training));
            } else {
                x = norm(store, layer.attentionGamma(), layer.attentionBeta(),
                        x.add(attention(store, layer, x, bias, training, cache, l, offset, probe)), training);
                x = norm(store, layer.ffGamma(), layer.ffBeta(), x.add(feedForward(store, layer, x, training)), training);
            }
        }
        if (cache != null) {
            cache.advance(length);
        }
        return config.norm() == Norm.PRE ? norm(store, finalGamma, finalBeta, x, training) : x;
    }

    /** Logits over the vocabulary from hidden states: the embedding matrix, transposed, is the output layer. */
    public NDArray logits(ParameterStore store, NDArray hidden, boolean training) {
        NDArray transposed = value(store, embedding, hidden, training).transpose();         // (d, V)
        transposed.attach(hidden.getManager()); // a view made from a parameter: it would join the model's manager
        return hidden.matMul(transposed);                                                    // (B, T, V)
    }

    /**
     * Layer {@code layer}'s attention sublayer alone on x (batch, length, width), at positions 0.. and
     * with the config's mask: what {@link dlbank.eval.AttentionReference} computes in plain loops.
     */
    public NDArray selfAttention(ParameterStore store, int layer, NDArray x) {
        int length = (int) x.getShape().get(1);
        return attention(store, layerParameters.get(layer), x, scoreBias(x.getManager(), 0, length, 0), false, null,
                layer, 0, null);
    }

    /**
     * Multi-head self-attention, by hand: one projection makes Q, K and V for all heads, the scores
     * are Q·Kᵀ (divided by √d_k when the config says so) plus the mask and position bias, a softmax
     * over the keys gives the weights, and the heads' weighted sums of V are joined and projected.
     */
    private NDArray attention(ParameterStore store, Layer layer, NDArray x, NDArray bias, boolean training,
                              KvCache cache, int layerIndex, int offset, AttentionProbe probe) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        int heads = config.heads();
        int headSize = config.headSize();
        NDArray qkv = x.matMul(value(store, layer.qkvWeight(), x, training)).add(value(store, layer.qkvBias(), x, training));
        qkv = qkv.reshape(batch, length, 3, heads, headSize).transpose(2, 0, 3, 1, 4);     // (3, B, H, T, d_k)
        NDArray q = qkv.get(0);
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        if (config.positions() == Positions.ROPE) {
            q = PositionCodes.rotate(q, offset);
            k = PositionCodes.rotate(k, offset);
        }
        if (cache != null) {
            NDList all = cache.append(layerIndex, k, v);
            k = all.get(0);
            v = all.get(1);
        }
        NDList attended = attend(q, k, v, bias, config.scaled());
        if (probe != null) {
            probe.weights(layerIndex, attended.get(1));
        }
        NDArray joined = attended.get(0).transpose(0, 2, 1, 3).reshape(batch, length, config.width());
        return joined.matMul(value(store, layer.outWeight(), x, training)).add(value(store, layer.outBias(), x, training));
    }

    /**
     * Scaled dot-product attention over heads: q (B, H, Tq, d_k), k and v (B, H, Tk, d_k), bias
     * broadcastable to (B, H, Tq, Tk) with {@value #MASKED} where a key may not be seen.
     *
     * @return the weighted sums (B, H, Tq, d_k), then the weights (B, H, Tq, Tk)
     */
    public static NDList attend(NDArray q, NDArray k, NDArray v, NDArray bias, boolean scaled) {
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));                                 // (B, H, Tq, Tk)
        if (scaled) {
            scores = scores.div(Math.sqrt(q.getShape().get(3)));
        }
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray weights = scores.softmax(-1);
        return new NDList(weights.matMul(v), weights);
    }

    /**
     * The causal mask and the ALiBi penalty for queries at positions offset.. and keys 0..keys-1 of
     * the cache plus the new ones; null when neither applies (an encoder without ALiBi).
     */
    private NDArray scoreBias(NDManager manager, int offset, int length, int keysBefore) {
        int keys = keysBefore + length;
        boolean alibi = config.positions() == Positions.ALIBI;
        if (!config.causal() && !alibi) {
            return null;
        }
        int heads = alibi ? config.heads() : 1;
        float[] bias = new float[heads * length * keys];
        for (int h = 0; h < heads; h++) {
            double slope = alibi ? PositionCodes.alibiSlope(h, config.heads()) : 0;
            for (int i = 0; i < length; i++) {
                int queryPosition = offset + i;
                for (int j = 0; j < keys; j++) {
                    int keyPosition = j - keysBefore + offset;
                    float value = (float) (-slope * Math.abs(queryPosition - keyPosition));
                    if (config.causal() && keyPosition > queryPosition) {
                        value = MASKED;
                    }
                    bias[(h * length + i) * keys + j] = value;
                }
            }
        }
        return manager.create(bias, new Shape(heads, length, keys));
    }

    /** Position-wise feed-forward network: dense to feedForward units, GELU, dense back to width. */
    private NDArray feedForward(ParameterStore store, Layer layer, NDArray x, boolean training) {
        NDArray hidden = Activation.gelu(x.matMul(value(store, layer.ff1Weight(), x, training))
                .add(value(store, layer.ff1Bias(), x, training)));
        return hidden.matMul(value(store, layer.ff2Weight(), x, training)).add(value(store, layer.ff2Bias(), x, training));
    }

    private NDArray norm(ParameterStore store, Parameter gamma, Parameter beta, NDArray x, boolean training) {
        return LayerNorm.layerNorm(x, new Shape(config.width()), value(store, gamma, x, training),
                value(store, beta, x, training), NORM_EPSILON).singletonOrThrow();
    }

    private static NDArray value(ParameterStore store, Parameter parameter, NDArray like, boolean training) {
        return store.getValue(parameter, like.getDevice(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabulary())};
    }

    /**
     * The keys and values of every layer for the tokens seen so far, so that each new token costs one
     * position's projections instead of the whole prefix's. Arrays live in the cache's own manager.
     */
    public static final class KvCache implements AutoCloseable {
        private final NDManager manager;
        private final NDArray[] keys;
        private final NDArray[] values;
        private int length;

        public KvCache(NDManager parent, int layers) {
            manager = parent.newSubManager();
            keys = new NDArray[layers];
            values = new NDArray[layers];
        }

        /** Positions held. */
        public int length() {
            return length;
        }

        /** Adds one layer's new keys and values (B, H, T, d_k); returns all of them, old and new. */
        NDList append(int layer, NDArray newKeys, NDArray newValues) {
            NDArray k = keys[layer] == null ? newKeys : NDArrays.concat(new NDList(keys[layer], newKeys), 2);
            NDArray v = values[layer] == null ? newValues : NDArrays.concat(new NDList(values[layer], newValues), 2);
            replace(keys, layer, k);
            replace(values, layer, v);
            return new NDList(k, v);
        }

        private void replace(NDArray[] slots, int layer, NDArray array) {
            NDArray old = slots[layer];
            array.attach(manager);
            slots[layer] = array;
            if (old != null && old != array) {
                old.close();
            }
        }

        void advance(int added) {
            length += added;
        }

        /** Keeps the rows (sequences) given, in that order, e.g. the parents of the beams kept. */
        public void select(int[] rows) {
            try (NDManager temporary = manager.newSubManager()) {
                NDArray index = temporary.create(rows);
                for (int l = 0; l < keys.length; l++) {
                    if (keys[l] != null) {
                        replace(keys, l, keys[l].get(new ai.djl.ndarray.index.NDIndex("{}", index)));
                        replace(values, l, values[l].get(new ai.djl.ndarray.index.NDIndex("{}", index)));
                    }
                }
            }
        }

        /** Bytes held: 2 (keys and values) x layers x batch x heads x length x d_k x 4. */
        public long bytes() {
            long total = 0;
            for (int l = 0; l < keys.length; l++) {
                total += keys[l] == null ? 0 : 4 * (keys[l].size() + values[l].size());
            }
            return total;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
