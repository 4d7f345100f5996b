package dlbank.experiment.lab;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlbank.experiment.ProgressSink;
import dlbank.experiment.RunContext;
import dlbank.train.FitLoop;
import dlbank.train.StepLoop;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The architecture labs' training: SGD with momentum 0.9 at a fixed learning rate (the setting in
 * which normalization, initialization and residual connections were studied, and in which a too
 * large learning rate shows as divergence), step by step through {@link StepLoop}, with the mean
 * training loss and the validation accuracy after every epoch.
 */
final class SgdTraining {

    static final float MOMENTUM = 0.9f;

    private SgdTraining() {}

    /**
     * One training run.
     *
     * @param name shown in the progress lines
     * @param initializer the weights' initializer, or null for the engine's default (He normal)
     * @param warmUpSteps the learning rate rises linearly from learningRate / warmUpSteps to learningRate
     *                    over this many steps, then stays; 0 = fixed from the first step
     * @param evaluationBatch examples per batch when validating (BN uses its running statistics then)
     */
    record Recipe(String name, Block block, Initializer initializer, float learningRate, int warmUpSteps, int batchSize,
                  int epochs, int evaluationBatch) {
        Tracker rate() {
            return warmUpSteps == 0 ? Tracker.fixed(learningRate)
                    : update -> learningRate * Math.min(1f, (update + 1f) / warmUpSteps);
        }
    }

    /**
     * Per-epoch figures of a run; a run that diverged (a non-finite loss) stops there, and its
     * remaining epochs are NaN.
     */
    record Outcome(String name, double[] trainLoss, double[] validationAccuracy, boolean diverged, int steps,
                   double seconds) {
        double finalTrainLoss() {
            return trainLoss[trainLoss.length - 1];
        }

        double finalValidationAccuracy() {
            return validationAccuracy[validationAccuracy.length - 1];
        }

        /** The first epoch (1-based) whose validation accuracy reached {@code target}, or 0 if none did. */
        int epochsTo(double target) {
            for (int e = 0; e < validationAccuracy.length; e++) {
                if (validationAccuracy[e] >= target) {
                    return e + 1;
                }
            }
            return 0;
        }
    }

    /**
     * Trains the recipe's block (weights seeded by the run's seed), then hands the trainer to
     * {@code after} before the model closes, to measure the trained network.
     */
    static Outcome train(RunContext context, Recipe recipe, FitLoop.Data train, FitLoop.Data validation,
                         Consumer<Trainer> after) {
        try (Model model = Model.newInstance(recipe.name(), context.device())) {
            model.setBlock(recipe.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(recipe.rate())
                            .optMomentum(MOMENTUM).build())
                    .optDevices(new ai.djl.Device[] {context.device()});
            if (recipe.initializer() != null) {
                config.optInitializer(recipe.initializer(), ai.djl.nn.Parameter.Type.WEIGHT);
            }
            try (Trainer trainer = model.newTrainer(config)) {
                Engine.getInstance().setRandomSeed((int) context.config().seed());
                Shape example = train.inputs().getShape().slice(1);
                trainer.initialize(new Shape(recipe.batchSize()).addAll(example));
                Outcome outcome = fit(context, trainer, recipe, train, validation);
                after.accept(trainer);
                return outcome;
            }
        }
    }

    private static Outcome fit(RunContext context, Trainer trainer, Recipe recipe, FitLoop.Data train,
                               FitLoop.Data validation) {
        int perEpoch = (int) (train.size() / recipe.batchSize());
        double[] loss = new double[recipe.epochs()];
        double[] accuracy = new double[recipe.epochs()];
        Arrays.fill(loss, Double.NaN);
        Arrays.fill(accuracy, Double.NaN);
        double[] sum = {0};
        long begin = System.nanoTime();
        int steps;
        try (ProgressSink.Bar bar = context.progress().bar(recipe.name(), (long) perEpoch * recipe.epochs())) {
            steps = StepLoop.train(trainer, train, recipe.batchSize(), perEpoch * recipe.epochs(),
                    context.config().seed(), (step, batchLoss) -> {
                        sum[0] += batchLoss;
                        if (step % 20 == 0) {
                            bar.update(step, String.format("loss %.4f", batchLoss));
                        }
                        if (step % perEpoch == 0) {
                            int epoch = step / perEpoch - 1;
                            loss[epoch] = sum[0] / perEpoch;
                            accuracy[epoch] = StepLoop.evaluate(trainer, validation, recipe.evaluationBatch()).accuracy();
                            sum[0] = 0;
                            context.info(String.format("%s  epoch %d/%d  loss %.4f  val_acc %.2f%%", recipe.name(),
                                    epoch + 1, recipe.epochs(), loss[epoch], 100 * accuracy[epoch]));
                        }
                        return true;
                    });
        }
        boolean diverged = steps < perEpoch * recipe.epochs();
        if (diverged) {
            context.info(String.format("%s  diverged at step %d (loss not finite)", recipe.name(), steps));
        }
        return new Outcome(recipe.name(), loss, accuracy, diverged, steps, (System.nanoTime() - begin) / 1e9);
    }
}
