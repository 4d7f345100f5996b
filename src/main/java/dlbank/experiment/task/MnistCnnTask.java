package dlbank.experiment.task;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.ConfusionMatrix;
import dlbank.eval.Predictions;
import dlbank.experiment.Claim;
import dlbank.experiment.Experiment;
import dlbank.experiment.Result;
import dlbank.experiment.RunConfig;
import dlbank.experiment.RunContext;
import dlbank.eval.SummaryStats;
import dlbank.model.MnistCnn;
import dlbank.model.SavedModel;
import dlbank.report.Pictures;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bank's MNIST task: the specified CNN (conv32-pool-conv64-pool-dense64-dense10, Adam 1e-3,
 * batch 64, 5 epochs) trained on the full MNIST training set, measured on the 10,000 test images.
 * Writes the confusion matrix, the misclassified digits and the trained model for {@code predict}.
 */
public final class MnistCnnTask implements Experiment {

    public static final String ID = "task/mnist-cnn";
    /** Name of the saved architecture; {@code predict} checks it. */
    public static final String ARCHITECTURE = "mnist-cnn";

    /** The specification's hyperparameters, and the sizes of the quick mode. */
    record Settings(int epochs, int batchSize, float learningRate, int trainImages, int validationImages,
                    int testImages) {
        static Settings full() {
            // 5,000 of the 60,000 training images are held out to watch for overfitting each epoch.
            return new Settings(5, 64, 1e-3f, 55_000, 5_000, 10_000);
        }

        static Settings quick() {
            // The 2,000-image fixture: 1,800 to train, 200 to validate; 3 epochs take seconds.
            return new Settings(3, 64, 1e-3f, 1_800, 200, 1_000);
        }
    }

    static final double TARGET_ACCURACY = 0.990;
    static final long SPECIFIED_PARAMETERS = 121_930;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "the specified CNN on MNIST: test accuracy >= 99.0%, confusion matrix, predict";
    }

    @Override
    public List<String> questions() {
        return List.of("task/mnist-cnn", "concept/cnn", "concept/evaluation");
    }

    @Override
    public Result run(RunContext context) {
        Settings defaults = context.quick() ? Settings.quick() : Settings.full();
        int epochs = context.config().epochsOr(defaults.epochs());
        int batchSize = context.config().batchSizeOr(defaults.batchSize());
        Result.Builder result = Result.builder()
                .config("epochs", epochs).config("batch_size", batchSize)
                .config("learning_rate", defaults.learningRate()).config("optimizer", "adam")
                .config("train_images", defaults.trainImages()).config("validation_images", defaults.validationImages())
                .config("test_images", defaults.testImages());

        ImageDataset allTrain = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(defaults.testImages());
        int trainCount = Math.min(defaults.trainImages(), allTrain.size() - defaults.validationImages());
        ImageDataset train = allTrain.range(0, trainCount);
        ImageDataset validation = allTrain.range(trainCount, trainCount + defaults.validationImages());

        Engine.getInstance().setRandomSeed((int) context.config().seed());
        CheckpointedAdam optimizer = new CheckpointedAdam(defaults.learningRate());
        try (Model model = Model.newInstance(ARCHITECTURE, context.device())) {
            model.setBlock(MnistCnn.build());
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()});
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(MnistCnn.inputShape(batchSize));
                long parameters = dlbank.model.ParameterCount.of(model.getBlock());
                NDManager manager = trainer.getManager();
                FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), context.progress(), "img");
                FitLoop.Outcome outcome = loop.fit(
                        new FitLoop.Data(train.images(manager), train.labels(manager)),
                        new FitLoop.Data(validation.images(manager), validation.labels(manager)),
                        new FitLoop.Settings(epochs, batchSize, context.config().seed(), context.config().patience(),
                                context.checkpointDir(), context.resume()));
                outcome.history().forEach(epoch -> result.historyRow(epoch.toRow()));
                if (outcome.resumedAfterEpoch() > 0) {
                    // wall_seconds then counts only this process; the history has every epoch.
                    result.config("resumed_after_epoch", outcome.resumedAfterEpoch());
                }

                NDArray testImages = test.images(manager);
                float[][] probabilities = Predictions.probabilities(model.getBlock(), manager, testImages, 1000);
                int[] predicted = Predictions.argmax(probabilities);
                int[] actual = new int[test.size()];
                for (int i = 0; i < actual.length; i++) {
                    actual[i] = test.label(i);
                }
                ConfusionMatrix confusion = ConfusionMatrix.of(actual, predicted, 10);
                double testLoss = loop.evaluate(new FitLoop.Data(testImages, test.labels(manager)), 1000).loss();

                SavedModel.save(model, context.file("model/architecture.json").getParent(), ARCHITECTURE, parameters);
                result.artifact("model/");
                Pictures.confusionMatrix(context.file("confusion_matrix.png"),
                        "MNIST test set: true (rows) vs predicted (columns)", confusion.counts());
                result.artifact("confusion_matrix.png");
                Pictures.grid(context.file("misclassified.png"), "misclassified test digits: true -> predicted (probability)",
                        misclassified(test, actual, predicted, probabilities, 40), 10, 3);
                result.artifact("misclassified.png");

                double seconds = outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).sum();
                result.metric("test_accuracy", confusion.accuracy())
                        .metric("test_loss", testLoss)
                        .metric("test_macro_f1", confusion.macroF1())
                        .metric("test_errors", confusion.total() - Math.round(confusion.accuracy() * confusion.total()))
                        .metric("parameters", parameters)
                        .metric("epochs_trained", outcome.history().size())
                        .metric("train_seconds", seconds)
                        .metric("train_images_per_second", outcome.history().stream()
                                .mapToDouble(FitLoop.EpochStats::examplesPerSecond).average().orElse(0));
                for (int c = 0; c < 10; c++) {
                    result.metric("precision_" + c, confusion.precision(c))
                            .metric("recall_" + c, confusion.recall(c))
                            .metric("f1_" + c, confusion.f1(c));
                }
                context.info(perClassTable(confusion));
                addClaims(result, context.quick(), confusion.accuracy(), parameters, epochs, batchSize);
            }
        }
        return result.build();
    }

    @Override
    public List<Claim> summaryClaims(Map<String, SummaryStats> metrics, RunConfig config) {
        SummaryStats accuracy = metrics.get("test_accuracy");
        String text = String.format("The specified CNN's mean test accuracy over %d seeds is at least 99.0%%", accuracy.n());
        String textZh = String.format("按题目设定的 CNN 在 %d 个种子上的平均测试准确率至少 99.0%%", accuracy.n());
        Map<String, Double> measured = Claim.values("mean", accuracy.mean(), "sd", accuracy.sd(),
                "ci95_low", accuracy.ci95Low(), "ci95_high", accuracy.ci95High(), "seeds", accuracy.n());
        if (config.quick() || config.epochs() != null || config.batchSize() != null) {
            return List.of(Claim.notChecked(text, textZh, measured,
                    "not checked: these runs are not the specified setting (quick mode, or other epochs or batch size)",
                    "未检验：这些运行不是题目设定（快速模式，或改了 epoch 数或 batch 大小）"));
        }
        return List.of(Claim.check(text, textZh, accuracy.mean() >= TARGET_ACCURACY, measured));
    }

    private static void addClaims(Result.Builder result, boolean quick, double accuracy, long parameters,
                                  int epochs, int batchSize) {
        String accuracyClaim = "The specified CNN (Adam 1e-3, batch 64, 5 epochs) reaches at least 99.0% test accuracy on MNIST";
        String accuracyClaimZh = "按题目设定的 CNN（Adam 1e-3，batch 64，5 个 epoch）在 MNIST 测试集上准确率至少 99.0%";
        Map<String, Double> measured = Map.of("test_accuracy", accuracy);
        if (quick || epochs != 5 || batchSize != 64) {
            result.claim(Claim.notChecked(accuracyClaim, accuracyClaimZh, measured,
                    "not checked: this run is not the specified setting (quick mode, or other epochs or batch size)",
                    "未检验：本次运行不是题目设定（快速模式，或改了 epoch 数或 batch 大小）"));
        } else {
            result.claim(Claim.check(accuracyClaim, accuracyClaimZh, accuracy >= TARGET_ACCURACY, measured));
        }
        result.claim(Claim.check("The network has one output layer (dense 10) and 121,930 parameters",
                "网络只有一个输出层（dense 10），共 121,930 个参数",
                parameters == SPECIFIED_PARAMETERS, Map.of("parameters", (double) parameters)));
    }

    private static List<Pictures.Tile> misclassified(ImageDataset test, int[] actual, int[] predicted,
                                                     float[][] probabilities, int limit) {
        List<Pictures.Tile> tiles = new ArrayList<>();
        int pixels = test.pixelsPerImage();
        for (int i = 0; i < actual.length && tiles.size() < limit; i++) {
            if (actual[i] != predicted[i]) {
                float[] image = new float[pixels];
                for (int p = 0; p < pixels; p++) {
                    image[p] = (test.pixels()[i * pixels + p] & 0xff) / 255f;
                }
                tiles.add(new Pictures.Tile(image, test.height(), test.width(),
                        String.format("%d -> %d (%.2f)", actual[i], predicted[i], probabilities[i][predicted[i]])));
            }
        }
        return tiles;
    }

    private static String perClassTable(ConfusionMatrix confusion) {
        StringBuilder table = new StringBuilder("class  precision  recall  f1      support\n");
        for (int c = 0; c < confusion.classes(); c++) {
            table.append(String.format("%5d  %9.4f  %6.4f  %6.4f  %7d%n", c, confusion.precision(c), confusion.recall(c),
                    confusion.f1(c), confusion.support(c)));
        }
        table.append(String.format("macro F1 %.4f, accuracy %.4f on %d test images", confusion.macroF1(),
                confusion.accuracy(), confusion.total()));
        return table.toString();
    }
}
