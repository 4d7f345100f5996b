package dlbank.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.TestSupport;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.ProgressSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FitLoopTest {

    private static final ImageDataset TRAIN;

    static {
        TestSupport.configureEngine();
        TRAIN = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, line -> { });
    }

    /** What a run produced: its history, the final weights of the first layer, the printed lines. */
    record Run(FitLoop.Outcome outcome, float[] firstLayer, List<String> lines, double finalValidationAccuracy,
               long skipped) {}

    @Test
    void learnsAndRecordsOneRowPerEpoch() {
        Run run = fit(3, 1e-3f, 0, null, false);
        List<FitLoop.EpochStats> history = run.outcome().history();
        assertThat(history).hasSize(3);
        assertThat(history.get(2).trainLoss()).isLessThan(history.get(0).trainLoss());
        assertThat(history.get(2).validationAccuracy()).isGreaterThan(0.8);
        assertThat(run.lines()).anyMatch(line -> line.startsWith("epoch 3/3  loss"));
    }

    @Test
    void aResumedRunEndsExactlyWhereAnUninterruptedOneEnds(@TempDir Path dir) {
        Run straight = fit(3, 1e-3f, 0, dir.resolve("straight"), false);
        // "Killed" after epoch 2: a run of 2 epochs leaves the same checkpoint; then resume to 3.
        fit(2, 1e-3f, 0, dir.resolve("resumed"), false);
        assertThat(dir.resolve("resumed/state.json")).exists();
        Run resumed = fit(3, 1e-3f, 0, dir.resolve("resumed"), true);

        assertThat(resumed.outcome().resumedAfterEpoch()).isEqualTo(2);
        assertThat(resumed.outcome().history()).hasSize(3);
        assertThat(resumed.lines()).anyMatch(line -> line.startsWith("resuming after epoch 2 of 3"));
        assertThat(resumed.outcome().history().get(2).validationLoss())
                .isCloseTo(straight.outcome().history().get(2).validationLoss(), within(1e-5));
        for (int i = 0; i < straight.firstLayer().length; i += 97) {
            assertThat(resumed.firstLayer()[i]).isCloseTo(straight.firstLayer()[i], within(1e-5f));
        }
    }

    @Test
    void onlyTheLatestEpochFilesAreKept(@TempDir Path dir) throws Exception {
        fit(3, 1e-3f, 0, dir, false);
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()).sorted().toList())
                    .containsExactly("epoch-0003.optimizer", "epoch-0003.params", "state.json");
        }
    }

    @Test
    void stopsWithAClearMessageWhenTheLossBecomesNaN(@TempDir Path dir) {
        // A learning rate of 1e30 sends the weights past float32's range within two steps.
        assertThatThrownBy(() -> fit(2, 1e30f, 0, dir, false))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("training diverged")
                .hasMessageContaining("epoch 1");
    }

    @Test
    void earlyStoppingReturnsToTheBestEpoch(@TempDir Path dir) {
        // Adam at 0.05 overshoots on this small set, so the validation loss rises after its best epoch.
        Run run = fit(8, 0.05f, 1, dir, false);
        FitLoop.Outcome outcome = run.outcome();
        assertThat(outcome.stoppedEarly()).isTrue();
        assertThat(outcome.history().size()).isEqualTo(outcome.bestEpoch() + 1);
        assertThat(run.lines()).anyMatch(line -> line.startsWith("early stop"));
    }

    @Test
    void keepingTheBestByAccuracyEndsOnTheEpochWithTheHighestValidationAccuracy(@TempDir Path dir) {
        // Adam at 0.05 makes the validation accuracy go up and down from epoch to epoch.
        Run run = fit(0.05f, new FitLoop.Settings(6, 32, 11, 0, dir, false, true, true));
        List<FitLoop.EpochStats> history = run.outcome().history();
        int best = 0;
        for (int i = 1; i < history.size(); i++) {
            best = history.get(i).validationAccuracy() > history.get(best).validationAccuracy() ? i : best;
        }
        assertThat(best + 1).as("the best epoch is not the last, so the weights are rolled back").isLessThan(history.size());
        assertThat(run.outcome().bestEpoch()).isEqualTo(best + 1);
        assertThat(run.finalValidationAccuracy()).isCloseTo(history.get(best).validationAccuracy(), within(1e-9));
        assertThat(run.lines()).contains("keeping epoch " + (best + 1) + ", the one with the highest validation accuracy");
    }

    @Test
    void shufflingDependsOnlyOnSeedAndEpoch() {
        assertThat(FitLoop.shuffledOrder(100, 1, 3)).containsExactly(FitLoop.shuffledOrder(100, 1, 3));
        assertThat(FitLoop.shuffledOrder(100, 1, 3)).isNotEqualTo(FitLoop.shuffledOrder(100, 1, 4));
        assertThat(FitLoop.shuffledOrder(100, 1, 3)).containsExactlyInAnyOrder(FitLoop.shuffledOrder(100, 2, 3));
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsTheTrainingSet() {
        Run run = fit(1, 1e-3f, 0, null, false, 100_000);
        assertThat(run.lines()).contains("--batch-size 100000 is larger than the 1600 training examples; using 1600");
        assertThat(run.outcome().history()).hasSize(1);
        assertThat(run.outcome().history().get(0).trainLoss()).isFinite();
    }

    @Test
    void aStepWithNaNGradientsIsSkippedAndTheRunGoesOnToAFiniteEnd() throws Exception {
        Run clean = fit(2, 1e-3f, 0, null, false);
        Run poisoned;
        // As the engine bug does: one step's gradients all NaN (here the 7th of 100).
        try (AutoCloseable injected = StepGuard.NanInjection.install(StepGuard.NanInjection.parse("steps=7"))) {
            poisoned = fit(2, 1e-3f, 0, null, false);
        }
        assertThat(poisoned.skipped()).isEqualTo(1);
        assertThat(clean.skipped()).isZero();
        assertThat(poisoned.lines()).contains("step 7: a gradient was NaN or infinite; update skipped (1 skipped so far)");
        for (float weight : poisoned.firstLayer()) {
            assertThat(weight).isFinite();
        }
        assertThat(poisoned.outcome().history()).allSatisfy(epoch -> {
            assertThat(epoch.trainLoss()).isFinite();
            assertThat(epoch.validationLoss()).isFinite();
        });
        assertThat(poisoned.finalValidationAccuracy()).isGreaterThan(0.8);
        // The skipped step really was not applied: the weights went another way than the clean run's.
        assertThat(poisoned.firstLayer()).isNotEqualTo(clean.firstLayer());
    }

    @Test
    void withNoStepSkippedTheGuardChangesNoNumber() {
        Run guarded = fit(2, 1e-3f, 0, null, false);
        Run again = fit(2, 1e-3f, 0, null, false);
        Run unguarded = fit(1e-3f, new FitLoop.Settings(2, 32, 11, 0, null, false), StepGuard.off());
        assertThat(guarded.skipped()).isZero();
        assertThat(guarded.firstLayer()).containsExactly(again.firstLayer());
        assertThat(guarded.firstLayer()).containsExactly(unguarded.firstLayer());
        assertThat(guarded.outcome().history().get(1).validationLoss())
                .isEqualTo(unguarded.outcome().history().get(1).validationLoss());
    }

    @Test
    void twentySkippedStepsInARowStopTheRunAsDiverged() throws Exception {
        StringBuilder steps = new StringBuilder("steps=1");
        for (int step = 2; step <= StepGuard.MAX_IN_A_ROW; step++) {
            steps.append(',').append(step);
        }
        try (AutoCloseable injected = StepGuard.NanInjection.install(StepGuard.NanInjection.parse(steps.toString()))) {
            assertThatThrownBy(() -> fit(2, 1e-3f, 0, null, false))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("training diverged: 20 steps in a row had NaN or infinite gradients");
        }
    }

    private static Run fit(int epochs, float learningRate, int patience, Path checkpointDir, boolean resume) {
        return fit(epochs, learningRate, patience, checkpointDir, resume, 32);
    }

    private static Run fit(int epochs, float learningRate, int patience, Path checkpointDir, boolean resume,
                           int batchSize) {
        return fit(learningRate, new FitLoop.Settings(epochs, batchSize, 11, patience, checkpointDir, resume));
    }

    private static Run fit(float learningRate, FitLoop.Settings settings) {
        return fit(learningRate, settings, null);
    }

    /** @param guard the loop's step guard; null for its default one */
    private static Run fit(float learningRate, FitLoop.Settings settings, StepGuard guard) {
        List<String> lines = new ArrayList<>();
        ProgressSink sink = new ProgressSink() {
            @Override
            public void info(String line) {
                lines.add(line);
            }

            @Override
            public Bar bar(String task, long total) {
                return ProgressSink.silent().bar(task, total);
            }
        };
        Engine.getInstance().setRandomSeed(3);
        CheckpointedAdam optimizer = new CheckpointedAdam(learningRate);
        try (Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(32).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(10).build()));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer))) {
                trainer.initialize(new ai.djl.ndarray.types.Shape(32, 1, 28, 28));
                NDManager manager = trainer.getManager();
                ImageDataset train = TRAIN.range(0, 1600);
                ImageDataset validation = TRAIN.range(1600, 2000);
                FitLoop loop = new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), sink, "img");
                if (guard != null) {
                    loop.withStepGuard(guard);
                }
                FitLoop.Data held = new FitLoop.Data(validation.images(manager), validation.labels(manager));
                FitLoop.Outcome outcome = loop.fit(
                        new FitLoop.Data(train.images(manager), train.labels(manager)), held, settings);
                return new Run(outcome, model.getBlock().getParameters().valueAt(0).getArray().toFloatArray(), lines,
                        loop.evaluate(held, 500).accuracy(), loop.skippedSteps());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aHistoryRowMayLackTheLaterTimingsButNotARequiredFigure() {
        java.util.Map<String, Object> row = new FitLoop.EpochStats(2, 0.5, 0.9, 0.6, 0.85, 12.0, 4_000, 1.5, 0.1).toRow();
        java.util.Map<String, Object> older = new java.util.LinkedHashMap<>(row);
        older.remove("validation_seconds");
        older.remove("gc_seconds");
        FitLoop.EpochStats read = FitLoop.EpochStats.fromRow(older);
        org.assertj.core.api.Assertions.assertThat(read.seconds()).isEqualTo(12.0);
        org.assertj.core.api.Assertions.assertThat(read.toRow()).doesNotContainKeys("validation_seconds", "gc_seconds");
        for (String required : java.util.List.of("epoch", "train_loss", "validation_loss", "seconds", "examples_per_second")) {
            java.util.Map<String, Object> damaged = new java.util.LinkedHashMap<>(row);
            damaged.remove(required);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FitLoop.EpochStats.fromRow(damaged))
                    .as(required).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(required);
        }
    }
}
