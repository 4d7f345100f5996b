package dlbank.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;

import java.util.ArrayList;
import java.util.List;

/**
 * Does this machine's engine give a finite input gradient for a 3×3 convolution the first time each
 * shape runs? One convolution (32 input channels, padding 1), loss mean(out²), backward, and a check
 * of the input's gradient, over output channels 1-32 × images 28² and 14² × batches 64 and 1, for a
 * few rounds. On an AMD EPYC with AVX-512 (family 26), oneDNN 3.7.1 inside libtorch 2.7.1 returned NaN
 * in the first round for few output channels (1-8) and finite values afterwards; dlbank's
 * {@link StepGuard} skips such steps. {@code dlbank doctor} runs this probe.
 */
public final class ConvBackwardProbe {

    static final int[] FILTERS = {1, 2, 4, 8, 16, 32};
    static final int[] SIZES = {28, 14};
    static final int[] BATCHES = {64, 1};

    /** One case whose input gradient was not finite. */
    public record Case(int filters, int size, int batch, int round) {}

    /** What the probe found. */
    public record Outcome(int rounds, int cases, List<Case> notFinite) {
        public boolean healthy() {
            return notFinite.isEmpty();
        }

        /** True when every bad case came in the first round: the first-use pattern of the known bug. */
        public boolean firstUseOnly() {
            return !notFinite.isEmpty() && notFinite.stream().allMatch(c -> c.round() == 1);
        }
    }

    private ConvBackwardProbe() {}

    /** Runs {@code rounds} rounds of every case; a NaN injection ({@link StepGuard.NanInjection}) counts too. */
    public static Outcome run(int rounds) {
        Engine.getInstance().setRandomSeed(42);
        int cases = 0;
        List<Case> bad = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int filters : FILTERS) {
                for (int size : SIZES) {
                    for (int batch : BATCHES) {
                        cases++;
                        boolean injected = StepGuard.NanInjection.current()
                                .firstUseOf("probe " + filters + " " + size + " " + batch);
                        if (!inputGradientFinite(filters, size, batch) || injected) {
                            bad.add(new Case(filters, size, batch, round));
                        }
                    }
                }
            }
        }
        return new Outcome(rounds, cases, List.copyOf(bad));
    }

    private static boolean inputGradientFinite(int filters, int size, int batch) {
        SequentialBlock net = new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(3, 3))
                .setFilters(filters).optPadding(new Shape(1, 1)).build());
        try (Model model = Model.newInstance("conv-probe")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 32, size, size));
                NDManager manager = trainer.getManager();
                NDArray input = manager.randomUniform(0, 1, new Shape(batch, 32, size, size));
                input.setRequiresGradient(true);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray out = trainer.forward(new NDList(input)).singletonOrThrow();
                    collector.backward(out.square().mean());
                }
                NDArray gradient = input.getGradient();
                return !gradient.isNaN().logicalOr(gradient.isInfinite()).any().getBoolean();
            }
        }
    }

    /**
     * For {@code dlbank doctor}, which runs the probe in a child JVM with the engine's verbose log on:
     * prints one line {@code probe <rounds> <cases> <filters>x<size>x<batch>@<round> ...}.
     */
    public static void main(String[] args) {
        Outcome outcome = run(args.length > 0 ? Integer.parseInt(args[0]) : 2);
        StringBuilder line = new StringBuilder("probe " + outcome.rounds() + " " + outcome.cases());
        for (Case c : outcome.notFinite()) {
            line.append(' ').append(c.filters()).append('x').append(c.size()).append('x').append(c.batch())
                    .append('@').append(c.round());
        }
        System.out.println(line);
        System.out.flush();
        System.exit(0);
    }

    /** Reads the line {@link #main} prints; null if {@code line} is not one. */
    public static Outcome parse(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length < 3 || !parts[0].equals("probe")) {
            return null;
        }
        List<Case> bad = new ArrayList<>();
        for (int i = 3; i < parts.length; i++) {
            String[] atRound = parts[i].split("@");
            String[] dims = atRound[0].split("x");
            bad.add(new Case(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                    Integer.parseInt(atRound[1])));
        }
        return new Outcome(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), List.copyOf(bad));
    }
}
