package dlbank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;

/**
 * A variational autoencoder for 28x28 digits (Kingma &amp; Welling, 2014, Auto-Encoding Variational
 * Bayes): the encoder maps an image to the mean μ and log-variance log σ² of a Gaussian q(z|x) over
 * {@code latent} numbers, z is drawn as μ + σ·ε with ε ~ N(0, I) (the reparameterization trick: the
 * randomness sits in ε, so gradients reach μ and σ), and the decoder maps z to 784 Bernoulli logits.
 * Dense layers 784-512-256 and back, ReLU.
 *
 * <p>The forward pass returns one row per image, because the fit loop takes one output: the 784
 * logits, then μ, then log σ². {@link ElboLoss} reads it.
 */
public final class Vae extends AbstractBlock {

    public static final int PIXELS = 28 * 28;

    private final int latent;
    private final SequentialBlock encoder;
    private final SequentialBlock decoder;

    public Vae(int latent) {
        this.latent = latent;
        encoder = addChildBlock("encoder", new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(512).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(256).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(2L * latent).build()));                    // (N, 2·latent)
        decoder = addChildBlock("decoder", new SequentialBlock()
                .add(Linear.builder().setUnits(256).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(512).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(PIXELS).build()));                          // (N, 784) logits
    }

    public int latent() {
        return latent;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray statistics = encoder.forward(store, inputs, training).singletonOrThrow();
        NDArray mean = statistics.get(new NDIndex(":, 0:" + latent));
        NDArray logVariance = statistics.get(new NDIndex(":, " + latent + ":"));
        NDManager manager = mean.getManager();
        NDArray z = mean.add(logVariance.mul(0.5).exp().mul(manager.randomNormal(mean.getShape())));
        NDArray logits = decoder.forward(store, new NDList(z), training).singletonOrThrow();
        return new NDList(NDArrays.concat(new NDList(logits, mean, logVariance), 1));
    }

    /** μ and log σ² of q(z|x) for images (N, 1, 28, 28): (N, 2·latent), no sampling. */
    public NDArray encode(ParameterStore store, NDArray images) {
        return encoder.forward(store, new NDList(images), false).singletonOrThrow();
    }

    /** The Bernoulli means (pixel probabilities) the decoder gives for codes z (N, latent): (N, 784). */
    public NDArray decode(ParameterStore store, NDArray z) {
        return decoder.forward(store, new NDList(z), false).singletonOrThrow().getNDArrayInternal().sigmoid();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        decoder.initialize(manager, dataType, new Shape(inputShapes[0].get(0), latent));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), PIXELS + 2L * latent)};
    }

    /**
     * The negative evidence lower bound per image, in nats: the reconstruction term -log p(x|z)
     * (binary cross-entropy summed over the 784 pixels, for one z drawn from q) plus β times the
     * KL divergence of q(z|x) = N(μ, σ²) from the prior N(0, I), in closed form
     * ½ Σ (μ² + σ² - 1 - log σ²). β = 1 is the ELBO; β &gt; 1 is the β-VAE (Higgins et al., 2017).
     */
    public static final class ElboLoss extends Loss {
        private final int latent;
        private final float beta;

        public ElboLoss(int latent, float beta) {
            super("elbo");
            this.latent = latent;
            this.beta = beta;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray[] terms = terms(labels.singletonOrThrow(), predictions.singletonOrThrow(), latent);
            return terms[0].add(terms[1].mul(beta)).mean();
        }

        /** Per image: {reconstruction -log p(x|z), KL(q(z|x) ‖ p(z))}, each (N). */
        public static NDArray[] terms(NDArray images, NDArray output, int latent) {
            long n = output.getShape().get(0);
            NDArray x = images.reshape(n, PIXELS);
            NDArray logits = output.get(new NDIndex(":, 0:" + PIXELS));
            NDArray mean = output.get(new NDIndex(":, " + PIXELS + ":" + (PIXELS + latent)));
            NDArray logVariance = output.get(new NDIndex(":, " + (PIXELS + latent) + ":"));
            // Binary cross-entropy from logits, stable for any sign: max(l, 0) - l·x + log(1 + e^-|l|).
            NDArray reconstruction = logits.maximum(0).sub(logits.mul(x)).add(logits.abs().neg().exp().add(1).log()).sum(new int[] {1});
            NDArray kl = mean.square().add(logVariance.exp()).sub(1).sub(logVariance).sum(new int[] {1}).mul(0.5);
            return new NDArray[] {reconstruction, kl};
        }
    }
}
