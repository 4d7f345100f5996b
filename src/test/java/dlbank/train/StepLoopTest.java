package dlbank.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlbank.TestSupport;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StepLoopTest {

    private static final ImageDataset TRAIN;

    static {
        TestSupport.configureEngine();
        TRAIN = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, line -> { })
                .head(500);
    }

    /** Runs the loop on logistic regression with plain SGD; returns each step's loss. */
    private static List<Double> losses(int batchSize, int steps, int stopAfter) {
        Engine.getInstance().setRandomSeed(1);
        List<Double> losses = new ArrayList<>();
        try (Model model = Model.newInstance("logistic")) {
            model.setBlock(new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(10).build()));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build()))) {
                trainer.initialize(new ai.djl.ndarray.types.Shape(batchSize, 1, 28, 28));
                NDManager manager = trainer.getManager();
                FitLoop.Data data = new FitLoop.Data(TRAIN.images(manager), TRAIN.labels(manager));
                int taken = StepLoop.train(trainer, data, batchSize, steps, 7, (step, loss) -> {
                    losses.add(loss);
                    return step < stopAfter;
                });
                assertThat(taken).isEqualTo(losses.size());
                assertThat(StepLoop.evaluate(trainer, data, 200).accuracy()).isBetween(0.0, 1.0);
            }
        }
        return losses;
    }

    @Test
    void miniBatchStepsLowerTheLossAcrossPasses() {
        List<Double> losses = losses(50, 40, Integer.MAX_VALUE); // 10 steps per pass, 4 passes
        assertThat(losses).hasSize(40);
        assertThat(losses.subList(30, 40).stream().mapToDouble(Double::doubleValue).average().orElseThrow())
                .isLessThan(losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow());
    }

    @Test
    void aBatchAsLargeAsTheSplitIsFullBatchGradientDescent() {
        List<Double> losses = losses(10_000, 5, Integer.MAX_VALUE);
        assertThat(losses).hasSize(5);
        for (int i = 1; i < losses.size(); i++) {
            assertThat(losses.get(i)).isLessThan(losses.get(i - 1)); // exact gradient, small step: monotone
        }
    }

    @Test
    void theListenerCanStopTheRun() {
        assertThat(losses(50, 40, 3)).hasSize(3);
    }
}
