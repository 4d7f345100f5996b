package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;

import java.util.HashMap;
import java.util.Map;

/**
 * RMSProp (Hinton, 2012, Neural Networks for Machine Learning, lecture 6e): each weight's step is
 * the gradient divided by a running root mean square of its recent gradients,
 * {@code s = ρ·s + (1-ρ)·g²; w -= lr · g / (√s + ε)}, without momentum and without Adam's bias
 * correction. DJL's own RMSProp is not implemented on the PyTorch engine.
 */
public final class RmsProp extends Optimizer {

    private final float learningRate;
    private final float rho;
    private final float epsilon;
    private final Map<String, NDArray> meanSquares = new HashMap<>();

    /** @param rho decay of the running mean of squared gradients (0.9 in Hinton's lecture; PyTorch uses 0.99) */
    public RmsProp(float learningRate, float rho, float epsilon) {
        super(new OptimizerBuilder<>() {
            @Override
            protected OptimizerBuilder self() {
                return this;
            }
        });
        this.learningRate = learningRate;
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        NDArray meanSquare = meanSquares.computeIfAbsent(parameterId, id -> {
            NDArray zeros = weight.zerosLike();
            zeros.detach(); // lives as long as the optimizer
            return zeros;
        });
        // Temporaries would join the parameter's long-lived manager: keep them in a scope closed at once.
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray squared = grad.square();
            squared.attach(scope);
            meanSquare.muli(rho).addi(squared.muli(1 - rho));
            NDArray root = meanSquare.sqrt();
            root.attach(scope);
            NDArray step = grad.div(root.addi(epsilon));
            step.attach(scope);
            weight.subi(step.muli(learningRate));
        }
    }
}
