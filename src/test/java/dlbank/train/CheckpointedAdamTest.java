package dlbank.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CheckpointedAdamTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void takesTheSameStepsAsDjlsAdam() {
        float[] ours = train(new CheckpointedAdam(0.01f), 20, null);
        float[] djl = train(Optimizer.adam().optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f)).build(),
                20, null);
        assertThat(ours).hasSameSizeAs(djl);
        for (int i = 0; i < ours.length; i++) {
            assertThat(ours[i]).isCloseTo(djl[i], within(1e-6f));
        }
    }

    @Test
    void aRestoredOptimizerContinuesExactlyAsAnUninterruptedOne() throws IOException {
        float[] straight = train(new CheckpointedAdam(0.01f), 20, null);
        // 10 steps, save the moments, then 10 more with a fresh optimizer that loads them.
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        float[] resumed = train(new CheckpointedAdam(0.01f), 20, saved);
        assertThat(saved.size()).isGreaterThan(0);
        for (int i = 0; i < straight.length; i++) {
            assertThat(resumed[i]).isCloseTo(straight[i], within(1e-6f));
        }
    }

    /**
     * Trains a small MLP on fixed data and returns its final weights. With a checkpoint stream, the
     * optimizer is saved after half the steps and replaced by a new one that loads the state.
     */
    private static float[] train(Optimizer optimizer, int steps, ByteArrayOutputStream checkpoint) {
        Engine.getInstance().setRandomSeed(7);
        try (Model model = Model.newInstance("adam-test")) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(3).build()));
            Optimizer current = optimizer;
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(current));
            trainer.initialize(new Shape(16, 4));
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x = manager.randomNormal(0, 1, new Shape(16, 4), ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray y = manager.arange(16).mod(3).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                for (int step = 0; step < steps; step++) {
                    if (checkpoint != null && step == steps / 2) {
                        try {
                            ((CheckpointedAdam) current).save(new DataOutputStream(checkpoint), id -> id);
                            CheckpointedAdam fresh = new CheckpointedAdam(0.01f);
                            fresh.load(new DataInputStream(new ByteArrayInputStream(checkpoint.toByteArray())),
                                    model.getNDManager(), name -> name);
                            trainer.close();
                            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                    .optOptimizer(fresh));
                            current = fresh;
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                        collector.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(out)));
                    }
                    trainer.step();
                }
            }
            float[] weights = model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
            trainer.close();
            return weights;
        }
    }
}
