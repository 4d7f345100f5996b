package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.model.ParameterCount;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

import java.util.function.Supplier;

/**
 * What the MNIST labs share: their splits of the data, and training one classifier block with the
 * fit loop (Adam, checkpoints and resume, optional best epoch), measured on the training and test
 * images alike so that the train/test gap is read from the same evaluation.
 */
final class MnistLab {

    private MnistLab() {}

    /** Training, validation and test images. */
    record Splits(ImageDataset train, ImageDataset validation, ImageDataset test) {}

    /**
     * How one classifier is trained.
     *
     * @param name names its checkpoint folder, so the models of one run resume separately
     * @param patience early stopping after this many epochs without a lower validation loss; 0 = none
     * @param keepBest end with the epoch of the lowest validation loss instead of the last
     */
    record Recipe(String name, Supplier<Block> block, int epochs, int batchSize, float learningRate, int patience,
                  boolean keepBest) {}

    /** Sets up the loop and reads the block before training starts (a penalty, a transform, initial weights). */
    @FunctionalInterface
    interface Setup {
        void before(FitLoop loop, Block block);

        Setup NONE = (loop, block) -> { };
    }

    /** A trained classifier's figures; the model is closed by then. */
    record Trained(String name, FitLoop.Outcome outcome, double trainLoss, double trainAccuracy, double testLoss,
                   double testAccuracy, long parameters, double seconds) {
        /** Training accuracy minus test accuracy. */
        double gap() {
            return trainAccuracy - testAccuracy;
        }
    }

    /** The first {@code trainImages} MNIST training images to train on, the next ones to validate. */
    static Splits load(RunContext context, int trainImages, int validationImages, int testImages) {
        ImageDataset all = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, context::info);
        ImageDataset test = ImageDataset.load(context.dataHome(), DataSet.MNIST, ImageDataset.Split.TEST, context::info);
        int train = Math.min(trainImages, all.size() - validationImages);
        return new Splits(all.range(0, train), all.range(train, train + validationImages), test.head(testImages));
    }

    /**
     * Trains the recipe's block (seeded by the run's seed) and measures it.
     *
     * @param after reads the trained block before the model closes (its weights); may do nothing
     */
    static Trained train(RunContext context, Splits splits, Recipe recipe, Setup setup,
                         java.util.function.Consumer<Block> after) {
        context.info("== " + recipe.name());
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        CheckpointedAdam optimizer = new CheckpointedAdam(recipe.learningRate());
        try (Model model = Model.newInstance(recipe.name(), context.device())) {
            model.setBlock(recipe.block().get());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer).optDevices(new ai.djl.Device[] {context.device()}))) {
                trainer.initialize(MnistCnn.inputShape(1));
                NDManager manager = trainer.getManager();
                FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), context.progress(), "img");
                setup.before(loop, model.getBlock());
                FitLoop.Data train = new FitLoop.Data(splits.train().images(manager), splits.train().labels(manager));
                FitLoop.Outcome outcome = loop.fit(train,
                        new FitLoop.Data(splits.validation().images(manager), splits.validation().labels(manager)),
                        new FitLoop.Settings(recipe.epochs(), recipe.batchSize(), context.config().seed(),
                                recipe.patience(), context.checkpointDir().resolve(recipe.name()), context.resume(),
                                recipe.keepBest()));
                FitLoop.Evaluation onTrain = loop.evaluate(train, 1_000);
                FitLoop.Evaluation onTest = loop.evaluate(
                        new FitLoop.Data(splits.test().images(manager), splits.test().labels(manager)), 1_000);
                after.accept(model.getBlock());
                double seconds = outcome.history().stream().mapToDouble(FitLoop.EpochStats::seconds).sum();
                context.info(String.format("%s: train accuracy %.4f, test accuracy %.4f (%d epochs, %.1f s)",
                        recipe.name(), onTrain.accuracy(), onTest.accuracy(), outcome.history().size(), seconds));
                return new Trained(recipe.name(), outcome, onTrain.loss(), onTrain.accuracy(), onTest.loss(),
                        onTest.accuracy(), ParameterCount.of(model.getBlock()), seconds);
            }
        }
    }

    /** A weight tensor's values, row-major, and its shape. */
    record Weights(float[] values, long[] shape) {}

    /** The block's first weight tensor: its first layer's. */
    static Weights firstWeights(Block block) {
        NDArray array = block.getParameters().values().stream()
                .filter(parameter -> parameter.getType() == Parameter.Type.WEIGHT).findFirst().orElseThrow().getArray();
        return new Weights(array.toFloatArray(), array.getShape().getShape());
    }

    /** Every weight (not bias) value of the block, one array. */
    static float[] allWeights(Block block) {
        return block.getParameters().values().stream()
                .filter(parameter -> parameter.getType() == Parameter.Type.WEIGHT)
                .map(parameter -> parameter.getArray().toFloatArray())
                .reduce(new float[0], (a, b) -> {
                    float[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, joined, a.length, b.length);
                    return joined;
                });
    }
}
