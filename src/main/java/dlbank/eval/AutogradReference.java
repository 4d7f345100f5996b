package dlbank.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dlbank.model.HandWrittenMlp;

/**
 * The gradients of a {@link HandWrittenMlp} computed by the engine's autograd instead: the same
 * parameters copied into float64 arrays that record their graph, the same loss written with the
 * engine's operators, one backward pass. A reference for the hand-written backward pass.
 */
public final class AutogradReference {

    /** The loss and ∂L/∂θ in the layout of {@link HandWrittenMlp#parameters()}. */
    public record Gradients(double loss, double[][] gradients) {}

    private AutogradReference() {}

    /** @param x row-major (N, D) inputs; labels the class of each row */
    public static Gradients of(HandWrittenMlp mlp, double[] x, int[] labels, Device device) {
        int n = labels.length;
        double[] oneHot = new double[n * mlp.classes()];
        for (int row = 0; row < n; row++) {
            oneHot[row * mlp.classes() + labels[row]] = 1;
        }
        Shape[] shapes = {new Shape(mlp.hidden(), mlp.inputs()), new Shape(mlp.hidden()),
                new Shape(mlp.classes(), mlp.hidden()), new Shape(mlp.classes())};
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray[] theta = new NDArray[shapes.length];
            for (int p = 0; p < theta.length; p++) {
                theta[p] = manager.create(mlp.parameters()[p], shapes[p]);                    // float64
                theta[p].setRequiresGradient(true);
            }
            NDArray input = manager.create(x, new Shape(n, mlp.inputs()));                    // (N, D)
            double loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray hidden = input.matMul(theta[0].transpose()).add(theta[1]).tanh();      // (N, H)
                NDArray logits = hidden.matMul(theta[2].transpose()).add(theta[3]);           // (N, K)
                NDArray mean = logits.logSoftmax(1).mul(manager.create(oneHot, new Shape(n, mlp.classes())))
                        .sum().neg().div(n);                                                  // mean cross-entropy
                loss = mean.getDouble();
                collector.backward(mean);
            }
            double[][] gradients = new double[theta.length][];
            for (int p = 0; p < theta.length; p++) {
                gradients[p] = theta[p].getGradient().toDoubleArray();
            }
            return new Gradients(loss, gradients);
        }
    }
}
