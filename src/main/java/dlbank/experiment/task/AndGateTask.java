package dlbank.experiment.task;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.report.Charts;
import dlbank.report.Pictures;
import dlbank.train.StepGuard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Logic gates with the smallest networks: AND and OR are linearly separable, so one neuron (two
 * weights, a bias, a sigmoid) learns each; XOR is not, so one neuron cannot, and a hidden layer of
 * four tanh units can. Also measures the circulating snippet's setting (Adam at 0.001 for 1000
 * epochs on four samples) over many seeds.
 */
public final class AndGateTask implements Experiment {

    private static final float[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final float[] AND = {0, 0, 0, 1};
    private static final float[] OR = {0, 1, 1, 1};
    private static final float[] XOR = {0, 1, 1, 0};
    private static final int GRID = 300; // decision maps are GRID x GRID points over [-0.5, 1.5]²

    /** Full-batch training on the four rows; 0.1 is large enough for four samples to converge fast. */
    record Settings(int steps, float learningRate, int hiddenUnits, int snippetSeeds, int snippetEpochs,
                    float snippetLearningRate) {
        static Settings of(boolean quick) {
            // The snippet sweep is the only costly part: fewer seeds in quick mode.
            return new Settings(1000, 0.1f, 4, quick ? 4 : 20, 1000, 0.001f);
        }
    }

    /** A trained gate: its probabilities on the four rows, its loss every 50 steps, its decision map. */
    record Gate(String name, float[] labels, float[] probabilities, List<Double> losses, float[] map) {
        int correct() {
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                correct += (probabilities[i] >= 0.5f) == (labels[i] == 1f) ? 1 : 0;
            }
            return correct;
        }
    }

    @Override
    public String id() {
        return "task/and-gate";
    }

    @Override
    public String title() {
        return "AND and OR with one neuron; XOR needs a hidden layer";
    }

    @Override
    public List<String> questions() {
        return List.of("task/and-gate", "concept/deep-learning", "concept/activations");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context.quick());
        long seed = context.config().seed();
        int steps = context.config().epochsOr(settings.steps());
        Result.Builder result = Result.builder()
                .config("steps", steps).config("learning_rate", settings.learningRate())
                .config("optimizer", "adam").config("loss", "binary cross-entropy on the logit")
                .config("hidden_units", settings.hiddenUnits())
                .config("snippet_seeds", settings.snippetSeeds()).config("snippet_epochs", settings.snippetEpochs())
                .config("snippet_learning_rate", settings.snippetLearningRate());

        List<Gate> gates = List.of(
                train(context, "AND, one neuron", AndGateTask::neuron, AND, settings.learningRate(), steps, seed, true),
                train(context, "OR, one neuron", AndGateTask::neuron, OR, settings.learningRate(), steps, seed, true),
                train(context, "XOR, one neuron", AndGateTask::neuron, XOR, settings.learningRate(), steps, seed, true),
                train(context, "XOR, hidden layer of " + settings.hiddenUnits() + " tanh units",
                        () -> hiddenLayer(settings.hiddenUnits()), XOR, settings.learningRate(), steps, seed, true));
        for (Gate gate : gates) {
            context.info(truthTable(gate));
            String slug = gate.name().split(",")[0].toLowerCase() + (gate.name().contains("hidden") ? "-hidden" : "-neuron");
            Pictures.decisionMap(context.file("boundary-" + slug + ".png"), gate.name() + ": p(1), 0.5 contour",
                    gate.map(), GRID, points(gate.labels()));
            result.artifact("boundary-" + slug + ".png");
            result.metric(slug.replace('-', '_') + "_correct", gate.correct());
        }
        for (int row = 0; row < gates.get(0).losses().size(); row++) {
            Map<String, Object> history = new LinkedHashMap<>();
            history.put("step", row * 50);
            for (Gate gate : gates) {
                history.put(gate.name().replace(", ", "_").replace(' ', '_'), gate.losses().get(row));
            }
            result.historyRow(history);
        }
        drawLosses(context, gates, result);

        int snippetSuccesses = 0;
        int tunedSuccesses = 0;
        for (int s = 0; s < settings.snippetSeeds(); s++) {
            snippetSuccesses += train(context, "AND, snippet", AndGateTask::neuron, AND,
                    settings.snippetLearningRate(), settings.snippetEpochs(), seed + 1 + s, false).correct() == 4 ? 1 : 0;
            tunedSuccesses += train(context, "AND, tuned", AndGateTask::neuron, AND,
                    settings.learningRate(), settings.snippetEpochs(), seed + 1 + s, false).correct() == 4 ? 1 : 0;
        }
        result.metric("snippet_seeds_learning_and", snippetSuccesses)
                .metric("tuned_seeds_learning_and", tunedSuccesses);
        context.info(String.format("AND over %d seeds, 1000 full-batch epochs: Adam lr 0.001 learns it on %d, lr 0.1 on %d",
                settings.snippetSeeds(), snippetSuccesses, tunedSuccesses));

        int and = gates.get(0).correct();
        int or = gates.get(1).correct();
        int xorNeuron = gates.get(2).correct();
        int xorHidden = gates.get(3).correct();
        result.claim(Claim.check("A single neuron learns AND (4/4 correct)", "单个神经元能学会 AND（4 行全对）",
                and == 4, Map.of("correct", (double) and)));
        result.claim(Claim.check("A single neuron learns OR (4/4 correct)", "单个神经元能学会 OR（4 行全对）",
                or == 4, Map.of("correct", (double) or)));
        result.claim(Claim.check("A single neuron cannot learn XOR: no line separates it, so at most 3/4 are correct",
                "单个神经元学不会 XOR：没有一条直线能把它分开，所以最多对 3 行",
                xorNeuron <= 3, Map.of("correct", (double) xorNeuron)));
        result.claim(Claim.check("A hidden layer of " + settings.hiddenUnits() + " tanh units learns XOR (4/4 correct)",
                "加一个 " + settings.hiddenUnits() + " 个 tanh 单元的隐藏层就能学会 XOR（4 行全对）",
                xorHidden == 4, Map.of("correct", (double) xorHidden)));
        result.claim(Claim.check(
                "Adam at lr 0.001 for 1000 epochs on the four AND rows (the circulating snippet) does not always learn"
                        + " AND, while lr 0.1 does on every seed",
                "流传代码的设置（Adam，学习率 0.001，在 AND 的 4 行上训练 1000 轮）并不总能学会 AND，"
                        + "而学习率 0.1 在每个种子上都能学会",
                snippetSuccesses < settings.snippetSeeds() && tunedSuccesses == settings.snippetSeeds(),
                Claim.values("seeds", settings.snippetSeeds(), "lr_0.001_successes", snippetSuccesses,
                        "lr_0.1_successes", tunedSuccesses)));
        return result.build();
    }

    private static Block neuron() {
        return Linear.builder().setUnits(1).build(); // (4, 2) -> (4, 1): one logit
    }

    private static Block hiddenLayer(int units) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(units).build()) // (4, units)
                .add(Activation::tanh)
                .add(Linear.builder().setUnits(1).build());    // (4, 1)
    }

    /** Trains one gate with full-batch Adam; the map is computed only when asked for. */
    private static Gate train(RunContext context, String name, Supplier<Block> block, float[] labels,
                              float learningRate, int steps, long seed, boolean withMap) {
        Engine.getInstance().setRandomSeed((int) seed);
        try (Model model = Model.newInstance(name, context.device())) {
            model.setBlock(block.get());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build())
                    .optDevices(new ai.djl.Device[] {context.device()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 2));
                NDManager manager = trainer.getManager();
                List<Double> losses = new ArrayList<>();
                StepGuard guard = StepGuard.of("", null);
                for (int step = 0; step <= steps; step++) {
                    try (NDManager stepManager = manager.newSubManager();
                         GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray x = stepManager.create(INPUTS);                 // (4, 2)
                        NDArray y = stepManager.create(labels).reshape(4, 1);  // (4, 1)
                        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                        if (step % 50 == 0) {
                            losses.add((double) loss.getFloat());
                        }
                        if (step < steps) {
                            collector.backward(loss);
                        }
                    }
                    if (step < steps) {
                        guard.step(trainer, new Shape(4, 2));
                    }
                }
                float[] probabilities = Activation.sigmoid(trainer.evaluate(new NDList(manager.create(INPUTS)))
                        .singletonOrThrow()).toFloatArray();
                float[] map = withMap ? decisionMap(trainer, manager) : new float[0];
                return new Gate(name, labels, probabilities, losses, map);
            }
        }
    }

    /** p(1) on a GRID x GRID lattice over [-0.5, 1.5]², rows from the top (y = 1.5) down. */
    private static float[] decisionMap(Trainer trainer, NDManager manager) {
        float[] points = new float[GRID * GRID * 2];
        for (int row = 0; row < GRID; row++) {
            for (int column = 0; column < GRID; column++) {
                int i = (row * GRID + column) * 2;
                points[i] = -0.5f + 2f * (column + 0.5f) / GRID;
                points[i + 1] = 1.5f - 2f * (row + 0.5f) / GRID;
            }
        }
        NDArray grid = manager.create(points, new Shape(GRID * GRID, 2));
        return Activation.sigmoid(trainer.evaluate(new NDList(grid)).singletonOrThrow()).toFloatArray();
    }

    private static List<Pictures.Point> points(float[] labels) {
        List<Pictures.Point> points = new ArrayList<>();
        for (int i = 0; i < INPUTS.length; i++) {
            points.add(new Pictures.Point(INPUTS[i][0], INPUTS[i][1], labels[i] == 1f));
        }
        return points;
    }

    private static String truthTable(Gate gate) {
        StringBuilder table = new StringBuilder(gate.name()).append('\n')
                .append("  x1 x2 | target  p(1)   output\n");
        for (int i = 0; i < INPUTS.length; i++) {
            float p = gate.probabilities()[i];
            table.append(String.format("   %d  %d |   %d     %.3f    %d%s%n", (int) INPUTS[i][0], (int) INPUTS[i][1],
                    (int) gate.labels()[i], p, p >= 0.5f ? 1 : 0, (p >= 0.5f) == (gate.labels()[i] == 1f) ? "" : "  wrong"));
        }
        return table.append(String.format("  %d/4 correct", gate.correct())).toString();
    }

    private static void drawLosses(RunContext context, List<Gate> gates, Result.Builder result) {
        int points = gates.get(0).losses().size();
        double[] x = new double[points];
        for (int i = 0; i < points; i++) {
            x[i] = i * 50;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Gate gate : gates) {
            series.put(gate.name(), gate.losses().stream().mapToDouble(Double::doubleValue).toArray());
        }
        Charts.lines(context.file("loss.png"), "binary cross-entropy while training", "step", "loss", x, series, true);
        result.artifact("loss.png");
    }
}
