package dlbank.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dlbank.experiment.ProgressSink;
import dlbank.train.FitLoop;
import dlbank.train.StepGuard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one training step's time goes: the step taken apart into the pieces dlbank's loop runs (the
 * batch slice, each layer's forward and backward pass, the loss, the on-device running sums, the NaN
 * guard's check, the optimizer, the read-back and the progress bar every {@link #READ_EVERY} steps),
 * each timed on its own over many steps, with each layer's achieved GFLOP/s.
 *
 * <p>A layer's backward pass is timed on its own graph: its input is the previous layer's output,
 * detached and marked as needing a gradient (not for the first layer, whose input needs none, as in
 * training), and its output's gradient is random. On a CPU every engine call returns when its work is
 * done, so a clock around a call times its kernels. The sum of the parts is then compared with the
 * whole dlbank step measured by {@link FitLoop#benchmark}.
 */
public final class StepProfile {

    /** As in {@link FitLoop}: the running figures are read back every 20 steps. */
    static final int READ_EVERY = 20;

    /** A part of the forward pass timed on its own; {@code multiplyAdds} per example, 0 where none are counted. */
    public interface Stage {
        String name();

        long multiplyAdds();

        /** @param batch the batch's input; @param previous the previous stage's output (the batch for the first) */
        NDArray apply(ParameterStore store, NDArray batch, NDArray previous);
    }

    /** One row: milliseconds per step, and the floating-point rate where multiply-adds are counted (else NaN). */
    public record Part(String name, double millisPerStep, double gflops) {}

    /** The parts, the whole step, and the machine's peak for the GFLOP/s shares. */
    public record Profile(List<Part> parts, double wholeStepMillis, double peakGflops, int batchSize, int steps) {
        public double partsMillis() {
            return parts.stream().mapToDouble(Part::millisPerStep).sum();
        }

        /** The rows as report.json keeps them: part, ms per step, share of the whole step, GFLOP/s, share of peak. */
        public List<Map<String, Object>> rows() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Part part : parts) {
                rows.add(row(part.name(), part.millisPerStep(), part.gflops()));
            }
            rows.add(row("sum of the parts", partsMillis(), Double.NaN));
            rows.add(row("whole dlbank step", wholeStepMillis, Double.NaN));
            return rows;
        }

        private Map<String, Object> row(String name, double millis, double gflops) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("part", name);
            row.put("ms_per_step", round(millis, 4));
            row.put("share_of_step", round(millis / wholeStepMillis, 4));
            if (Double.isFinite(gflops)) {
                row.put("gflops", round(gflops, 2));
                row.put("share_of_peak", round(gflops / peakGflops, 4));
            }
            return row;
        }

        private static double round(double value, int digits) {
            double scale = Math.pow(10, digits);
            return Math.round(value * scale) / scale;
        }
    }

    private StepProfile() {}

    /**
     * Times {@code steps} steps piece by piece after {@code warmup} untimed ones. The model is trained
     * by these steps (the optimizer runs), as it is by the loop.
     *
     * @param wholeStepMillis the whole dlbank step, measured separately with {@link FitLoop#benchmark}
     */
    public static Profile run(Trainer trainer, List<Stage> stages, FitLoop.Scorer scorer, FitLoop.Data data,
                              int batchSize, int steps, int warmup, double wholeStepMillis, double peakGflops,
                              ProgressSink progress) {
        int parts = 2 * stages.size() + 7;
        double[] nanos = new double[parts];
        ParameterStore store = new ParameterStore(trainer.getManager(), false);
        long batches = data.size() / batchSize;
        try (NDManager runManager = trainer.getManager().newSubManager();
             ProgressSink.Bar bar = progress.bar("profile", warmup + steps)) {
            NDArray lossSum = runManager.zeros(new ai.djl.ndarray.types.Shape(), DataType.FLOAT32);
            NDArray correctSum = runManager.zeros(new ai.djl.ndarray.types.Shape(), DataType.FLOAT32);
            for (int step = 0; step < warmup + steps; step++) {
                boolean timed = step >= warmup;
                long from = (step % batches) * batchSize;
                try (NDManager batchManager = runManager.newSubManager()) {
                    long t = System.nanoTime();
                    NDIndex rows = new NDIndex().addSliceDim(from, from + batchSize);
                    NDArray x = data.inputs().get(batchManager, rows);
                    NDArray y = data.labels().get(batchManager, rows);
                    add(nanos, 0, t, timed);
                    NDArray previous = x;
                    for (int i = 0; i < stages.size(); i++) {
                        NDArray input = i == 0 ? x : previous.stopGradient();
                        if (i > 0 && input.getDataType().isFloating()) {
                            input.setRequiresGradient(true);
                        }
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            t = System.nanoTime();
                            NDArray output = stages.get(i).apply(store, x, input);
                            add(nanos, 1 + 2 * i, t, timed);
                            NDArray outputGradient = batchManager.randomNormal(output.getShape());
                            t = System.nanoTime();
                            // Every stage's output depends on something that needs a gradient: its
                            // weights, or its input (all but the first stage's).
                            collector.backward(output.mul(outputGradient).sum());
                            add(nanos, 2 + 2 * i, t, timed);
                            previous = output;
                        }
                    }
                    int next = 1 + 2 * stages.size();
                    NDArray logits = previous.stopGradient();
                    logits.setRequiresGradient(true);
                    NDArray loss;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        t = System.nanoTime();
                        loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                        collector.backward(loss);
                        add(nanos, next, t, timed);
                    }
                    t = System.nanoTime();
                    lossSum.addi(loss.mul(batchSize));
                    correctSum.addi(scorer.correct(logits, y).toType(DataType.FLOAT32, false));
                    add(nanos, next + 1, t, timed);
                    t = System.nanoTime();
                    StepGuard.gradientsFinite(trainer);
                    add(nanos, next + 2, t, timed);
                    t = System.nanoTime();
                    trainer.step();
                    add(nanos, next + 3, t, timed);
                }
                if ((step + 1) % READ_EVERY == 0) {
                    long t = System.nanoTime();
                    float read = lossSum.getFloat() + correctSum.getFloat();
                    add(nanos, 2 * stages.size() + 5, t, timed);
                    t = System.nanoTime();
                    bar.update(step + 1, String.format("loss %.4f", read / ((step + 1) * (double) batchSize)));
                    add(nanos, 2 * stages.size() + 6, t, timed);
                }
            }
        }
        List<Part> result = new ArrayList<>();
        result.add(part("data slice", nanos[0], steps, Double.NaN));
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            double forwardFlops = 2.0 * stage.multiplyAdds() * batchSize;
            // The backward pass of a layer computes its weights' gradients and, but for the first layer,
            // its input's: one or two products the size of the forward one.
            double backwardFlops = (i == 0 ? 1 : 2) * forwardFlops;
            result.add(part("forward " + stage.name(), nanos[1 + 2 * i], steps, forwardFlops));
            result.add(part("backward " + stage.name(), nanos[2 + 2 * i], steps, backwardFlops));
        }
        int next = 1 + 2 * stages.size();
        result.add(part("loss, forward and backward", nanos[next], steps, Double.NaN));
        result.add(part("running loss and accuracy (on device)", nanos[next + 1], steps, Double.NaN));
        result.add(part("NaN guard's check", nanos[next + 2], steps, Double.NaN));
        result.add(part("optimizer (Adam)", nanos[next + 3], steps, Double.NaN));
        result.add(part("read-back, every " + READ_EVERY + " steps", nanos[next + 4], steps, Double.NaN));
        result.add(part("progress bar, every " + READ_EVERY + " steps", nanos[next + 5], steps, Double.NaN));
        return new Profile(result, wholeStepMillis, peakGflops, batchSize, steps);
    }

    private static void add(double[] nanos, int index, long since, boolean timed) {
        if (timed) {
            nanos[index] += System.nanoTime() - since;
        }
    }

    /** @param flops per step; NaN or 0 when the part's operations are not counted */
    private static Part part(String name, double nanos, int steps, double flops) {
        double millis = nanos / steps / 1e6;
        double gflops = flops > 0 ? flops / (millis / 1e3) / 1e9 : Double.NaN;
        return new Part(name, millis, gflops);
    }
}
