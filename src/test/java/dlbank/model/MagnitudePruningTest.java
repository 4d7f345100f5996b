package dlbank.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.TestSupport;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.ProgressSink;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Global magnitude pruning: which weights go, and that fine-tuning keeps them at zero. */
class MagnitudePruningTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void theSmallestMagnitudesAcrossAllWeightTensorsGoAndBiasesStay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock().add(ai.djl.nn.core.Linear.builder().setUnits(2).build())
                    .add(ai.djl.nn.core.Linear.builder().setUnits(1).build());
            block.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3));
            var parameters = block.getParameters();
            parameters.get("01Linear_weight").getArray().set(new float[] {0.9f, -0.1f, 0.5f, 0.05f, -0.7f, 0.3f});
            parameters.get("01Linear_bias").getArray().set(new float[] {0.001f, 0.002f});
            parameters.get("02Linear_weight").getArray().set(new float[] {-0.2f, 0.02f});
            // 8 weights; half of them: |0.02|, |0.05|, |-0.1|, |-0.2| go, across both layers.
            MagnitudePruning.Masks masks = MagnitudePruning.masks(block, 0.5, manager);
            masks.apply();
            // (a pruned negative weight becomes -0.0, which equals 0: hence the + 0f)
            assertThat(plusZero(parameters.get("01Linear_weight").getArray().toFloatArray()))
                    .containsExactly(0.9f, 0f, 0.5f, 0f, -0.7f, 0.3f);
            assertThat(plusZero(parameters.get("02Linear_weight").getArray().toFloatArray())).containsExactly(0f, 0f);
            assertThat(parameters.get("01Linear_bias").getArray().toFloatArray()).containsExactly(0.001f, 0.002f);
            assertThat(masks.pruned()).isEqualTo(4);
            assertThat(masks.sparsity()).isEqualTo(0.5);
            assertThat(masks.zeroShare()).isEqualTo(0.5);
        }
    }

    @Test
    void theMasksStayAppliedThroughFineTuningAndOnlyTheKeptWeightsMove() {
        ImageDataset train = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, line -> { })
                .head(640);
        for (boolean holdMasks : new boolean[] {true, false}) {
            Engine.getInstance().setRandomSeed(5);
            CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
            try (Model model = Model.newInstance("pruned")) {
                model.setBlock(MnistCnn.build());
                try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(optimizer))) {
                    trainer.initialize(MnistCnn.inputShape(64));
                    MagnitudePruning.Masks masks = MagnitudePruning.masks(model.getBlock(), 0.9, trainer.getManager());
                    masks.apply();
                    float[] before = masks.weights().get(2).getArray().toFloatArray();
                    FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), ProgressSink.silent(), "img");
                    if (holdMasks) {
                        loop.withAfterStep(masks::apply);
                    }
                    NDManager manager = trainer.getManager();
                    FitLoop.Data data = new FitLoop.Data(train.images(manager), train.labels(manager));
                    loop.fit(data, data, new FitLoop.Settings(1, 64, 1, 0, null, false));
                    float[] after = masks.weights().get(2).getArray().toFloatArray();
                    if (holdMasks) {
                        assertThat(masks.zeroShare()).as("exactly the pruned share is zero").isEqualTo(masks.sparsity());
                        int moved = 0;
                        for (int i = 0; i < before.length; i++) {
                            if (before[i] == 0) {
                                assertThat(after[i] == 0f).as("pruned weight %d stays 0", i).isTrue();
                            } else {
                                moved += after[i] != before[i] ? 1 : 0;
                            }
                        }
                        assertThat(moved).as("the kept weights train").isGreaterThan(0);
                    } else {
                        // The control: without the mask after each step, Adam revives the pruned weights.
                        assertThat(masks.zeroShare()).isLessThan(0.5);
                    }
                }
            }
        }
    }

    /** -0.0 + 0 = +0.0, so that an exact comparison treats both zeros alike. */
    private static float[] plusZero(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] + 0f;
        }
        return out;
    }
}
