package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Locale;

/**
 * A sentiment classifier over token ids: embedding, one recurrent layer, a read-out of the states of
 * each review's real tokens, and one logit (the sigmoid lives in the loss).
 *
 * <p>Reviews are padded at the end with id 0, so the block finds each review's real tokens from its
 * ids and never reads a state that has run over padding. The bidirectional LSTM is two
 * one-direction LSTMs, the second fed each review's real tokens in reverse order: DJL 0.36's
 * {@code optBidirectional(true)} fails on PyTorch.
 */
public final class TextClassifier extends AbstractBlock {

    /** The recurrent layer. */
    public enum Cell {
        SIMPLE, LSTM, GRU, BILSTM;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Cell parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** How the states of a review's tokens become one vector. */
    public enum Pooling {
        /** The state at the review's true last token (its first for the reverse direction). */
        LAST,
        /** The mean of the states over the real tokens. */
        MEAN,
        /**
         * A weighted mean of the states whose weights come from scaled dot-product attention with a
         * learned query. Each position's key is computed from its word's embedding, not from its
         * state: a unidirectional state summarises every word before it, so keys made from states
         * drift towards the end of the review, while keys made from the words say which words the
         * model reads the review by.
         */
        ATTENTION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Pooling parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The architecture, as saved beside the parameters.
     *
     * @param dropout share of the embedded inputs and of the pooled vector zeroed in training
     *                (Srivastava et al., 2014); 0 in the task's model
     */
    public record Config(Cell cell, Pooling pooling, int vocabularySize, int embeddingSize, int hiddenSize,
                         float dropout) {
        public Config(Cell cell, Pooling pooling, int vocabularySize, int embeddingSize, int hiddenSize) {
            this(cell, pooling, vocabularySize, embeddingSize, hiddenSize, 0f);
        }

        public int stateSize() {
            return cell == Cell.BILSTM ? 2 * hiddenSize : hiddenSize;
        }
    }

    private final Config config;
    private final Parameter embedding;
    private final Block forward;
    private final Block backward;
    private final Block keys;
    private final Parameter query;
    private final Block output;

    public TextClassifier(Config config) {
        this.config = config;
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.embeddingSize())).build());
        forward = addChildBlock("forward", recurrent(config));
        backward = config.cell() == Cell.BILSTM ? addChildBlock("backward", recurrent(config)) : null;
        if (config.pooling() == Pooling.ATTENTION) {
            keys = addChildBlock("keys", Linear.builder().setUnits(config.stateSize()).build());
            query = addParameter(Parameter.builder().setName("query").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(1, 1, config.stateSize())).build());
        } else {
            keys = null;
            query = null;
        }
        output = addChildBlock("output", Linear.builder().setUnits(1).build());
    }

    public Config config() {
        return config;
    }

    private static Block recurrent(Config config) {
        return recurrentLayer(config.cell() == Cell.BILSTM ? Cell.LSTM : config.cell(), config.hiddenSize());
    }

    /**
     * Sets an initialised LSTM's forget-gate bias to 1 so the layer starts out keeping its cell state
     * (Gers, Schmidhuber &amp; Cummins, 2000; Jozefowicz, Zaremba &amp; Sutskever, 2015; Keras does it by
     * default). PyTorch orders each bias vector by gate as input, forget, cell, output, and keeps two
     * bias vectors; the input-side one gets the 1.
     */
    public static void openForgetGates(Block lstm) {
        for (var parameter : lstm.getParameters()) {
            if (parameter.getKey().endsWith("i2h_BIAS")) {
                NDArray bias = parameter.getValue().getArray();
                long hidden = bias.getShape().get(0) / 4;
                bias.set(new ai.djl.ndarray.index.NDIndex(hidden + ":" + 2 * hidden), 1f);
            }
        }
    }

    /** One recurrent layer over (N, T, features), returning every step's state (N, T, hidden). */
    public static Block recurrentLayer(Cell cell, int hidden) {
        return switch (cell) {
            case SIMPLE -> RNN.builder().setStateSize(hidden).setNumLayers(1)
                    .setActivation(RNN.Activation.TANH).optBatchFirst(true).build();
            case LSTM -> LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).build();
            case GRU -> GRU.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).build();
            case BILSTM -> throw new IllegalArgumentException("a bidirectional LSTM is two layers; see TextClassifier");
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList logitAndWeights = logitAndWeights(store, inputs.singletonOrThrow(), training);
        return new NDList(logitAndWeights.get(0));
    }

    /**
     * The logits and, for attention pooling, the weight of each token.
     *
     * @param ids (N, L) token ids, padded at the end with 0
     * @return the logits (N, 1), then the attention weights (N, L) (zeros without attention)
     */
    public NDList logitAndWeights(ParameterStore store, NDArray ids, boolean training) {
        NDArray mask = ids.gt(0).toType(DataType.FLOAT32, false);                       // (N, L)
        NDArray lengths = mask.sum(new int[] {1}, true).maximum(1);                       // (N, 1)
        NDArray table = store.getValue(embedding, ids.getDevice(), training);
        NDArray tokens = ids.toType(DataType.INT64, false);
        NDArray words = embed(tokens, table);                                             // (N, L, E)
        NDArray states = run(store, forward, words, config.dropout(), training);          // (N, L, H)
        NDArray reversedStates = null;
        if (backward != null) {
            NDArray reversal = reversal(lengths, tokens.getShape().get(1));                // (N, L)
            NDArray reversed = run(store, backward, embed(tokens.gather(reversal, 1), table), config.dropout(), training);
            // Back to the original positions, so position t holds both directions' states for token t.
            reversedStates = reversed.gather(reversal.expandDims(2).repeat(2, config.hiddenSize()), 1);
        }
        NDArray pooled;
        NDArray weights;
        switch (config.pooling()) {
            case LAST -> {
                NDArray positions = ids.getManager().arange(tokens.getShape().get(1)).toType(DataType.FLOAT32, false);
                NDArray last = positions.expandDims(0).eq(lengths.sub(1)).toType(DataType.FLOAT32, false);
                pooled = weightedSum(states, last);
                if (reversedStates != null) {
                    // The reverse direction ends its pass at the review's first token.
                    NDArray first = positions.expandDims(0).eq(0).toType(DataType.FLOAT32, false)
                            .broadcast(last.getShape());
                    pooled = NDArrays.concat(new NDList(pooled, weightedSum(reversedStates, first)), 1);
                }
                weights = mask.zerosLike();
            }
            case MEAN -> {
                NDArray both = bothDirections(states, reversedStates);
                pooled = weightedSum(both, mask.div(lengths));
                weights = mask.div(lengths);
            }
            case ATTENTION -> {
                NDArray both = bothDirections(states, reversedStates);
                NDArray projected = keys.forward(store, new NDList(words), training).singletonOrThrow().tanh();
                NDArray q = store.getValue(query, ids.getDevice(), training)
                        .broadcast(new Shape(ids.getShape().get(0), 1, config.stateSize()));
                q.attach(ids.getManager()); // made from a parameter: without this it joins the model's manager and leaks
                NDList attended = Attention.scaledDotProduct(q, projected, both, mask);
                pooled = attended.get(0).squeeze(1);                                       // (N, S)
                weights = attended.get(1).squeeze(1);                                      // (N, L)
            }
            default -> throw new IllegalStateException();
        }
        NDArray logit = output.forward(store, new NDList(dropout(pooled, config.dropout(), training)), training)
                .singletonOrThrow();
        return new NDList(logit, weights);
    }

    /*
     * The forward pass of a one-direction classifier with last-step pooling, in the pieces the step
     * profile of `dlbank bench --profile` times one by one (logitAndWeights runs them together).
     */

    /** (N, L) ids -> (N, L, E) embedded words. */
    public NDArray embedTokens(ParameterStore store, NDArray ids, boolean training) {
        return embed(ids.toType(DataType.INT64, false), store.getValue(embedding, ids.getDevice(), training));
    }

    /** (N, L, E) words -> (N, L, H) the forward recurrent layer's states. */
    public NDArray recurrentStates(ParameterStore store, NDArray words, boolean training) {
        return run(store, forward, words, config.dropout(), training);
    }

    /** Each review's state at its last real token: (N, L, H) -> (N, H). */
    public static NDArray lastStates(NDArray ids, NDArray states) {
        NDArray lengths = ids.gt(0).toType(DataType.FLOAT32, false).sum(new int[] {1}, true).maximum(1);
        NDArray positions = ids.getManager().arange(ids.getShape().get(1)).toType(DataType.FLOAT32, false);
        return weightedSum(states, positions.expandDims(0).eq(lengths.sub(1)).toType(DataType.FLOAT32, false));
    }

    /** (N, H) pooled states -> (N, 1) logits. */
    public NDArray outputLogits(ParameterStore store, NDArray pooled, boolean training) {
        return output.forward(store, new NDList(dropout(pooled, config.dropout(), training)), training).singletonOrThrow();
    }

    private static NDArray dropout(NDArray x, float rate, boolean training) {
        return rate > 0 && training ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
    }

    /** The embedding of every token: (N, L) ids -> (N, L, E). */
    private static NDArray embed(NDArray tokens, NDArray table) {
        return Embedding.embedding(tokens, table, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
    }

    /** The recurrent layer over embedded tokens (dropped out in training): (N, L, E) -> (N, L, H). */
    private static NDArray run(ParameterStore store, Block recurrent, NDArray embedded, float dropout, boolean training) {
        return recurrent.forward(store, new NDList(dropout(embedded, dropout, training)), training).singletonOrThrow();
    }

    /** For each review, the index that reads its real tokens backwards and leaves padding in place. */
    private static NDArray reversal(NDArray lengths, long length) {
        NDArray positions = lengths.getManager().arange((float) length).expandDims(0);     // (1, L)
        NDArray backwards = lengths.sub(1).sub(positions);                                // (N, L)
        NDArray isReal = positions.lt(lengths);
        return NDArrays.where(isReal, backwards, positions.broadcast(backwards.getShape()))
                .toType(DataType.INT64, false);
    }

    private static NDArray bothDirections(NDArray states, NDArray reversedStates) {
        return reversedStates == null ? states : NDArrays.concat(new NDList(states, reversedStates), 2);
    }

    /** sum over t of weights(N, t) * states(N, t, :) -> (N, H). */
    private static NDArray weightedSum(NDArray states, NDArray weights) {
        return states.mul(weights.expandDims(2)).sum(new int[] {1});
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long length = inputShapes[0].get(1);
        Shape embedded = new Shape(batch, length, config.embeddingSize());
        forward.initialize(manager, dataType, embedded);
        if (backward != null) {
            backward.initialize(manager, dataType, embedded);
        }
        if (keys != null) {
            keys.initialize(manager, dataType, embedded);
        }
        output.initialize(manager, dataType, new Shape(batch, config.stateSize()));
    }
}
