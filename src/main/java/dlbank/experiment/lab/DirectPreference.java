package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dlbank.experiment.ProgressSink;
import dlbank.experiment.RunContext;
import dlbank.model.LanguageModel;
import dlbank.train.DpoLoss;
import dlbank.train.FitLoop;
import dlbank.train.StepGuard;
import dlbank.train.TokenLoss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DPO training loop of lab/post-training and the KL divergence it reports. Its own loop, since a
 * step needs pairs of sequences and the reference model's log-probabilities; it steps in one place,
 * through {@link StepGuard}, so an update with non-finite gradients is skipped.
 */
final class DirectPreference {

    private DirectPreference() {}

    /**
     * Trains the policy (the trainer's model) on (prompt, chosen, rejected) pairs; returns one row per
     * epoch: mean loss, the share of pairs whose implicit reward ranks chosen above rejected, and the
     * mean reward margin β·[...].
     */
    static List<Map<String, Object>> train(RunContext context, Trainer trainer, LanguageModel reference,
                                           List<int[][]> pairs, PostTrainingLab.Setup setup) {
        int n = pairs.size();
        int length = pairs.get(0)[0].length + pairs.get(0)[1].length - 1;
        int[][] inputs = new int[2 * n][];
        int[][] targets = new int[2 * n][];
        for (int i = 0; i < n; i++) {
            for (int side = 0; side < 2; side++) {
                int[] sequence = concat(pairs.get(i)[0], pairs.get(i)[1 + side]);
                inputs[side * n + i] = java.util.Arrays.copyOf(sequence, length);
                targets[side * n + i] = answerTargets(sequence, pairs.get(i)[0].length);
            }
        }
        double[] referenceLogP = sequenceLogProbabilities(reference, inputs, targets);
        List<Map<String, Object>> rows = new ArrayList<>();
        ProgressSink progress = context.progress();
        StepGuard guard = StepGuard.of("policy", progress);
        for (int epoch = 1; epoch <= setup.epochs(); epoch++) {
            long[] order = FitLoop.shuffledOrder(n, context.config().seed(), epoch);
            double lossSum = 0;
            double rightSum = 0;
            double marginSum = 0;
            int steps = (n + setup.batchPairs() - 1) / setup.batchPairs();
            try (ProgressSink.Bar bar = progress.bar("DPO epoch " + epoch + "/" + setup.epochs(), steps)) {
                for (int step = 0; step < steps; step++) {
                    int from = step * setup.batchPairs();
                    int to = Math.min(n, from + setup.batchPairs());
                    int b = to - from;
                    int[] x = new int[2 * b * length];
                    int[] y = new int[2 * b * length];
                    float[] refChosen = new float[b];
                    float[] refRejected = new float[b];
                    for (int k = 0; k < b; k++) {
                        int pair = (int) order[from + k];
                        System.arraycopy(inputs[pair], 0, x, k * length, length);
                        System.arraycopy(targets[pair], 0, y, k * length, length);
                        System.arraycopy(inputs[n + pair], 0, x, (b + k) * length, length);
                        System.arraycopy(targets[n + pair], 0, y, (b + k) * length, length);
                        refChosen[k] = (float) referenceLogP[pair];
                        refRejected[k] = (float) referenceLogP[n + pair];
                    }
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDArray ids = batch.create(x, new Shape(2L * b, length));
                        NDArray answerTargets = batch.create(y, new Shape(2L * b, length));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(ids)).singletonOrThrow();
                            NDArray logP = TokenLoss.tokenLogProbabilities(logits, answerTargets).sum(new int[] {1}); // (2b)
                            NDArray chosen = logP.get(new NDIndex("0:{}", b));
                            NDArray rejected = logP.get(new NDIndex("{}:", b));
                            NDArray loss = DpoLoss.loss(chosen, rejected, batch.create(refChosen), batch.create(refRejected),
                                    setup.beta());
                            collector.backward(loss);
                            float[] margins = chosen.sub(batch.create(refChosen)).sub(rejected.sub(batch.create(refRejected)))
                                    .mul(setup.beta()).toFloatArray();
                            lossSum += loss.getFloat() * b;
                            for (float margin : margins) {
                                rightSum += margin > 0 ? 1 : 0;
                                marginSum += margin;
                            }
                        }
                        guard.step(trainer, ids.getShape()); // the one place this loop steps: skipped if not finite
                        if (guard.exhausted()) {
                            throw new dlbank.train.TrainingDivergedException(guard.inARow(), epoch, step + 1,
                                    dlbank.i18n.Messages.text("error.diverged.no-checkpoint"));
                        }
                    }
                    bar.update(step + 1, String.format("loss %.4f right %.1f%%", lossSum / to, 100 * rightSum / to));
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            row.put("dpo_loss", lossSum / n);
            row.put("reward_accuracy", rightSum / n);
            row.put("reward_margin", marginSum / n);
            rows.add(row);
            context.info(String.format("DPO epoch %d/%d  loss %.4f  implicit reward ranks chosen first %.1f%%  margin %.3f",
                    epoch, setup.epochs(), lossSum / n, 100 * rightSum / n, marginSum / n));
        }
        return rows;
    }

    /**
     * The KL divergence of the policy from the reference on the policy's own answers, per answer token:
     * the mean of log π(x_t) - log π_ref(x_t) over the sampled tokens (a Monte Carlo estimate of
     * KL(π ‖ π_ref) / length).
     */
    static double klPerToken(LanguageModel policy, LanguageModel reference, int[][] prompts, List<int[]> answers) {
        int[][] inputs = new int[answers.size()][];
        int[][] targets = new int[answers.size()][];
        long tokens = 0;
        for (int i = 0; i < answers.size(); i++) {
            int[] sequence = concat(prompts[i], answers.get(i));
            inputs[i] = java.util.Arrays.copyOf(sequence, sequence.length - 1);
            targets[i] = answerTargets(sequence, prompts[i].length);
            tokens += answers.get(i).length;
        }
        double[] p = sequenceLogProbabilities(policy, inputs, targets);
        double[] q = sequenceLogProbabilities(reference, inputs, targets);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i] - q[i];
        }
        return sum / tokens;
    }

    /** The targets of sequence[0..n-2] as inputs: the next token where it belongs to the answer, else -1. */
    private static int[] answerTargets(int[] sequence, int promptLength) {
        int[] targets = new int[sequence.length - 1];
        for (int t = 0; t < targets.length; t++) {
            targets[t] = t + 1 >= promptLength ? sequence[t + 1] : -1;
        }
        return targets;
    }

    /** log p(answer | prompt) of each row under a model, without a gradient. */
    private static double[] sequenceLogProbabilities(LanguageModel model, int[][] inputs, int[][] targets) {
        double[] out = new double[inputs.length];
        int length = inputs[0].length;
        for (int from = 0; from < inputs.length; from += 64) {
            int to = Math.min(inputs.length, from + 64);
            int[] x = new int[(to - from) * length];
            int[] y = new int[(to - from) * length];
            for (int i = from; i < to; i++) {
                System.arraycopy(inputs[i], 0, x, (i - from) * length, length);
                System.arraycopy(targets[i], 0, y, (i - from) * length, length);
            }
            try (NDManager batch = model.model().getNDManager().newSubManager()) {
                NDArray logits = model.block().forward(new ParameterStore(batch, false),
                        new NDList(batch.create(x, new Shape(to - from, length))), false).singletonOrThrow();
                float[] sums = TokenLoss.tokenLogProbabilities(logits, batch.create(y, new Shape(to - from, length)))
                        .sum(new int[] {1}).toFloatArray();
                for (int i = from; i < to; i++) {
                    out[i] = sums[i - from];
                }
            }
        }
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
