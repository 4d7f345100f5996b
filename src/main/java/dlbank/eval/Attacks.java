package dlbank.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;

import java.util.List;

/**
 * Adversarial examples against an image classifier with inputs in [0, 1] and logits out: FGSM
 * (Goodfellow, Shlens &amp; Szegedy, 2015, Explaining and Harnessing Adversarial Examples), PGD under
 * an L∞ budget (Madry et al., 2018, Towards Deep Learning Models Resistant to Adversarial Attacks)
 * and JSMA (Papernot et al., 2016, The Limitations of Deep Learning in Adversarial Settings).
 *
 * <p>Every input gradient is taken with the model's parameters frozen: the attack's backward pass
 * then reaches the input only, and leaves no gradient in the weights that a later training step
 * would add to its own.
 */
public final class Attacks {

    private static final Loss CROSS_ENTROPY = Loss.softmaxCrossEntropyLoss();

    private Attacks() {}

    /** What a gradient of the input is taken of: the loss for the true labels, or any scalar of the logits. */
    @FunctionalInterface
    public interface Objective {
        NDArray of(NDArray logits);
    }

    /**
     * The gradient of {@code objective(block(x))} with respect to the input x, (B, ...), with the
     * block's trainable parameters frozen while it is taken (and unfrozen after, also on failure).
     * Only the parameters that took gradients before are frozen and unfrozen: marking batch norm's
     * running statistics trainable would break its next forward pass.
     */
    public static NDArray inputGradient(Block block, NDArray images, Objective objective) {
        List<Parameter> trainable = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
        trainable.forEach(parameter -> parameter.freeze(true));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = images.duplicate();
            x.setRequiresGradient(true);
            NDArray logits = block.forward(new ParameterStore(images.getManager(), false), new NDList(x), false)
                    .singletonOrThrow();
            collector.backward(objective.of(logits));
            return x.getGradient();
        } finally {
            trainable.forEach(parameter -> parameter.freeze(false));
        }
    }

    /** The gradient of the mean cross-entropy of the true labels (B) with respect to the images. */
    public static NDArray lossGradient(Block block, NDArray images, NDArray labels) {
        return inputGradient(block, images, logits -> CROSS_ENTROPY.evaluate(new NDList(labels), new NDList(logits)));
    }

    /** FGSM: one step of ε along the sign of the loss gradient, x' = clip(x + ε·sign(∇x L), 0, 1). */
    public static NDArray fgsm(Block block, NDArray images, NDArray labels, float epsilon) {
        if (epsilon == 0) {
            return images.duplicate();
        }
        return images.add(lossGradient(block, images, labels).sign().mul(epsilon)).clip(0f, 1f);
    }

    /**
     * PGD: from a random point of the ε-box around x, {@code steps} signed gradient steps of size
     * {@code stepSize}, each projected back into the box [x − ε, x + ε] and into [0, 1].
     *
     * @param noise (B, ...) uniform values in [-1, 1] for the random start (so that the caller decides the seed)
     */
    public static NDArray pgd(Block block, NDArray images, NDArray labels, float epsilon, int steps, float stepSize,
                              NDArray noise) {
        if (epsilon == 0) {
            return images.duplicate();
        }
        NDManager manager = images.getManager();
        NDArray low = images.sub(epsilon).clip(0f, 1f);
        NDArray high = images.add(epsilon).clip(0f, 1f);
        NDArray adversarial = images.add(noise.mul(epsilon)).clip(0f, 1f);
        for (int step = 0; step < steps; step++) {
            try (NDManager stepManager = manager.newSubManager()) {
                NDArray current = adversarial;
                current.attach(stepManager);   // freed with this step; the next point moves out
                NDArray moved = current.add(lossGradient(block, current, labels).sign().mul(stepSize));
                NDArray next = moved.maximum(low).minimum(high);
                next.attach(manager);
                adversarial = next;
            }
        }
        return adversarial;
    }

    /** Turns clean images and their labels into the images the model is asked to classify. */
    @FunctionalInterface
    public interface Attack {
        NDArray apply(NDArray images, NDArray labels);
    }

    /** The share of images the block still classifies correctly after the attack, in batches of 500. */
    public static double accuracyUnder(Block block, NDArray images, NDArray labels, Attack attack) {
        long size = images.getShape().get(0);
        long correct = 0;
        for (long from = 0; from < size; from += 500) {
            try (NDManager batch = images.getManager().newSubManager()) {
                NDIndex rows = new NDIndex().addSliceDim(from, Math.min(size, from + 500));
                NDArray x = images.get(batch, rows);
                NDArray y = labels.get(batch, rows);
                NDArray logits = block.forward(new ParameterStore(batch, false), new NDList(attack.apply(x, y)), false)
                        .singletonOrThrow();
                correct += logits.argMax(1).toType(DataType.FLOAT32, false).eq(y).sum().getLong();
            }
        }
        return (double) correct / size;
    }

    /** A JSMA attack on one image: whether it reached the target class, and the pixels it changed. */
    public record JsmaResult(float[] adversarial, int target, int predicted, int pixelsChanged, boolean success) {}

    /**
     * JSMA, the increasing variant on the logits: at each iteration, the pair of pixels whose increase
     * most raises the target's logit while lowering the sum of the others' (the saliency map of
     * Papernot et al., computed from the two input gradients) is set to 1, until the model predicts
     * the target or {@code maxShare} of the pixels have changed.
     *
     * @param image (1, 1, H, W) in [0, 1]
     */
    public static JsmaResult jsma(Block block, NDArray image, int target, double maxShare) {
        return jsma(block, image, target, maxShare, true);
    }

    /** As above; {@code probabilities}: the Jacobian of the softmax outputs (the paper's F), else of the logits. */
    public static JsmaResult jsma(Block block, NDArray image, int target, double maxShare, boolean probabilities) {
        NDManager manager = image.getManager();
        long pixels = image.size();
        float[] x = image.toFloatArray();
        boolean[] searchable = new boolean[x.length];
        for (int p = 0; p < x.length; p++) {
            searchable[p] = x[p] < 1f;
        }
        int maxChanged = (int) Math.floor(maxShare * pixels);
        int changed = 0;
        int predicted = predict(block, manager, x, image);
        while (predicted != target && changed + 2 <= maxChanged) {
            float[][] gradients = targetAndOtherGradients(block, manager, x, image, target, probabilities);
            float[] towardTarget = gradients[0];
            float[] towardOthers = gradients[1];
            int bestP = -1;
            int bestQ = -1;
            double best = 0;
            for (int p = 0; p < x.length; p++) {
                if (!searchable[p]) {
                    continue;
                }
                for (int q = p + 1; q < x.length; q++) {
                    if (!searchable[q]) {
                        continue;
                    }
                    double alpha = towardTarget[p] + towardTarget[q];
                    double beta = towardOthers[p] + towardOthers[q];
                    if (alpha > 0 && beta < 0 && -alpha * beta > best) {
                        best = -alpha * beta;
                        bestP = p;
                        bestQ = q;
                    }
                }
            }
            if (bestP < 0) {
                break;   // no pair helps any more: the attack fails
            }
            x[bestP] = 1f;
            x[bestQ] = 1f;
            searchable[bestP] = false;
            searchable[bestQ] = false;
            changed += 2;
            predicted = predict(block, manager, x, image);
        }
        int differ = 0;
        float[] original = image.toFloatArray();
        for (int p = 0; p < x.length; p++) {
            differ += x[p] != original[p] ? 1 : 0;
        }
        return new JsmaResult(x, target, predicted, differ, predicted == target);
    }

    /** {d logit_target / dx, d Σ_{j≠target} logit_j / dx} from one backward pass over two copies of x. */
    private static float[][] targetAndOtherGradients(Block block, NDManager manager, float[] x, NDArray like, int target,
                                                     boolean probabilities) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray one = scratch.create(x, like.getShape());
            NDArray pair = one.concat(one, 0);                                  // (2, 1, H, W)
            NDArray gradient = inputGradient(block, pair, logits -> {
                NDArray outputs = probabilities ? logits.softmax(1) : logits;
                NDArray targetLogit = outputs.get("0, " + target);
                NDArray others = outputs.get("1, :").sum().sub(outputs.get("1, " + target));
                return targetLogit.add(others);
            });
            float[] flat = gradient.toFloatArray();
            int n = x.length;
            return new float[][] {java.util.Arrays.copyOfRange(flat, 0, n), java.util.Arrays.copyOfRange(flat, n, 2 * n)};
        }
    }

    private static int predict(Block block, NDManager manager, float[] x, NDArray like) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray logits = block.forward(new ParameterStore(scratch, false),
                    new NDList(scratch.create(x, like.getShape())), false).singletonOrThrow();
            return (int) logits.argMax(1).toLongArray()[0];
        }
    }
}
