package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm Transformer encoder block as the Vision Transformer uses it (Dosovitskiy et al., 2021,
 * An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale):
 * {@code x + MHSA(LN(x))}, then {@code x + MLP(LN(x))}, with multi-head self-attention (Vaswani et
 * al., 2017) and a two-layer MLP with GELU. Layer normalization comes before each sub-layer
 * (pre-norm), so the residual path from input to output carries no normalization at all. DJL 0.36
 * has no ready Transformer encoder block for this.
 */
public final class ViTEncoderBlock extends AbstractBlock {

    private static final float EPSILON = 1e-5f;

    private final int dim;
    private final int heads;
    private final Parameter norm1Scale;
    private final Parameter norm1Shift;
    private final Parameter norm2Scale;
    private final Parameter norm2Shift;
    private final Linear queryKeyValue;
    private final Linear projection;
    private final Linear expand;
    private final Linear contract;

    /**
     * @param dim width of every token's vector, divisible by {@code heads}
     * @param mlpDim hidden width of the MLP
     */
    public ViTEncoderBlock(int dim, int heads, int mlpDim) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not divisible by " + heads + " heads");
        }
        this.dim = dim;
        this.heads = heads;
        norm1Scale = addParameter(norm("norm1_gamma", Parameter.Type.GAMMA));
        norm1Shift = addParameter(norm("norm1_beta", Parameter.Type.BETA));
        norm2Scale = addParameter(norm("norm2_gamma", Parameter.Type.GAMMA));
        norm2Shift = addParameter(norm("norm2_beta", Parameter.Type.BETA));
        queryKeyValue = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
        expand = addChildBlock("mlp_expand", Linear.builder().setUnits(mlpDim).build());
        contract = addChildBlock("mlp_contract", Linear.builder().setUnits(dim).build());
    }

    private Parameter norm(String name, Parameter.Type type) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(dim)).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forwardWithAttention(store, inputs.singletonOrThrow(), training).get(0));
    }

    /**
     * @param x (B, T, dim) tokens
     * @return the block's output (B, T, dim), then the attention weights (B, heads, T, T), each row summing to 1
     */
    public NDList forwardWithAttention(ParameterStore store, NDArray x, boolean training) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long headDim = dim / heads;
        NDArray normed = normalize(store, x, norm1Scale, norm1Shift, training);
        NDArray qkv = queryKeyValue.forward(store, new NDList(normed), training).singletonOrThrow();  // (B, T, 3·dim)
        qkv = qkv.reshape(batch, tokens, 3, heads, headDim).transpose(2, 0, 3, 1, 4);                 // (3, B, H, T, dh)
        Shape perHead = new Shape(batch * heads, tokens, headDim);
        NDList attended = Attention.scaledDotProduct(qkv.get(0).reshape(perHead), qkv.get(1).reshape(perHead),
                qkv.get(2).reshape(perHead), null);                                               // (B·H, T, dh), (B·H, T, T)
        NDArray merged = attended.get(0).reshape(batch, heads, tokens, headDim).transpose(0, 2, 1, 3)
                .reshape(batch, tokens, dim);                                                     // (B, T, dim)
        x = x.add(projection.forward(store, new NDList(merged), training).singletonOrThrow());
        NDArray hidden = expand.forward(store, new NDList(normalize(store, x, norm2Scale, norm2Shift, training)), training)
                .singletonOrThrow();
        x = x.add(contract.forward(store, new NDList(Activation.gelu(hidden)), training).singletonOrThrow());
        return new NDList(x, attended.get(1).reshape(batch, heads, tokens, tokens));
    }

    /** Layer normalization over each token's own vector, then the learned scale and shift. */
    static NDArray normalize(ParameterStore store, NDArray x, Parameter scale, Parameter shift, boolean training) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().get(2)), store.getValue(scale, x.getDevice(), training),
                store.getValue(shift, x.getDevice(), training), EPSILON).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];                                  // (B, T, dim)
        queryKeyValue.initialize(manager, dataType, tokens);
        projection.initialize(manager, dataType, tokens);
        expand.initialize(manager, dataType, tokens);
        contract.initialize(manager, dataType, expand.getOutputShapes(new Shape[] {tokens})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }
}
