package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.Predictions;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.MnistModels;
import dlbank.experiment.Result;
import dlbank.experiment.RunContext;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.MnistCnn;
import dlbank.model.ParameterCount;
import dlbank.model.SavedModel;
import dlbank.model.Weights;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transfer learning from MNIST digits to Fashion-MNIST clothing with few labels (Yosinski et al.,
 * 2014, How transferable are features in deep neural networks?): task/mnist-cnn's trained
 * convolution layers reused under a new dense head, either frozen (feature extraction: only the head
 * trains) or fine-tuned (the frozen model's weights, then every layer at a tenth of the learning
 * rate), against the same network trained from scratch, at 100 and 1,000 labelled images. A
 * control freezes the same layers at random weights, so the frozen MNIST features are measured against
 * features that carry nothing.
 */
public final class TransferLearningLab implements Experiment {

    public static final String ID = "lab/transfer-learning";
    /** Children of MnistCnn.build() that are convolutions: the transferred, frozen part. */
    static final int[] CONVOLUTIONS = {0, 3};
    /** The order of {@link #runDraw}'s figures. */
    static final String[] METHODS = {"scratch", "frozen_random", "frozen", "fine_tuned"};

    /**
     * @param budgets labelled Fashion-MNIST images, the same number of each of the 10 classes
     * @param draws labelled sets drawn per budget (different images each), accuracies averaged
     * @param epochs epochs of each phase: the frozen head trains this long, fine-tuning as long again,
     *               and training from scratch as long as both together
     */
    record Settings(int[] budgets, int draws, int[] epochs, int batchSize, int testImages) {
        static Settings of(RunContext context) {
            return context.quick()
                    ? new Settings(new int[] {100, 1_000}, 1, new int[] {10, 3}, 32, 1_000)
                    : new Settings(new int[] {100, 1_000}, 3, new int[] {60, 15}, 32, 10_000);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "MNIST-pretrained CNN on Fashion-MNIST with 100 and 1,000 labels: scratch vs frozen vs fine-tuned";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/transfer-learning");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("accuracy_fine_tuned_100", "accuracy_scratch_100", "accuracy_fine_tuned_1000", "accuracy_scratch_1000");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("source", "task/mnist-cnn's trained model (MNIST digits)")
                .config("transferred", "the two convolution layers; the dense head (64, 10) starts new")
                .config("control", "the two convolution layers frozen at random weights (scratch's starting ones)")
                .config("budgets", settings.budgets()).config("draws", settings.draws()).config("epochs", settings.epochs())
                .config("learning_rates", "scratch and frozen head: Adam 1e-3; fine-tuning: Adam 1e-4")
                .config("validation", "100 further training images, shown per epoch and never used to choose anything");
        MnistModels.Source source = MnistModels.require(context);
        source.reportTo(result);
        Path pretrainedDir = source.modelDir();
        ImageDataset train = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.FASHION_MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        for (String method : METHODS) {
            accuracy.put(method, new double[settings.budgets().length]);
        }
        long[] parameters = new long[3];
        try (Model pretrained = SavedModel.load(pretrainedDir, MnistCnnTask.ARCHITECTURE, MnistCnn::build, context.device())) {
            for (int b = 0; b < settings.budgets().length; b++) {
                int budget = settings.budgets()[b];
                for (int draw = 0; draw < settings.draws(); draw++) {
                    int[] chosen = train.balancedSample(budget / 10 + 10, context.config().seed() * 1_000 + budget * 10L + draw);
                    // Each class's first budget/10 images are labelled; the other 10 per class validate.
                    int[][] split = split(train, chosen, budget / 10);
                    context.info(String.format("== %,d labels, draw %d of %d", budget, draw + 1, settings.draws()));
                    double[] figures = runDraw(context, settings, pretrained.getBlock(), train.select(split[0]),
                            train.select(split[1]), test, budget, draw, parameters);
                    for (int m = 0; m < METHODS.length; m++) {
                        accuracy.get(METHODS[m])[b] += figures[m] / settings.draws();
                    }
                }
                context.info(String.format("%,d labels: scratch %.4f, frozen random %.4f, frozen MNIST %.4f, fine-tuned %.4f",
                        budget, accuracy.get("scratch")[b], accuracy.get("frozen_random")[b], accuracy.get("frozen")[b],
                        accuracy.get("fine_tuned")[b]));
                for (String method : METHODS) {
                    result.metric("accuracy_" + method + "_" + budget, accuracy.get(method)[b]);
                }
            }
        }
        result.metric("parameters_scratch", parameters[0]).metric("parameters_fine_tuned", parameters[1])
                .metric("trainable_parameters_frozen", parameters[2]);
        plot(context, result, settings, accuracy);
        addClaims(result, context.quick(), settings, accuracy, parameters);
        return result.build();
    }

    /** {labelled positions, validation positions}: per class, the first {@code perClass} of the chosen. */
    private static int[][] split(ImageDataset train, int[] chosen, int perClass) {
        int[] seen = new int[10];
        List<Integer> labelled = new java.util.ArrayList<>();
        List<Integer> validation = new java.util.ArrayList<>();
        for (int i : chosen) {
            (seen[train.label(i)]++ < perClass ? labelled : validation).add(i);
        }
        return new int[][] {labelled.stream().mapToInt(Integer::intValue).toArray(),
                validation.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** Test accuracy of {scratch, frozen, fine-tuned} on one labelled set. */
    private static double[] runDraw(RunContext context, Settings settings, Block pretrained, ImageDataset labelled,
                                    ImageDataset validation, ImageDataset test, int budget, int draw, long[] parameters) {
        int[] epochs = settings.epochs();
        int phase = budget <= 100 ? epochs[0] : epochs[1];
        double[] accuracy = new double[METHODS.length];
        String name = budget + "-" + draw;
        try (LabTraining.Classifier scratch = LabTraining.classifier(context, "scratch", MnistCnn.build(),
                Loss.softmaxCrossEntropyLoss(), 1e-3f, settings.batchSize())) {
            accuracy[0] = trainAndTest(context, settings, scratch, labelled, validation, test, 2 * phase, "scratch-" + name);
            parameters[0] = ParameterCount.of(scratch.block());
        }
        // The control: the same frozen layers and new head, with the convolutions left at the random
        // weights the scratch model started from. What frozen MNIST features add is measured against it.
        try (LabTraining.Classifier random = LabTraining.classifier(context, "frozen-random", MnistCnn.build(),
                Loss.softmaxCrossEntropyLoss(), 1e-3f, settings.batchSize())) {
            for (int child : CONVOLUTIONS) {
                random.block().getChildren().valueAt(child).freezeParameters(true);
            }
            accuracy[1] = trainAndTest(context, settings, random, labelled, validation, test, phase, "frozen-random-" + name);
        }
        try (LabTraining.Classifier frozen = LabTraining.classifier(context, "frozen", MnistCnn.build(),
                Loss.softmaxCrossEntropyLoss(), 1e-3f, settings.batchSize())) {
            for (int child : CONVOLUTIONS) {
                Block source = pretrained.getChildren().valueAt(child);
                Block target = frozen.block().getChildren().valueAt(child);
                Weights.copy(source, target);
                target.freezeParameters(true);
            }
            parameters[2] = frozen.block().getParameters().values().stream().filter(Parameter::requiresGradient)
                    .mapToLong(p -> p.getArray().size()).sum();
            accuracy[2] = trainAndTest(context, settings, frozen, labelled, validation, test, phase, "frozen-" + name);
            try (LabTraining.Classifier tuned = LabTraining.classifier(context, "fine-tuned", MnistCnn.build(),
                    Loss.softmaxCrossEntropyLoss(), 1e-4f, settings.batchSize())) {
                Weights.copy(frozen.block(), tuned.block());
                accuracy[3] = trainAndTest(context, settings, tuned, labelled, validation, test, phase, "fine-tuned-" + name);
                parameters[1] = ParameterCount.of(tuned.block());
            }
        }
        return accuracy;
    }

    private static double trainAndTest(RunContext context, Settings settings, LabTraining.Classifier model,
                                       ImageDataset labelled, ImageDataset validation, ImageDataset test, int epochs,
                                       String name) {
        NDManager manager = model.manager();
        model.loop(FitLoop.argmaxScorer()).fit(new FitLoop.Data(labelled.images(manager), labelled.labels(manager)),
                new FitLoop.Data(validation.images(manager), validation.labels(manager)),
                new FitLoop.Settings(epochs, settings.batchSize(), context.config().seed(), 0,
                        context.checkpointDir().resolve(name), context.resume()));
        NDArray images = test.images(manager);
        return Predictions.accuracy(model.block(), manager, images, test.labelArray(), 1000);
    }

    private static void plot(RunContext context, Result.Builder result, Settings settings, Map<String, double[]> accuracy) {
        double[] budgets = java.util.Arrays.stream(settings.budgets()).asDoubleStream().toArray();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("from scratch", accuracy.get("scratch"));
        series.put("frozen random features, new head", accuracy.get("frozen_random"));
        series.put("frozen MNIST features, new head", accuracy.get("frozen"));
        series.put("fine-tuned from MNIST", accuracy.get("fine_tuned"));
        Charts.lines(context.file("accuracy_by_labels.png"), "Fashion-MNIST test accuracy by number of labelled images",
                "labelled training images", "test accuracy", budgets, series, false);
        result.artifact("accuracy_by_labels.png");
    }

    private static void addClaims(Result.Builder result, boolean quick, Settings settings, Map<String, double[]> accuracy,
                                  long[] parameters) {
        double[] scratch = accuracy.get("scratch");
        double[] random = accuracy.get("frozen_random");
        double[] frozen = accuracy.get("frozen");
        double[] tuned = accuracy.get("fine_tuned");
        int last = settings.budgets().length - 1;
        result.claim(Claim.checkUnlessQuick(quick, "With 100 labels, fine-tuning the MNIST-pretrained CNN beats "
                        + "training it from scratch by at least 5 points of test accuracy",
                "只有 100 个标签时，微调 MNIST 预训练的 CNN 比从零训练的测试准确率高至少 5 个百分点",
                tuned[0] - scratch[0] >= 0.05, Claim.values("accuracy_fine_tuned_100", tuned[0],
                        "accuracy_scratch_100", scratch[0], "accuracy_frozen_100", frozen[0])));
        result.claim(Claim.checkUnlessQuick(quick, "The MNIST-trained features carry something to clothing: with 100 "
                        + "labels, the frozen MNIST convolutions under a new head beat the same frozen layers left at "
                        + "random weights by at least 3 points",
                "MNIST 上学到的特征对服装也有用：只有 100 个标签时，冻结的 MNIST 卷积层加新头部比同样冻结、保持随机权重的卷积层高至少 3 个百分点",
                frozen[0] - random[0] >= 0.03, Claim.values("accuracy_frozen_100", frozen[0],
                        "accuracy_frozen_random_100", random[0])));
        result.claim(Claim.checkUnlessQuick(quick, "Pretraining helps most when labels are fewest: fine-tuning's lead "
                        + "over training from scratch is larger at 100 labels than at 1,000",
                "标签越少，预训练的帮助越大：微调相对从零训练的优势在 100 个标签时比 1,000 个标签时更大",
                tuned[0] - scratch[0] > tuned[last] - scratch[last], Claim.values("lead_100", tuned[0] - scratch[0],
                        "lead_1000", tuned[last] - scratch[last])));
        result.claim(Claim.check("Transfer does not shrink the network: the fine-tuned model has exactly as many "
                        + "parameters as the one trained from scratch; freezing only reduces how many are trained",
                "迁移不会让网络变小：微调后的模型与从零训练的模型参数一样多；冻结只减少参与训练的参数",
                parameters[0] == parameters[1] && parameters[2] < parameters[1], Claim.values("parameters_scratch",
                        parameters[0], "parameters_fine_tuned", parameters[1], "trainable_parameters_frozen", parameters[2])));
    }
}
