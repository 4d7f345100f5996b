package dlbank.experiment.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlbank.experiment.RunContext;

import java.util.List;

/**
 * The gradient of the softmax cross-entropy with respect to each weight tensor of a network, layer
 * by layer (the first layer first), on one batch: where the training signal arrives and where it
 * fades or grows. Measured in training mode, as a training step sees it (batch norm on the batch's
 * own statistics).
 */
final class LayerGradients {

    private LayerGradients() {}

    /** Each weight tensor's gradient values, in the block's order. */
    static float[][] of(Block block, NDArray images, NDArray labels) {
        List<Parameter> weights = block.getParameters().values().stream()
                .filter(parameter -> parameter.getType() == Parameter.Type.WEIGHT).toList();
        try (NDManager manager = weights.get(0).getArray().getManager().newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = block.forward(new ParameterStore(manager, false), new NDList(images), true)
                        .singletonOrThrow();
                collector.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits)));
            }
            float[][] gradients = new float[weights.size()][];
            for (int l = 0; l < gradients.length; l++) {
                NDArray gradient = weights.get(l).getArray().getGradient();
                gradients[l] = gradient.toFloatArray();
                gradient.subi(gradient); // gradients accumulate: leave none behind for a later step
            }
            return gradients;
        }
    }

    /** The same for a freshly built block, initialised with the run's seed for {@code images}' shape. */
    static float[][] atInitialisation(RunContext context, Block block, NDArray images, NDArray labels) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            block.initialize(manager, DataType.FLOAT32, images.getShape());
            return of(block, images, labels);
        }
    }

    /** The Euclidean norm of each layer's gradient. */
    static double[] norms(float[][] gradients) {
        double[] norms = new double[gradients.length];
        for (int l = 0; l < norms.length; l++) {
            double sum = 0;
            for (float g : gradients[l]) {
                sum += (double) g * g;
            }
            norms[l] = Math.sqrt(sum);
        }
        return norms;
    }

    /** The standard deviation of each layer's gradient entries. */
    static double[] deviations(float[][] gradients) {
        double[] deviations = new double[gradients.length];
        for (int l = 0; l < deviations.length; l++) {
            deviations[l] = deviation(gradients[l]);
        }
        return deviations;
    }

    static double deviation(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }
}
