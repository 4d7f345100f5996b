package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dlbank.data.ImageDataset;
import dlbank.eval.Predictions;
import dlbank.eval.WeightMaps;
import dlbank.experiment.Experiment;
import dlbank.experiment.MnistModels;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.ConvolutionAsDense;
import dlbank.model.MnistCnn;
import dlbank.model.ParameterCount;
import dlbank.model.SavedModel;
import dlbank.report.Charts;
import dlbank.report.Pictures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a convolution is, measured on task/mnist-cnn's trained model: its learned first-layer filters
 * and the feature maps of both convolutions on test digits (plotted); each convolution's parameters
 * against a dense layer that computes exactly the same map (built, loaded with the convolution's
 * weights, checked to give the same outputs) and a locally connected layer (local, not shared);
 * translation equivariance of the convolution, and what 2x2 max pooling does to it; and how far the
 * whole network's prediction tolerates shifted digits, against an MLP of about the same size (Azulay
 * &amp; Weiss, 2019, Why do deep convolutional networks generalize so poorly to small image
 * transformations?).
 */
public final class CnnLab implements Experiment {

    public static final String ID = "lab/cnn";
    /** Children of MnistCnn.build(): conv 32, ReLU, pool, conv 64, ReLU, pool. */
    static final int CONV1 = 0;
    static final int CONV2 = 3;
    static final int[] SHIFTS = {0, 1, 2, 3, 4};

    /**
     * @param equivarianceImages test digits whose feature maps are compared shifted and unshifted
     * @param mlpHidden the MLP's hidden units: 784-150-10 has 119,260 parameters, the CNN 121,930
     */
    record Settings(int trainImages, int validationImages, int testImages, int equivarianceImages, int mlpHidden,
                    int mlpEpochs) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(1_700, 300, 500, 20, 150, context.config().epochsOr(2))
                    : new Settings(55_000, 5_000, 10_000, 500, 150, context.config().epochsOr(5));
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "the MNIST CNN's filters and feature maps; conv vs dense parameters; translation equivariance measured";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/cnn");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("parameters_conv1", "parameters_dense_equivalent_conv1", "equivariance_error_conv1",
                "shift3_accuracy_cnn", "shift3_accuracy_mlp");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("shifts", SHIFTS)
                .config("shift", "the digit moved right, left, down and up by s pixels (zero fill), accuracies averaged")
                .config("mlp", "784-" + settings.mlpHidden() + "-10, ReLU, Adam 1e-3, batch 64, " + settings.mlpEpochs()
                        + " epochs, the same training images");
        MnistModels.Source source = MnistModels.require(context);
        source.reportTo(result);
        MnistLab.Splits splits = MnistLab.load(context, settings.trainImages(), settings.validationImages(),
                settings.testImages());
        ImageDataset test = splits.test();
        Map<String, double[]> shiftAccuracy = new LinkedHashMap<>();
        try (Model cnn = SavedModel.load(source.modelDir(), MnistCnnTask.ARCHITECTURE, MnistCnn::build, context.device());
             NDManager manager = cnn.getNDManager().newSubManager()) {
            Block block = cnn.getBlock();
            drawFilters(context, result, block);
            drawFeatureMaps(context, result, block, test, manager);
            countParameters(context, result, block, test, manager);
            measureEquivariance(context, result, block, test.head(settings.equivarianceImages()), manager);
            shiftAccuracy.put("CNN (task/mnist-cnn)", shiftAccuracies(block, test, manager));
        }
        MnistLab.train(context, splits, new MnistLab.Recipe("mlp", () -> mlp(settings.mlpHidden()), settings.mlpEpochs(), 64,
                1e-3f, 0, false), MnistLab.Setup.NONE, mlpBlock -> {
                    try (NDManager manager = NDManager.newBaseManager(context.device())) {
                        shiftAccuracy.put(String.format("MLP 784-%d-10", settings.mlpHidden()),
                                shiftAccuracies(mlpBlock, test, manager));
                    }
                    result.metric("parameters_mlp", ParameterCount.of(mlpBlock));
                });
        double[] cnnShift = shiftAccuracy.values().stream().findFirst().orElseThrow();
        double[] mlpShift = shiftAccuracy.values().stream().skip(1).findFirst().orElseThrow();
        for (int s : SHIFTS) {
            result.metric("shift" + s + "_accuracy_cnn", cnnShift[s]).metric("shift" + s + "_accuracy_mlp", mlpShift[s]);
        }
        context.info(String.format("test accuracy by shift 0-4 px: CNN %s; MLP %s", row(cnnShift), row(mlpShift)));
        Charts.lines(context.file("shift_accuracy.png"), "MNIST test accuracy with digits shifted by s pixels",
                "shift s (pixels, averaged over right, left, down, up)", "test accuracy",
                java.util.Arrays.stream(SHIFTS).asDoubleStream().toArray(), shiftAccuracy, false);
        result.artifact("shift_accuracy.png");
        CnnClaims.add(result, context.quick());
        return result.build();
    }

    /** The first convolution's 32 filters of 3x3, each scaled so that grey is 0. */
    private static void drawFilters(RunContext context, Result.Builder result, Block block) {
        float[] filters = block.getChildren().valueAt(CONV1).getParameters().get("weight").getArray().toFloatArray();
        Pictures.imageGrid(context.file("filters_conv1.png"), "the 32 learned 3x3 filters of the first convolution "
                + "(grey = 0, white positive, black negative)", WeightMaps.asImages(filters, 32, 9), 3, 3, 8, 24);
        result.artifact("filters_conv1.png");
    }

    /** For two test digits: the digit, then each convolution's maps after ReLU, each map scaled to its own maximum. */
    private static void drawFeatureMaps(RunContext context, Result.Builder result, Block block, ImageDataset test,
                                        NDManager manager) {
        for (int layer : new int[] {CONV1, CONV2}) {
            List<float[]> images = new ArrayList<>();
            long channels = 0;
            long side = 0;
            for (int i = 0; i < 2; i++) {
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray maps = forwardThrough(block, test.select(new int[] {i}).images(scratch), layer + 2); // (1, C, H, W)
                    channels = maps.getShape().get(1);
                    side = maps.getShape().get(2);
                    float[] values = maps.toFloatArray();
                    int size = (int) (side * side);
                    for (int c = 0; c < channels; c++) {
                        float[] map = java.util.Arrays.copyOfRange(values, c * size, (c + 1) * size);
                        float max = 1e-12f;
                        for (float v : map) {
                            max = Math.max(max, v);
                        }
                        for (int p = 0; p < size; p++) {
                            map[p] /= max;
                        }
                        images.add(map);
                    }
                }
            }
            String file = layer == CONV1 ? "feature_maps_conv1.png" : "feature_maps_conv2.png";
            Pictures.imageGrid(context.file(file), String.format("the %d feature maps (%dx%d, after ReLU) of the %s "
                            + "convolution for two test digits, one digit after the other", channels, side, side,
                    layer == CONV1 ? "first" : "second"), images, (int) side, (int) side, 16,
                    layer == CONV1 ? 3 : 6);
            result.artifact(file);
        }
    }

    /**
     * Each convolution against the dense layer that computes the same map: that layer is built, its
     * matrix filled from the convolution's filters (one row per output value), and its outputs compared
     * with the convolution's on test digits.
     */
    private static void countParameters(RunContext context, Result.Builder result, Block block, ImageDataset test,
                                        NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray images = test.head(100).images(scratch);                                     // (100, 1, 28, 28)
            NDArray[] inputs = {images, forwardThrough(block, images, CONV2)};                  // conv1's, conv2's input
            int[] layers = {CONV1, CONV2};
            for (int k = 0; k < 2; k++) {
                Block conv = block.getChildren().valueAt(layers[k]);
                NDArray expected = conv.forward(new ParameterStore(scratch, false), new NDList(inputs[k]), false)
                        .singletonOrThrow();
                ConvolutionAsDense dense = ConvolutionAsDense.of(conv, inputs[k].getShape(), scratch);
                NDArray actual = dense.forward(inputs[k]).reshape(expected.getShape());
                double error = actual.sub(expected).abs().max().getFloat() / expected.abs().max().getFloat();
                String name = "conv" + (k + 1);
                result.metric("parameters_" + name, ParameterCount.of(conv))
                        .metric("parameters_dense_equivalent_" + name, dense.parameters())
                        .metric("parameters_locally_connected_" + name, dense.locallyConnectedParameters())
                        .metric("dense_equivalent_relative_error_" + name, error);
                context.info(String.format("%s: %,d parameters; the dense layer computing the same map %,d (%.0fx); "
                                + "locally connected, not shared, %,d; outputs equal to %.1e", name, ParameterCount.of(conv),
                        dense.parameters(), (double) dense.parameters() / ParameterCount.of(conv),
                        dense.locallyConnectedParameters(), error));
                dense.close();
            }
        }
    }

    /**
     * conv(shift(x)) against shift(conv(x)), away from the border the shift fills with zeros; and the
     * same after the first 2x2 max pooling, whose grid only moves with shifts by a multiple of 2.
     */
    private static void measureEquivariance(RunContext context, Result.Builder result, Block block, ImageDataset digits,
                                            NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            float[] pixels = digits.images(scratch).toFloatArray();
            int n = digits.size();
            NDArray original = scratch.create(pixels, new Shape(n, 1, 28, 28));
            float[] conv = forwardThrough(block, original, CONV1 + 1).toFloatArray();      // (n, 32, 26, 26)
            float[] pooled = forwardThrough(block, original, CONV1 + 3).toFloatArray();    // (n, 32, 13, 13)
            double worstConv = 0;
            double[] poolError = new double[3];
            for (int s = 1; s <= 2; s++) {
                NDArray moved = scratch.create(Shifts.shift(pixels, n, 28, s, s), new Shape(n, 1, 28, 28));
                float[] convMoved = forwardThrough(block, moved, CONV1 + 1).toFloatArray();
                float[] pooledMoved = forwardThrough(block, moved, CONV1 + 3).toFloatArray();
                worstConv = Math.max(worstConv, Shifts.mismatch(conv, convMoved, n * 32, 26, s, 0));
                // After pooling a shift of s pixels can only reappear as a shift of s / 2 cells.
                poolError[s] = s % 2 == 0 ? Shifts.mismatch(pooled, pooledMoved, n * 32, 13, s / 2, 1)
                        : Math.min(Shifts.mismatch(pooled, pooledMoved, n * 32, 13, 0, 1),
                                Shifts.mismatch(pooled, pooledMoved, n * 32, 13, 1, 1));
            }
            result.metric("equivariance_error_conv1", worstConv).metric("equivariance_error_pooled_shift1", poolError[1])
                    .metric("equivariance_error_pooled_shift2", poolError[2]);
            context.info(String.format("conv(shift(x)) vs shift(conv(x)), shifts of 1 and 2 px: relative error %.1e; "
                    + "after 2x2 max pooling: %.1e for a 2 px shift, %.3f for a 1 px shift", worstConv, poolError[2],
                    poolError[1]));
        }
    }

    /** Test accuracy with the digits shifted by each of {@link #SHIFTS}, averaged over four directions. */
    private static double[] shiftAccuracies(Block block, ImageDataset test, NDManager manager) {
        float[] pixels;
        try (NDManager scratch = manager.newSubManager()) {
            pixels = test.images(scratch).toFloatArray();
        }
        int n = test.size();
        int[] labels = test.labelArray();
        double[] accuracy = new double[SHIFTS.length];
        int[][] directions = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
        for (int s : SHIFTS) {
            for (int[] direction : directions) {
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray moved = scratch.create(Shifts.shift(pixels, n, 28, direction[0] * s, direction[1] * s),
                            new Shape(n, 1, 28, 28));
                    accuracy[s] += Predictions.accuracy(block, scratch, moved, labels, 1000) / directions.length;
                }
                if (s == 0) {
                    accuracy[s] *= directions.length;   // no shift: one direction is enough
                    break;
                }
            }
        }
        return accuracy;
    }

    /** The outputs of the block's first {@code children} children. */
    static NDArray forwardThrough(Block block, NDArray x, int children) {
        NDList current = new NDList(x);
        ParameterStore store = new ParameterStore(x.getManager(), false);
        for (int c = 0; c < children; c++) {
            current = block.getChildren().valueAt(c).forward(store, current, false);
        }
        return current.singletonOrThrow();
    }

    /** (B, 1, 28, 28) -> (B, 10) through one hidden ReLU layer. */
    static SequentialBlock mlp(int hidden) {
        return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu).add(Linear.builder().setUnits(10).build());
    }

    private static String row(double[] values) {
        return String.join(" ", java.util.Arrays.stream(values).mapToObj(v -> String.format("%.4f", v)).toList());
    }
}
