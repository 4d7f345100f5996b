package dlbank.experiment.lab;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.experiment.RunContext;
import dlbank.model.MnistCnn;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;

/** The image labs' networks in training: a model, its trainer and Adam, built, seeded and closed together. */
final class LabTraining {

    private LabTraining() {}

    /** One network with its trainer; {@link #close()} frees both. */
    record Classifier(Model model, Trainer trainer, CheckpointedAdam optimizer, RunContext context) implements AutoCloseable {
        Block block() {
            return model.getBlock();
        }

        /** The manager that holds the parameters; arrays made here live as long as the network. */
        NDManager manager() {
            return trainer.getManager();
        }

        /** A fit loop over this network; {@code scorer} counts correct predictions, or null. */
        FitLoop loop(FitLoop.Scorer scorer) {
            return new FitLoop(trainer, optimizer, scorer, context.progress(), "img");
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /**
     * The block initialised for (batch, 1, 28, 28) inputs with the run's seed, so that two networks
     * built the same way start from the same weights.
     */
    static Classifier classifier(RunContext context, String name, Block block, Loss loss, float learningRate,
                                 int batchSize) {
        return classifier(context, name, block, loss, learningRate, MnistCnn.inputShape(batchSize));
    }

    /** As above, for inputs of the given shape (batch first). */
    static Classifier classifier(RunContext context, String name, Block block, Loss loss, float learningRate,
                                 ai.djl.ndarray.types.Shape inputShape) {
        Model model = Model.newInstance(name, context.device());
        model.setBlock(block);
        CheckpointedAdam optimizer = new CheckpointedAdam(learningRate);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer)
                .optDevices(new Device[] {context.device()}));
        Engine.getInstance().setRandomSeed((int) context.config().seed());
        trainer.initialize(inputShape);
        return new Classifier(model, trainer, optimizer, context);
    }
}
