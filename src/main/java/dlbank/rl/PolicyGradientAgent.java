package dlbank.rl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.train.CheckpointedAdam;
import dlbank.train.StepGuard;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * REINFORCE with a learned baseline (Williams, 1992; Sutton &amp; Barto, 2018, section 13.4) on
 * CartPole: a policy network (state -> 2 action logits) and a value network (state -> expected
 * discounted return), two small MLPs side by side in one block. Each update plays a batch of
 * episodes with the current stochastic policy, then climbs
 * {@code Σ_t log π(a_t|s_t) · (G_t − V(s_t))} and regresses V on the returns G_t.
 *
 * <p>The 500-step cut-off is a time limit, not a failure: the return of a truncated episode is
 * completed with the value network's estimate of its last state instead of 0.
 */
public final class PolicyGradientAgent implements AutoCloseable {

    /**
     * @param hidden units in each of the two hidden layers of both networks
     * @param learningRate Adam's step size
     * @param discount γ: an effective horizon of 1/(1−γ) steps
     * @param episodesPerUpdate episodes played with one policy before it is updated
     * @param entropyBonus weight of the policy's entropy in the objective (keeps it exploring)
     */
    public record Settings(int hidden, float learningRate, double discount, int episodesPerUpdate,
                           double entropyBonus) {}

    /** The episodes of one batch, flattened step by step, and their returns (undiscounted lengths). */
    public record Batch(float[] states, int[] actions, float[] advantages, float[] valueTargets, int[] returns) {
        public int steps() {
            return actions.length;
        }
    }

    private final Settings settings;
    private final Model model;
    private final Trainer trainer;
    private final ParameterStore store;
    private final StepGuard guard = StepGuard.of("", null);

    public PolicyGradientAgent(Settings settings, long seed, Device device) {
        this.settings = settings;
        Engine.getInstance().setRandomSeed((int) seed);
        model = Model.newInstance("cartpole-policy", device);
        model.setBlock(network(settings.hidden()));
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(new CheckpointedAdam(settings.learningRate())).optDevices(new Device[] {device}));
        trainer.initialize(new Shape(1, CartPole.STATE_SIZE));
        store = new ParameterStore(trainer.getManager(), false);
    }

    /** (B, 4) -> (B, 3): two action logits, then the value estimate (scaled by 1−γ to lie near [0, 1]). */
    static SequentialBlock network(int hidden) {
        return new SequentialBlock().add(new ParallelBlock(
                outputs -> new NDList(NDArrays.concat(new NDList(outputs.get(0).singletonOrThrow(),
                        outputs.get(1).singletonOrThrow()), 1)),
                List.of(mlp(hidden, CartPole.ACTIONS), mlp(hidden, 1))));
    }

    private static SequentialBlock mlp(int hidden, int outputs) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(hidden).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(outputs).build());
    }

    public Model model() {
        return model;
    }

    /** Rows of {logit left, logit right, scaled value} for the given states, without a graph. */
    public float[] evaluate(float[] states, int count) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(states, new Shape(count, CartPole.STATE_SIZE));
            return model.getBlock().forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    /**
     * Plays {@code episodes} episodes side by side, each action drawn from the policy (or the most
     * likely action when {@code greedy}); returns their returns, and the steps when not greedy.
     */
    public Batch play(int episodes, Random random, boolean greedy) {
        CartPole[] envs = new CartPole[episodes];
        List<List<float[]>> states = new ArrayList<>();
        List<List<Integer>> actions = new ArrayList<>();
        List<List<Float>> values = new ArrayList<>();
        for (int e = 0; e < episodes; e++) {
            envs[e] = new CartPole();
            envs[e].reset(random);
            states.add(new ArrayList<>());
            actions.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
        int[] alive = new int[episodes];
        float[] input = new float[episodes * CartPole.STATE_SIZE];
        while (true) {
            int count = 0;
            for (int e = 0; e < episodes; e++) {
                if (!envs[e].done()) {
                    double[] s = envs[e].state();
                    for (int i = 0; i < CartPole.STATE_SIZE; i++) {
                        input[count * CartPole.STATE_SIZE + i] = (float) s[i];
                    }
                    alive[count++] = e;
                }
            }
            if (count == 0) {
                break;
            }
            float[] out = evaluate(input, count);
            for (int k = 0; k < count; k++) {
                int e = alive[k];
                float left = out[3 * k];
                float right = out[3 * k + 1];
                double pRight = 1 / (1 + Math.exp(left - right));
                int action = greedy ? (right > left ? 1 : 0) : (random.nextDouble() < pRight ? 1 : 0);
                if (!greedy) {
                    states.get(e).add(java.util.Arrays.copyOfRange(input, k * 4, k * 4 + 4));
                    actions.get(e).add(action);
                    values.get(e).add(out[3 * k + 2]);
                }
                envs[e].step(action);
            }
        }
        int[] returns = new int[episodes];
        for (int e = 0; e < episodes; e++) {
            returns[e] = envs[e].steps();
        }
        if (greedy) {
            return new Batch(new float[0], new int[0], new float[0], new float[0], returns);
        }
        return withAdvantages(envs, states, actions, values, returns);
    }

    /** Discounted returns (bootstrapped at a cut-off) and advantages normalised over the batch. */
    private Batch withAdvantages(CartPole[] envs, List<List<float[]>> states, List<List<Integer>> actions,
                                 List<List<Float>> values, int[] returns) {
        double gamma = settings.discount();
        double scale = 1 - gamma;
        int total = 0;
        for (List<Integer> a : actions) {
            total += a.size();
        }
        float[] flatStates = new float[total * CartPole.STATE_SIZE];
        int[] flatActions = new int[total];
        float[] advantages = new float[total];
        float[] targets = new float[total];
        int offset = 0;
        for (int e = 0; e < envs.length; e++) {
            int length = actions.get(e).size();
            double g = 0;
            if (!envs[e].done() || envs[e].steps() >= CartPole.STEP_LIMIT) {
                double[] last = envs[e].state();
                float[] row = {(float) last[0], (float) last[1], (float) last[2], (float) last[3]};
                boolean failed = Math.abs(last[0]) > CartPole.POSITION_LIMIT || Math.abs(last[2]) > CartPole.ANGLE_LIMIT;
                g = failed ? 0 : evaluate(row, 1)[2] / scale;   // truncated: complete the return with V(s_T)
            }
            for (int t = length - 1; t >= 0; t--) {
                g = 1 + gamma * g;
                int i = offset + t;
                System.arraycopy(states.get(e).get(t), 0, flatStates, i * 4, 4);
                flatActions[i] = actions.get(e).get(t);
                targets[i] = (float) (g * scale);
                advantages[i] = (float) (g * scale - values.get(e).get(t));
            }
            offset += length;
        }
        double mean = 0;
        for (float a : advantages) {
            mean += a / total;
        }
        double variance = 0;
        for (float a : advantages) {
            variance += (a - mean) * (a - mean) / total;
        }
        double sd = Math.sqrt(variance) + 1e-8;
        for (int i = 0; i < total; i++) {
            advantages[i] = (float) ((advantages[i] - mean) / sd);
        }
        return new Batch(flatStates, flatActions, advantages, targets, returns);
    }

    /** One gradient step on a batch played with the current policy; returns {policy loss, value loss, entropy}. */
    public double[] update(Batch batch) {
        int n = batch.steps();
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray x = manager.create(batch.states(), new Shape(n, CartPole.STATE_SIZE));
            float[] oneHot = new float[n * CartPole.ACTIONS];
            for (int i = 0; i < n; i++) {
                oneHot[i * CartPole.ACTIONS + batch.actions()[i]] = 1;
            }
            NDArray taken = manager.create(oneHot, new Shape(n, CartPole.ACTIONS));
            NDArray advantages = manager.create(batch.advantages());
            NDArray targets = manager.create(batch.valueTargets());
            NDArray policyLoss;
            NDArray valueLoss;
            NDArray entropy;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();      // (n, 3)
                NDArray logits = out.get(":, 0:2");
                NDArray values = out.get(":, 2");
                NDArray logProbabilities = logits.logSoftmax(1);
                NDArray logTaken = logProbabilities.mul(taken).sum(new int[] {1});
                policyLoss = logTaken.mul(advantages).mean().neg();
                entropy = logProbabilities.exp().mul(logProbabilities).sum(new int[] {1}).mean().neg();
                valueLoss = values.sub(targets).square().mean();
                NDArray loss = policyLoss.sub(entropy.mul(settings.entropyBonus())).add(valueLoss);
                collector.backward(loss);
            }
            guard.step(trainer, x.getShape());
            return new double[] {policyLoss.getFloat(), valueLoss.getFloat(), entropy.getFloat()};
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
