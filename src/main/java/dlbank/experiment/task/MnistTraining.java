package dlbank.experiment.task;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.Augmenter;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.eval.ConfusionMatrix;
import dlbank.eval.Predictions;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.model.ParameterCount;
import dlbank.model.SavedModel;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Training an MNIST classifier the way task/mnist-cnn does, for the specified CNN, the improved one
 * and the improved one's ablation: the data split, the fit loop with optional augmentation and
 * learning-rate schedule, and the test-set measurement.
 */
final class MnistTraining {

    private MnistTraining() {}

    /** Training, validation and test images. */
    record Data(ImageDataset train, ImageDataset validation, ImageDataset test) {}

    /**
     * How one network is trained.
     *
     * @param augmenter random shifts and rotations of every training batch, or null
     * @param cosine the learning rate falls from its value to 0 along a cosine over the run
     */
    record Recipe(String architecture, Supplier<SequentialBlock> block, int epochs, int batchSize, float learningRate,
                  boolean cosine, Augmenter augmenter) {}

    /** A trained network's test-set figures (the model itself is closed or saved by then). */
    record Trained(FitLoop.Outcome outcome, ConfusionMatrix confusion, double testLoss, long parameters,
                   float[][] probabilities, int[] actual, int[] predicted) {
        double accuracy() {
            return confusion.accuracy();
        }

        double trainSeconds() {
            return outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).sum();
        }
    }

    /** The first {@code trainImages} training images to train on, the next {@code validationImages} to validate. */
    static Data load(RunContext context, int trainImages, int validationImages, int testImages) {
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info)
                .head(testImages);
        int trainCount = Math.min(trainImages, all.size() - validationImages);
        return new Data(all.range(0, trainCount), all.range(trainCount, trainCount + validationImages), test);
    }

    /**
     * Trains the recipe's network and measures it on the test images.
     *
     * @param checkpointDir per-epoch checkpoints for --resume; null for none
     * @param modelDir where the trained model is saved for predict; null to keep none
     */
    static Trained train(RunContext context, Data data, Recipe recipe, Path checkpointDir, Path modelDir) {
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        CheckpointedAdam optimizer = new CheckpointedAdam(recipe.learningRate());
        if (recipe.cosine()) {
            int steps = recipe.epochs() * (int) Math.ceil((double) data.train().size() / recipe.batchSize());
            optimizer.withSchedule(CheckpointedAdam.LearningRateSchedule.cosine(steps));
        }
        try (Model model = Model.newInstance(recipe.architecture(), context.device())) {
            model.setBlock(recipe.block().get());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()}))) {
                trainer.initialize(MnistCnn.inputShape(1)); // shapes only: a batch-sized init would run the lambdas on a full batch of zeros
                long parameters = ParameterCount.of(model.getBlock());
                NDManager manager = trainer.getManager();
                FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), context.progress(), "img");
                if (recipe.augmenter() != null) {
                    Random random = new Random(context.config().seed() * 7919 + 1);
                    loop.withTransform((x, y, batch) -> new NDList(augmented(x, recipe.augmenter(), random, batch), y));
                }
                FitLoop.Outcome outcome = loop.fit(
                        new FitLoop.Data(data.train().images(manager), data.train().labels(manager)),
                        new FitLoop.Data(data.validation().images(manager), data.validation().labels(manager)),
                        new FitLoop.Settings(recipe.epochs(), recipe.batchSize(), context.config().seed(),
                                context.config().patience(), checkpointDir, context.resume()));
                NDArray testImages = data.test().images(manager);
                float[][] probabilities = Predictions.probabilities(model.getBlock(), manager, testImages, 1000);
                int[] predicted = Predictions.argmax(probabilities);
                int[] actual = new int[data.test().size()];
                for (int i = 0; i < actual.length; i++) {
                    actual[i] = data.test().label(i);
                }
                double testLoss = loop.evaluate(new FitLoop.Data(testImages, data.test().labels(manager)), 1000).loss();
                if (modelDir != null) {
                    SavedModel.save(model, modelDir, recipe.architecture(), parameters);
                }
                return new Trained(outcome, ConfusionMatrix.of(actual, predicted, 10), testLoss, parameters,
                        probabilities, actual, predicted);
            }
        }
    }

    /** The batch (B, 1, 28, 28) with each image shifted and rotated at random, in Java on the host. */
    private static NDArray augmented(NDArray images, Augmenter augmenter, Random random, NDManager batch) {
        Shape shape = images.getShape();
        float[] pixels = images.toFloatArray();
        augmenter.apply(pixels, (int) shape.get(0), (int) shape.get(2), (int) shape.get(3), random);
        return batch.create(pixels, shape);
    }
}
