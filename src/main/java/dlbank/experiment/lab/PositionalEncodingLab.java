package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.LanguageModelTraining;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.Transformer;
import dlbank.model.Transformer.Positions;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Why a Transformer needs position information, on a task that is about order and nothing else: each
 * position of a random digit sequence must output the digit {@value #OFFSET} places before it. The
 * same small encoder is trained with no positions, learned positions, the sinusoidal table and RoPE,
 * and tested at the training length and at twice that length.
 */
public final class PositionalEncodingLab implements Experiment {

    public static final String ID = "lab/positional-encoding";
    /** The output at position i is the digit at position i - OFFSET. */
    static final int OFFSET = 3;
    private static final int DIGITS = 10;

    record Setup(int length, int width, int layers, int trainSequences, int epochs, int batch, int testSequences) {
        static Setup of(boolean quick) {
            return quick ? new Setup(8, 32, 2, 640, 1, 64, 100) : new Setup(16, 64, 2, 30_000, 4, 64, 2_000);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "no / learned / sinusoidal / rotary positions on an order task, at the training length and twice it";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/positional-encoding");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("accuracy_rope_double_length");
    }

    @Override
    public Result run(RunContext context) {
        boolean quick = context.quick();
        Setup setup = Setup.of(quick);
        int epochs = context.config().epochsOr(setup.epochs());
        Result.Builder result = Result.builder().config("task", "output the digit " + OFFSET + " places earlier, "
                        + "random digit sequences").config("training_length", setup.length())
                .config("model", String.format("encoder (no causal mask), %d layers, width %d, 4 heads, pre-LN",
                        setup.layers(), setup.width()))
                .config("training", String.format("%,d sequences, %d epochs, batch %d, Adam 1e-3", setup.trainSequences(),
                        epochs, setup.batch()));
        Random random = new Random(context.config().seed());
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        double equivarianceError = Double.NaN;
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            FitLoop.Data train = sequences(manager, setup.trainSequences(), setup.length(), random);
            FitLoop.Data validation = sequences(manager, setup.testSequences(), setup.length(), random);
            FitLoop.Data atLength = sequences(manager, setup.testSequences(), setup.length(), random);
            FitLoop.Data doubled = sequences(manager, setup.testSequences(), 2 * setup.length(), random);
            for (Positions positions : List.of(Positions.NONE, Positions.LEARNED, Positions.SINUSOIDAL, Positions.ROPE)) {
                context.info("== " + positions.id() + " positions");
                // The learned table has rows for twice the training length; rows past it are never trained.
                Transformer.Config config = new Transformer.Config(DIGITS, setup.width(), 4, setup.layers(), 2 * setup.width(),
                        2 * setup.length(), positions, Transformer.Norm.PRE, false, true);
                try (LanguageModelTraining.Trained trained = LanguageModelTraining.train(context, config, train, validation,
                        new LanguageModelTraining.Settings(epochs, setup.batch(), 1e-3f, 50), positions.id())) {
                    FitLoop.Scorer scorer = dlbank.train.TokenLoss.scorer();
                    double[] measured = {FitLoop.evaluate(trained.trainer(), scorer, atLength, 500).accuracy(),
                            FitLoop.evaluate(trained.trainer(), scorer, doubled, 500).accuracy()};
                    accuracy.put(positions.id(), measured);
                    result.metric("accuracy_" + positions.id(), measured[0])
                            .metric("accuracy_" + positions.id() + "_double_length", measured[1]);
                    context.info(String.format("%s: accuracy %.4f at length %d, %.4f at length %d", positions.id(),
                            measured[0], setup.length(), measured[1], 2 * setup.length()));
                    if (positions == Positions.NONE) {
                        equivarianceError = equivarianceError(trained, atLength, random);
                        result.metric("permutation_max_difference", equivarianceError);
                    }
                }
            }
        }
        List<String> names = new ArrayList<>(accuracy.keySet());
        Charts.bars(context.file("accuracy_by_length.png"), "Digit " + OFFSET + " places back: test accuracy by position "
                        + "encoding", "position information", "accuracy", names,
                Map.of("length " + setup.length() + " (as trained)", names.stream().mapToDouble(n -> accuracy.get(n)[0]).toArray(),
                        "length " + 2 * setup.length(), names.stream().mapToDouble(n -> accuracy.get(n)[1]).toArray()), 0.0);
        result.artifact("accuracy_by_length.png");
        addClaims(result, quick, accuracy, equivarianceError);
        return result.build();
    }

    /**
     * Random digit sequences; the target at position i is the digit at i - OFFSET, and -1 (nothing to
     * predict) at the first OFFSET positions.
     */
    static FitLoop.Data sequences(NDManager manager, int count, int length, Random random) {
        int[] inputs = new int[count * length];
        int[] targets = new int[count * length];
        for (int s = 0; s < count; s++) {
            for (int t = 0; t < length; t++) {
                inputs[s * length + t] = random.nextInt(DIGITS);
            }
            for (int t = 0; t < length; t++) {
                targets[s * length + t] = t < OFFSET ? -1 : inputs[s * length + t - OFFSET];
            }
        }
        return new FitLoop.Data(manager.create(inputs, new Shape(count, length)), manager.create(targets, new Shape(count, length)));
    }

    /**
     * Without positions, attention treats its input as a set: the largest difference between the
     * outputs of permuted inputs and the permuted outputs of the original inputs.
     */
    private static double equivarianceError(LanguageModelTraining.Trained trained, FitLoop.Data data, Random random) {
        try (NDManager batch = trained.model().getNDManager().newSubManager()) {
            NDArray x = data.inputs().get(batch, new ai.djl.ndarray.index.NDIndex("0:100"));
            long length = x.getShape().get(1);
            int[] permutation = java.util.stream.IntStream.range(0, (int) length).toArray();
            for (int i = permutation.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = swap;
            }
            NDArray index = batch.create(permutation).toType(ai.djl.ndarray.types.DataType.INT64, false);
            ParameterStore store = new ParameterStore(batch, false);
            NDArray outputs = trained.model().getBlock().forward(store, new NDList(x), false).singletonOrThrow();
            NDArray permutedInput = x.get(new ai.djl.ndarray.index.NDIndex(":, {}", index));
            NDArray outputsOfPermuted = trained.model().getBlock().forward(store, new NDList(permutedInput), false)
                    .singletonOrThrow();
            NDArray permutedOutputs = outputs.get(new ai.djl.ndarray.index.NDIndex(":, {}", index));
            return outputsOfPermuted.sub(permutedOutputs).abs().max().getFloat();
        }
    }

    private static void addClaims(Result.Builder result, boolean quick, Map<String, double[]> accuracy, double equivariance) {
        double none = accuracy.get("none")[0];
        result.claim(Claim.check("Without position information self-attention is permutation-equivariant: permuting "
                        + "the input digits permutes the outputs the same way (to 1e-4)",
                "没有位置信息时，自注意力对置换等变：打乱输入数字的顺序，输出也按同样方式被打乱（误差 1e-4 以内）",
                equivariance < 1e-4, Claim.values("permutation_max_difference", equivariance)));
        result.claim(Claim.checkUnlessQuick(quick, "So without positions the order task cannot be learned: test "
                        + "accuracy stays below 25% (chance is 10%), while every position encoding reaches 95% at the "
                        + "training length",
                "所以没有位置信息就学不会这个顺序任务：测试准确率低于 25%（随机猜为 10%），而每种位置编码在训练长度上都达到 95%",
                none < 0.25 && accuracy.get("learned")[0] >= 0.95 && accuracy.get("sinusoidal")[0] >= 0.95
                        && accuracy.get("rope")[0] >= 0.95,
                Claim.values("accuracy_none", none, "accuracy_learned", accuracy.get("learned")[0],
                        "accuracy_sinusoidal", accuracy.get("sinusoidal")[0], "accuracy_rope", accuracy.get("rope")[0])));
        double rope = accuracy.get("rope")[1];
        double learned = accuracy.get("learned")[1];
        result.claim(Claim.checkUnlessQuick(quick, "At twice the training length RoPE, which scores by relative position, "
                        + "keeps at least 90% accuracy, while learned absolute positions fall at least 30 points below it",
                "在两倍训练长度上，按相对位置打分的 RoPE 准确率保持在 90% 以上，而可学习的绝对位置至少比它低 30 个百分点",
                rope >= 0.90 && learned <= rope - 0.30,
                Claim.values("accuracy_rope_double_length", rope, "accuracy_learned_double_length", learned,
                        "accuracy_sinusoidal_double_length", accuracy.get("sinusoidal")[1])));
    }
}
