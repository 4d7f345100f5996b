package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.AddingProblem;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.model.TextClassifier;
import dlbank.model.TextClassifier.Cell;
import dlbank.report.Charts;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Long-range memory, measured: the adding problem at growing sequence lengths for a plain (tanh)
 * RNN, an LSTM and a GRU, and how much of the answer's gradient reaches each time step, before and
 * after training (Bengio, Simard &amp; Frasconi, 1994; Hochreiter &amp; Schmidhuber, 1997).
 */
public final class RnnLongRangeLab implements Experiment {

    public static final String ID = "lab/rnn-long-range";
    private static final List<Cell> CELLS = List.of(Cell.SIMPLE, Cell.LSTM, Cell.GRU);

    /** @param solvedMse a test error this far below the baseline's 1/6 means the network adds */
    record Settings(int[] lengths, int trainSequences, int testSequences, int epochs, int batchSize, int hidden,
                    float learningRate, double solvedMse) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(new int[] {5, 20}, 512, 256, 2, 32, 16, 1e-2f, 0.01)
                    : new Settings(new int[] {10, 50, 100, 200}, 10_000, 2_000, context.config().epochsOr(15),
                            context.config().batchSizeOr(64), 64, 1e-3f, 0.01);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "the adding problem: plain RNN vs LSTM vs GRU as sequences grow; gradient per time step";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/rnn");
    }

    @Override
    public Result run(RunContext context) {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("lengths", settings.lengths())
                .config("train_sequences", settings.trainSequences()).config("hidden", settings.hidden())
                .config("epochs", settings.epochs()).config("batch_size", settings.batchSize())
                .config("learning_rate", settings.learningRate()).config("solved_below_mse", settings.solvedMse());
        long seed = context.config().seed();
        Map<Cell, double[]> mse = new LinkedHashMap<>();
        CELLS.forEach(cell -> mse.put(cell, new double[settings.lengths().length]));
        int longest = settings.lengths()[settings.lengths().length - 1];
        AddingProblem probe = AddingProblem.generate(256, longest, seed + 7);
        Map<Cell, Sensitivity> untrained = new LinkedHashMap<>();
        Map<Cell, Sensitivity> gradients = new LinkedHashMap<>();
        for (Cell cell : CELLS) {
            untrained.put(cell, untrainedGradients(context, settings, cell, probe));
        }
        for (int i = 0; i < settings.lengths().length; i++) {
            int length = settings.lengths()[i];
            AddingProblem train = AddingProblem.generate(settings.trainSequences(), length, seed * 31 + length);
            AddingProblem test = AddingProblem.generate(settings.testSequences(), length, seed * 31 + length + 1);
            for (Cell cell : CELLS) {
                context.info(String.format("== T = %d, %s", length, cell.id()));
                double error = trainAndTest(context, settings, cell, train, test, length == longest ? probe : null,
                        gradients);
                mse.get(cell)[i] = error;
                result.metric("test_mse_" + cell.id() + "_" + length, error);
                context.info(String.format("T = %d, %s: test MSE %.4f (always answering 1: %.4f)", length, cell.id(),
                        error, AddingProblem.BASELINE_MSE));
            }
        }
        plot(context, result, settings, mse, gradients, untrained, longest);
        addClaims(result, context.quick(), settings, mse, gradients, longest);
        return result.build();
    }

    private static SequentialBlock regressor(Cell cell, int hidden) {
        return new SequentialBlock()
                .add(TextClassifier.recurrentLayer(cell, hidden))         // (N, T, 2) -> (N, T, H)
                .addSingleton(states -> states.get(":, -1, :"))           // the last step's state (N, H)
                .add(Linear.builder().setUnits(1).build());               // (N, 1): the sum
    }

    /**
     * An initialised regressor; an LSTM's forget gate starts with bias 1 so that it begins by
     * keeping its cell state (Gers et al., 2000; Jozefowicz et al., 2015; Keras' default).
     */
    private static void initialise(SequentialBlock block, Cell cell, NDManager manager, Shape input) {
        block.initialize(manager, DataType.FLOAT32, input);
        if (cell == Cell.LSTM) {
            TextClassifier.openForgetGates(block.getChildren().get(0).getValue());
        }
    }

    /**
     * Trains one regressor and returns its test MSE; with a probe batch, also records the gradient
     * per time step of the trained network (into {@code gradients}).
     */
    private static double trainAndTest(RunContext context, Settings settings, Cell cell, AddingProblem train,
                                       AddingProblem test, AddingProblem probe, Map<Cell, Sensitivity> gradients) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        CheckpointedAdam optimizer = new CheckpointedAdam(settings.learningRate(), 1f);
        try (Model model = Model.newInstance("adding-" + cell.id(), context.device())) {
            model.setBlock(regressor(cell, settings.hidden()));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()}))) {
                trainer.initialize(new Shape(settings.batchSize(), train.length(), 2));
                if (cell == Cell.LSTM) {
                    TextClassifier.openForgetGates(model.getBlock().getChildren().get(0).getValue());
                }
                NDManager manager = trainer.getManager();
                // "Correct" = within 0.1 of the true sum, which ranges over [0, 2).
                FitLoop.Scorer close = (output, labels) -> output.sub(labels).abs().lt(0.1f).toType(DataType.FLOAT32, false).sum();
                FitLoop loop = new FitLoop(trainer, optimizer, close, context.progress(), "seq");
                int validation = Math.max(1, train.size() / 10);
                NDArray inputs = train.inputs(manager);
                NDArray targets = train.targets(manager);
                String fit = "0:" + (train.size() - validation);
                String held = (train.size() - validation) + ":";
                loop.fit(new FitLoop.Data(inputs.get(fit), targets.get(fit)), new FitLoop.Data(inputs.get(held), targets.get(held)),
                        new FitLoop.Settings(settings.epochs(), settings.batchSize(), context.config().seed(), 0,
                                context.checkpointDir().resolve(cell.id() + "-" + train.length()), context.resume(), true));
                if (probe != null) {
                    gradients.put(cell, sensitivity((SequentialBlock) model.getBlock(), probe, manager));
                }
                // L2Loss is half the squared error: twice it is the mean squared error.
                return 2 * loop.evaluate(new FitLoop.Data(test.inputs(manager), test.targets(manager)), 500).loss();
            }
        }
    }

    private static Sensitivity untrainedGradients(RunContext context, Settings settings, Cell cell, AddingProblem probe) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        try (NDManager manager = NDManager.newBaseManager(context.device())) {
            SequentialBlock block = regressor(cell, settings.hidden());
            initialise(block, cell, manager, new Shape(probe.size(), probe.length(), 2));
            return sensitivity(block, probe, manager);
        }
    }

    /**
     * How much the network's answer depends on each input.
     *
     * @param perStep the norm of dy/dx_t at every step t, averaged over the batch: how much of the
     *                output's gradient reaches the inputs t steps before the end
     * @param firstMarked dy/d(first marked number), averaged over the batch: 1 for a network that adds
     *                    it, about 0 for one that has forgotten it
     */
    record Sensitivity(double[] perStep, double firstMarked) {}

    /**
     * The gradient of the prediction (not of the loss, which is small wherever the network is right)
     * with respect to every input, on one batch. The block's parameters collect gradients too;
     * nothing steps on them afterwards.
     */
    private static Sensitivity sensitivity(SequentialBlock block, AddingProblem batch, NDManager parent) {
        try (NDManager manager = parent.newSubManager()) {
            NDArray x = batch.inputs(manager);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray prediction = block.forward(new ParameterStore(manager, false), new NDList(x), true)
                        .singletonOrThrow();
                collector.backward(prediction.sum());
            }
            // (N, T, 2) -> per step, the norm of each sequence's gradient, averaged over the batch.
            NDArray gradient = x.getGradient();
            double[] perStep = toDoubles(gradient.square().sum(new int[] {2}).sqrt().mean(new int[] {0}).toFloatArray());
            float[] g = gradient.toFloatArray();
            float[] in = batch.inputs();
            int length = batch.length();
            double sum = 0;
            for (int n = 0; n < batch.size(); n++) {
                for (int t = 0; t < length; t++) {
                    int at = (n * length + t) * 2;
                    if (in[at + 1] == 1f) {        // the marker channel: the first marked step
                        sum += g[at];              // dy/d(value at that step)
                        break;
                    }
                }
            }
            return new Sensitivity(perStep, sum / batch.size());
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    private static void plot(RunContext context, Result.Builder result, Settings settings, Map<Cell, double[]> mse,
                             Map<Cell, Sensitivity> gradients, Map<Cell, Sensitivity> untrained, int longest) {
        double[] lengths = new double[settings.lengths().length];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = settings.lengths()[i];
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        mse.forEach((cell, values) -> series.put(cell.id(), values));
        double[] baseline = new double[lengths.length];
        java.util.Arrays.fill(baseline, AddingProblem.BASELINE_MSE);
        series.put("always 1 (baseline)", baseline);
        Charts.lines(context.file("mse_by_length.png"), "adding problem: test MSE by sequence length",
                "sequence length T", "test mean squared error (log)", lengths, series, true);
        double[] steps = new double[longest];
        for (int t = 0; t < longest; t++) {
            steps[t] = t + 1;
        }
        Map<String, double[]> perStep = new LinkedHashMap<>();
        gradients.forEach((cell, values) -> perStep.put(cell.id() + ", trained", values.perStep()));
        untrained.forEach((cell, values) -> perStep.put(cell.id() + ", untrained", values.perStep()));
        Charts.lines(context.file("gradient_by_step.png"), "T = " + longest + ": norm of dy/dx_t per step",
                "time step t", "gradient norm (log)", steps, perStep, true);
        result.artifact("mse_by_length.png").artifact("gradient_by_step.png");
        untrained.forEach((cell, values) -> result.metric("untrained_first_over_last_" + cell.id(),
                values.perStep()[0] / values.perStep()[values.perStep().length - 1]));
        gradients.forEach((cell, values) -> result.metric("trained_first_marked_sensitivity_" + cell.id(),
                values.firstMarked()));
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings settings, Map<Cell, double[]> mse,
                                  Map<Cell, Sensitivity> gradients, int longest) {
        int shortest = settings.lengths()[0];
        int last = settings.lengths().length - 1;
        double solved = settings.solvedMse();
        double[] simple = mse.get(Cell.SIMPLE);
        result.claim(Claim.checkUnlessQuick(quick, String.format(
                        "A plain RNN solves the adding problem at T = %d (test MSE < %.2f) but not at T = %d",
                        shortest, solved, longest),
                String.format("普通 RNN 在 T = %d 时能解决加法问题（测试 MSE < %.2f），在 T = %d 时不能", shortest, solved, longest),
                simple[0] < solved && simple[last] >= solved,
                Claim.values("test_mse_simple_" + shortest, simple[0], "test_mse_simple_" + longest, simple[last])));
        double[] lstm = mse.get(Cell.LSTM);
        double[] gru = mse.get(Cell.GRU);
        result.claim(Claim.checkUnlessQuick(quick, String.format(
                        "LSTM and GRU solve it at every length tried, up to T = %d (test MSE < %.2f)", longest, solved),
                String.format("LSTM 和 GRU 在所有长度上都能解决它，直到 T = %d（测试 MSE < %.2f）", longest, solved),
                max(lstm) < solved && max(gru) < solved,
                Claim.values("worst_mse_lstm", max(lstm), "worst_mse_gru", max(gru))));
        double simpleEarly = Math.abs(gradients.get(Cell.SIMPLE).firstMarked());
        double lstmEarly = gradients.get(Cell.LSTM).firstMarked();
        double gruEarly = gradients.get(Cell.GRU).firstMarked();
        result.claim(Claim.checkUnlessQuick(quick, String.format("After training at T = %d, the answer's gradient with "
                                + "respect to the first marked number (1 for a network that adds it) is at least 10 times "
                                + "larger in the LSTM and the GRU than in the plain RNN", longest),
                String.format("在 T = %d 上训练之后，输出对第一个被标记的数的梯度（能把它加进去的网络为 1），在 LSTM 和 GRU 中至少是普通 RNN 的 10 倍",
                        longest),
                lstmEarly >= 10 * simpleEarly && gruEarly >= 10 * simpleEarly,
                Claim.values("first_marked_gradient_simple", simpleEarly, "first_marked_gradient_lstm", lstmEarly,
                        "first_marked_gradient_gru", gruEarly)));
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(Double.NaN);
    }
}
