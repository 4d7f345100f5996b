package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Direct preference optimisation's loss (Rafailov et al., 2023, Direct Preference Optimization: Your
 * Language Model is Secretly a Reward Model): for a prompt x with a preferred answer y_w and a
 * dispreferred one y_l,
 * {@code -log σ(β·[(log π(y_w|x) - log π_ref(y_w|x)) - (log π(y_l|x) - log π_ref(y_l|x))])}.
 * The implicit reward of an answer is β times how much more likely the policy makes it than the
 * frozen reference does; the loss is logistic regression on the difference of two such rewards, so
 * no reward model and no sampling during training are needed.
 */
public final class DpoLoss {

    private DpoLoss() {}

    /**
     * The mean loss over a batch of pairs; each argument is (B) summed log-probabilities of the
     * answers. The reference's carry no gradient.
     */
    public static NDArray loss(NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen,
                               NDArray referenceRejected, double beta) {
        NDArray margin = policyChosen.sub(referenceChosen).sub(policyRejected.sub(referenceRejected)).mul(beta);
        return Activation.softPlus(margin.neg()).mean(); // -log σ(z) = log(1 + e^-z), computed without overflow
    }

    /** The same for one pair in plain double arithmetic. */
    public static double reference(double policyChosen, double policyRejected, double referenceChosen,
                                   double referenceRejected, double beta) {
        double z = beta * ((policyChosen - referenceChosen) - (policyRejected - referenceRejected));
        return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
    }

    /**
     * ∂loss/∂log π(y_w|x) for one pair, by hand: -β·σ(-z). The rejected answer's is the negative of
     * it: a pair the policy already ranks right by a wide margin (z large) barely moves the weights.
     */
    public static double chosenGradient(double policyChosen, double policyRejected, double referenceChosen,
                                        double referenceRejected, double beta) {
        double z = beta * ((policyChosen - referenceChosen) - (policyRejected - referenceRejected));
        return -beta / (1 + Math.exp(z));
    }
}
