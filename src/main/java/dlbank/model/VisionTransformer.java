package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A small Vision Transformer (Dosovitskiy et al., 2021, An Image is Worth 16x16 Words): the image is
 * cut into non-overlapping p×p patches, each patch flattened and mapped linearly to a token (done as
 * one convolution with kernel and stride p, the same arithmetic), a learned class token is put in
 * front, learned position embeddings are added (without them the encoder could not tell the patches'
 * places apart: self-attention treats its inputs as a set), then pre-norm encoder blocks
 * ({@link ViTEncoderBlock}), a final layer norm, and a dense head on the class token's output.
 */
public final class VisionTransformer extends AbstractBlock {

    /**
     * @param imageSize side of the square input, divisible by {@code patch}
     * @param patch side of a patch in pixels
     */
    public record Config(int imageSize, int patch, int dim, int depth, int heads, int mlpDim, int classes) {
        /** Patches per image; the encoder sees one more token, the class token. */
        public int patches() {
            return (imageSize / patch) * (imageSize / patch);
        }

        /**
         * Multiply-adds of one forward pass by the formula: patch embedding N·p²·D; per block, for
         * T = N + 1 tokens, T·D·3D (queries, keys, values) + 2·T²·D (scores and the weighted sum)
         * + T·D² (output projection) + 2·T·D·M (MLP); the head D·classes. Attention is the one
         * term that grows with the square of the number of tokens.
         */
        /**
         * Parameters by the formula: patch embedding p²·D + D, class token D, positions (N + 1)·D;
         * per block two layer norms 4D, queries-keys-values 3D² + 3D, output projection D² + D,
         * MLP D·M + M + M·D + D; final layer norm 2D; head D·classes + classes.
         */
        public long parameters() {
            long d = dim;
            long perBlock = 4 * d + 3 * d * d + 3 * d + d * d + d + d * mlpDim + mlpDim + (long) mlpDim * d + d;
            return (long) patch * patch * d + d + d + (patches() + 1L) * d + depth * perBlock + 2 * d + d * classes + classes;
        }

        public long multiplyAdds() {
            long n = patches();
            long t = n + 1;
            long perBlock = t * dim * 3L * dim + 2 * t * t * dim + t * (long) dim * dim + 2 * t * (long) dim * mlpDim;
            return n * patch * patch * dim + depth * perBlock + (long) dim * classes;
        }
    }

    private final Config config;
    private final Conv2d patchEmbedding;
    private final Parameter classToken;
    private final Parameter positions;
    private final List<ViTEncoderBlock> blocks = new ArrayList<>();
    private final Parameter finalScale;
    private final Parameter finalShift;
    private final Linear head;

    public VisionTransformer(Config config) {
        if (config.imageSize() % config.patch() != 0) {
            throw new IllegalArgumentException("image size " + config.imageSize() + " is not divisible by patch " + config.patch());
        }
        this.config = config;
        patchEmbedding = addChildBlock("patch_embedding", Conv2d.builder().setFilters(config.dim())
                .setKernelShape(new Shape(config.patch(), config.patch())).optStride(new Shape(config.patch(), config.patch()))
                .build());
        // Small random starts, as ViT's reference code draws them (normal, σ = 0.02).
        classToken = addParameter(Parameter.builder().setName("class_token").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, config.dim())).optInitializer(new NormalInitializer(0.02f)).build());
        positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, config.patches() + 1, config.dim())).optInitializer(new NormalInitializer(0.02f)).build());
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(addChildBlock("encoder" + i, new ViTEncoderBlock(config.dim(), config.heads(), config.mlpDim())));
        }
        finalScale = addParameter(Parameter.builder().setName("norm_gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(config.dim())).build());
        finalShift = addParameter(Parameter.builder().setName("norm_beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(config.dim())).build());
        head = addChildBlock("head", Linear.builder().setUnits(config.classes()).build());
    }

    public Config config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forwardWithAttention(store, inputs.singletonOrThrow(), training).get(0));
    }

    /**
     * @param images (B, 1, H, W)
     * @return the logits (B, classes), then each block's attention weights (B, heads, T, T), first block first
     */
    public NDList forwardWithAttention(ParameterStore store, NDArray images, boolean training) {
        long batch = images.getShape().get(0);
        NDArray patches = patchEmbedding.forward(store, new NDList(images), training).singletonOrThrow(); // (B, D, H/p, W/p)
        patches = patches.reshape(batch, config.dim(), config.patches()).transpose(0, 2, 1);             // (B, N, D)
        // The class token, one copy per image, made in the batch's manager: an array computed from a
        // parameter alone would join the parameter's long-lived manager and leak one per call.
        NDArray token = images.getManager().zeros(new Shape(batch, 1, config.dim()))
                .add(store.getValue(classToken, images.getDevice(), training));
        NDArray x = NDArrays.concat(new NDList(token, patches), 1)                                     // (B, N + 1, D)
                .add(store.getValue(positions, images.getDevice(), training));
        NDList outputs = new NDList();
        for (ViTEncoderBlock block : blocks) {
            NDList out = block.forwardWithAttention(store, x, training);
            x = out.get(0);
            outputs.add(out.get(1));
        }
        x = ViTEncoderBlock.normalize(store, x, finalScale, finalShift, training);
        NDArray logits = head.forward(store, new NDList(x.get(":, 0, :")), training).singletonOrThrow();   // (B, classes)
        outputs.add(0, logits);
        return outputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        patchEmbedding.initialize(manager, dataType, inputShapes[0]);
        Shape tokens = new Shape(batch, config.patches() + 1, config.dim());
        for (ViTEncoderBlock block : blocks) {
            block.initialize(manager, dataType, tokens);
        }
        head.initialize(manager, dataType, new Shape(batch, config.dim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), config.classes())};
    }
}
