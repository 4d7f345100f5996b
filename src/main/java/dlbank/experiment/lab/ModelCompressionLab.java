package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import dlbank.model.Int8Weights;
import dlbank.model.MagnitudePruning;
import dlbank.model.MnistCnn;
import dlbank.model.ParameterCount;
import dlbank.model.SavedModel;
import dlbank.report.Charts;
import dlbank.train.FitLoop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three ways to shrink task/mnist-cnn's trained model: int8 post-training quantization written to a
 * real file and read back (dlbank.model.Int8Weights), global magnitude pruning with and without
 * fine-tuning under a fixed mask (dlbank.model.MagnitudePruning), and a small student trained on
 * the labels alone or distilled from the CNN's soft targets (dlbank.train.DistillationLoss), in two
 * regimes: few labelled images, where the soft targets carry what the labels cannot (Hinton, Vinyals
 * &amp; Dean, 2015, trained on 3% of the speech data), and all of them.
 */
public final class ModelCompressionLab implements Experiment {

    public static final String ID = "lab/model-compression";
    static final double[] SPARSITIES = {0.5, 0.8, 0.9, 0.95};

    /**
     * @param fineTuneEpochs epochs of fine-tuning after pruning, at {@code fineTuneRate} (below training's 1e-3)
     * @param studentHidden units of the student MLP's one hidden layer (784-h-10)
     * @param fewImages the labelled images of the few-label regime (the first ones of the training set)
     * @param fewEpochs its epochs: about as many steps as the full regime's epochs
     * @param temperatures T of the teacher's soft targets, one distilled student each
     * @param softWeight α, the share of the soft-target term in the distillation loss
     */
    record Settings(int trainImages, int validationImages, int testImages, int fineTuneEpochs, float fineTuneRate,
                    int studentHidden, int studentEpochs, int fewImages, int fewEpochs, float[] temperatures,
                    float softWeight, int batchSize) {
        static Settings of(RunContext context) {
            int batch = context.config().batchSizeOr(64);
            return context.quick()
                    ? new Settings(1_800, 200, 1_000, 1, 5e-4f, 32, context.config().epochsOr(2), 300, 6,
                            new float[] {1f, 4f}, 0.9f, batch)
                    : new Settings(55_000, 5_000, 10_000, 1, 5e-4f, 32, context.config().epochsOr(5), 1_000, 100,
                            new float[] {1f, 2f, 4f, 8f}, 0.9f, batch);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "int8 quantization to a real file, magnitude pruning with and without fine-tuning, distillation";
    }

    @Override
    public List<String> questions() {
        return List.of("concept/model-compression");
    }

    @Override
    public List<String> headlineMetrics() {
        return List.of("int8_size_ratio", "int8_accuracy_drop", "pruned_0.90_finetuned_accuracy_drop",
                "student_distilled_accuracy_few", "student_alone_accuracy_few");
    }

    @Override
    public Result run(RunContext context) throws Exception {
        Settings settings = Settings.of(context);
        Result.Builder result = Result.builder().config("quantization", "int8, symmetric, one scale per output channel; biases float32")
                .config("pruning", "global magnitude over all weight tensors, biases kept; fine-tuning "
                        + settings.fineTuneEpochs() + " epoch(s) at Adam " + settings.fineTuneRate() + " with the mask re-applied after every step")
                .config("student", String.format("MLP 784-%d-10; few labels: the first %,d training images, %d epochs; "
                        + "all: %,d images, %d epochs", settings.studentHidden(), settings.fewImages(), settings.fewEpochs(),
                        settings.trainImages(), settings.studentEpochs()))
                .config("temperatures", settings.temperatures()).config("soft_weight", settings.softWeight())
                .config("temperature_choice", "the temperature with the best validation accuracy, per regime");
        MnistModels.Source source = MnistModels.require(context);
        source.reportTo(result);
        Path teacherDir = source.modelDir();
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset train = all.head(settings.trainImages());
        ImageDataset validation = all.range(train.size(), Math.min(all.size(), train.size() + settings.validationImages()));
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(settings.testImages());
        try (Model teacher = load(teacherDir, context); NDManager manager = teacher.getNDManager().newSubManager()) {
            NDArray testImages = test.images(manager);
            int[] testLabels = test.labelArray();
            double floatAccuracy = Predictions.accuracy(teacher.getBlock(), manager, testImages, testLabels, 1000);
            result.metric("float_accuracy", floatAccuracy).metric("parameters", ParameterCount.of(teacher.getBlock()));
            context.info(String.format("task/mnist-cnn's model: test accuracy %.4f", floatAccuracy));
            quantize(context, result, teacherDir, testImages, testLabels, floatAccuracy);
            prune(context, result, settings, teacherDir, train, validation, testImages, testLabels, floatAccuracy);
            Distillation.run(context, result, settings, teacher, train, validation, testImages, testLabels);
        }
        addClaims(result, context.quick());
        return result.build();
    }

    private static Model load(Path dir, RunContext context) {
        return SavedModel.load(dir, MnistCnnTask.ARCHITECTURE, MnistCnn::build, context.device());
    }

    /** Writes the int8 file, reads it back into a fresh network and measures that network. */
    private static void quantize(RunContext context, Result.Builder result, Path teacherDir, NDArray images, int[] labels,
                                 double floatAccuracy) throws Exception {
        Path floatFile;
        try (var files = Files.list(teacherDir)) {
            floatFile = files.filter(file -> file.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        Path int8File = context.file("model-int8.bin");
        try (Model original = load(teacherDir, context)) {
            Int8Weights.write(original.getBlock(), int8File);
        }
        // A freshly initialised network takes every one of its values from the int8 file.
        try (Model restored = Model.newInstance("int8", context.device())) {
            restored.setBlock(MnistCnn.build());
            restored.getBlock().initialize(restored.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    MnistCnn.inputShape(1));
            Int8Weights.load(int8File, restored.getBlock());
            double int8Accuracy = Predictions.accuracy(restored.getBlock(), restored.getNDManager(), images, labels, 1000);
            long floatBytes = Files.size(floatFile);
            long int8Bytes = Files.size(int8File);
            result.metric("float_file_bytes", floatBytes).metric("int8_file_bytes", int8Bytes)
                    .metric("int8_size_ratio", (double) int8Bytes / floatBytes).metric("int8_accuracy", int8Accuracy)
                    .metric("int8_accuracy_drop", floatAccuracy - int8Accuracy).artifact("model-int8.bin");
            context.info(String.format("int8: %,d bytes (float32 .params: %,d, ratio %.3f); test accuracy %.4f -> %.4f",
                    int8Bytes, floatBytes, (double) int8Bytes / floatBytes, floatAccuracy, int8Accuracy));
        }
    }

    /** Prunes a copy of the teacher at each sparsity, measures it, fine-tunes it with the mask held, measures again. */
    private static void prune(RunContext context, Result.Builder result, Settings settings, Path teacherDir,
                              ImageDataset train, ImageDataset validation, NDArray images, int[] labels,
                              double floatAccuracy) {
        double[] pruned = new double[SPARSITIES.length];
        double[] tuned = new double[SPARSITIES.length];
        for (int i = 0; i < SPARSITIES.length; i++) {
            double sparsity = SPARSITIES[i];
            LabTraining.Classifier model = LabTraining.classifier(context, "pruned", MnistCnn.build(), Loss.softmaxCrossEntropyLoss(),
                    settings.fineTuneRate(), settings.batchSize());
            try (model; Model teacher = load(teacherDir, context)) {
                dlbank.model.Weights.copy(teacher.getBlock(), model.block());
                MagnitudePruning.Masks masks = MagnitudePruning.masks(model.block(), sparsity, model.manager());
                masks.apply();
                pruned[i] = Predictions.accuracy(model.block(), model.manager(), images, labels, 1000);
                FitLoop loop = model.loop(FitLoop.argmaxScorer()).withAfterStep(masks::apply);
                NDManager manager = model.manager();
                loop.fit(new FitLoop.Data(train.images(manager), train.labels(manager)),
                        new FitLoop.Data(validation.images(manager), validation.labels(manager)),
                        new FitLoop.Settings(settings.fineTuneEpochs(), settings.batchSize(), context.config().seed(), 0,
                                context.checkpointDir().resolve(String.format("pruned-%.2f", sparsity)), context.resume()));
                tuned[i] = Predictions.accuracy(model.block(), model.manager(), images, labels, 1000);
                String key = String.format("%.2f", sparsity);
                result.metric("pruned_" + key + "_accuracy", pruned[i]).metric("pruned_" + key + "_finetuned_accuracy", tuned[i])
                        .metric("pruned_" + key + "_finetuned_accuracy_drop", floatAccuracy - tuned[i])
                        .metric("pruned_" + key + "_zero_share_after_finetuning", masks.zeroShare())
                        .metric("pruned_" + key + "_weights_zeroed", masks.pruned());
                context.info(String.format("sparsity %.0f%%: accuracy %.4f pruned, %.4f after fine-tuning; %.4f of the "
                        + "weights exactly 0 afterwards", 100 * sparsity, pruned[i], tuned[i], masks.zeroShare()));
            }
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("pruned, no fine-tuning", pruned);
        series.put("pruned, then fine-tuned with the mask held", tuned);
        double[] unpruned = new double[SPARSITIES.length];
        java.util.Arrays.fill(unpruned, floatAccuracy);
        series.put("unpruned", unpruned);
        Charts.lines(context.file("pruning.png"), "magnitude pruning of the MNIST CNN", "share of weights set to zero",
                "test accuracy", SPARSITIES, series, false);
        result.artifact("pruning.png");
    }

    private static void addClaims(Result.Builder result, boolean quick) {
        Map<String, Double> m = result.build().metrics();
        double ratio = m.get("int8_size_ratio");
        double drop = m.get("int8_accuracy_drop");
        result.claim(Claim.checkUnlessQuick(quick, "The int8 file (one scale per output channel) is at most 0.3 of the "
                        + "float32 file's size, and test accuracy drops by at most 0.5 points",
                "int8 文件（每个输出通道一个缩放因子）不超过 float32 文件大小的 0.3，测试准确率下降不超过 0.5 个百分点",
                ratio <= 0.3 && drop <= 0.005, Claim.values("float_file_bytes", m.get("float_file_bytes"),
                        "int8_file_bytes", m.get("int8_file_bytes"), "int8_size_ratio", ratio,
                        "float_accuracy", m.get("float_accuracy"), "int8_accuracy", m.get("int8_accuracy"))));
        double float32 = m.get("float_accuracy");
        result.claim(Claim.checkUnlessQuick(quick, "At 50% sparsity magnitude pruning costs at most 0.5 points even "
                        + "without fine-tuning",
                "在 50% 稀疏度下，即使不微调，幅值剪枝的准确率损失也不超过 0.5 个百分点",
                float32 - m.get("pruned_0.50_accuracy") <= 0.005, Claim.values("float_accuracy", float32,
                        "pruned_0.50_accuracy", m.get("pruned_0.50_accuracy"))));
        result.claim(Claim.checkUnlessQuick(quick, "At 90% sparsity, fine-tuning with the mask held brings the pruned "
                        + "network back within 1 point of the unpruned one",
                "在 90% 稀疏度下，保持掩码不变进行微调后，剪枝网络的准确率回到未剪枝网络的 1 个百分点以内",
                m.get("pruned_0.90_finetuned_accuracy_drop") <= 0.01, Claim.values("float_accuracy", float32,
                        "pruned_0.90_accuracy", m.get("pruned_0.90_accuracy"),
                        "pruned_0.90_finetuned_accuracy", m.get("pruned_0.90_finetuned_accuracy"))));
        boolean masksHeld = true;
        for (double sparsity : SPARSITIES) {
            String key = String.format("%.2f", sparsity);
            masksHeld &= Math.abs(m.get("pruned_" + key + "_zero_share_after_finetuning") - sparsity) < 1e-4;
        }
        result.claim(Claim.check("The pruning masks hold through fine-tuning: afterwards exactly the pruned share of "
                        + "the weights is zero, at every sparsity",
                "剪枝掩码在微调过程中始终有效：微调后恰好是被剪掉的那部分权重为零，每个稀疏度都如此",
                masksHeld, Claim.values("zero_share_0.50", m.get("pruned_0.50_zero_share_after_finetuning"),
                        "zero_share_0.95", m.get("pruned_0.95_zero_share_after_finetuning"))));
        double fewGain = m.get("student_distilled_accuracy_few") - m.get("student_alone_accuracy_few");
        double allGain = m.get("student_distilled_accuracy_all") - m.get("student_alone_accuracy_all");
        result.claim(Claim.checkUnlessQuick(quick, String.format("With few labelled images (%,.0f), the student "
                        + "distilled from the CNN's soft targets beats the same student trained on the labels alone by at "
                        + "least 1 point", m.get("student_images_few")),
                String.format("带标签的图像很少（%,.0f 张）时，用 CNN 的软目标蒸馏出的学生网络，比只用标签训练的同一学生网络至少高 1 个百分点",
                        m.get("student_images_few")),
                fewGain >= 0.01, Claim.values("student_alone_accuracy_few", m.get("student_alone_accuracy_few"),
                        "student_distilled_accuracy_few", m.get("student_distilled_accuracy_few"),
                        "temperature_few", m.get("student_temperature_few"), "student_parameters",
                        m.get("student_parameters"), "teacher_parameters", m.get("parameters"))));
        result.claim(Claim.checkUnlessQuick(quick, String.format("With all %,.0f labels, distillation pays less than with "
                        + "%,.0f: the labels alone already teach the small student most of what it can hold",
                        m.get("student_images_all"), m.get("student_images_few")),
                String.format("用全部 %,.0f 个标签时，蒸馏的收益比只有 %,.0f 个标签时小：单靠标签，已经能教会这个学生网络它容得下的大部分东西",
                        m.get("student_images_all"), m.get("student_images_few")),
                allGain < fewGain, Claim.values("gain_few", fewGain, "gain_all", allGain,
                        "student_alone_accuracy_all", m.get("student_alone_accuracy_all"),
                        "student_distilled_accuracy_all", m.get("student_distilled_accuracy_all"))));
    }
}
