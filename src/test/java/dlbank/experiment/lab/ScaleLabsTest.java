package dlbank.experiment.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dlbank.TestSupport;
import dlbank.train.Gradients;
import dlbank.train.Precision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces the mixed-precision and stability labs build on: activation-gradient taps and the hand-written loss. */
class ScaleLabsTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void aTapKeepsTheValueAndReadsTheGradientThatFlowsThroughIt() {
        MixedPrecisionLab.ActivationTaps taps = new MixedPrecisionLab.ActivationTaps();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {2f, -3f});
            w.setRequiresGradient(true);
            taps.record(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray hidden = taps.tap(w.mul(4));                 // value 4w, taps dL/dhidden
                assertThat(hidden.toFloatArray()).containsExactly(8f, -12f);
                collector.backward(hidden.square().sum());          // dL/dhidden = 2·hidden
            }
            assertThat(taps.gradients().get(0).toFloatArray()).containsExactly(16f, -24f);
            assertThat(w.getGradient().toFloatArray()).containsExactly(64f, -96f);   // 4 · 2 · 4w: the path to w is intact
            taps.record(false);
        }
    }

    @Test
    void theHandWrittenCrossEntropyIsInfiniteWhereLogSoftmaxIsNot() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {0, 200, 0, 0, 0, 0, 0, 0, 0, 0,   1, 2, 3, 0, 0, 0, 0, 0, 0, 0},
                    new Shape(2, 10));
            NDArray labels = manager.create(new float[] {0, 2});
            float byHand = new TrainingStabilityLab.HandWrittenCrossEntropy().evaluate(new NDList(labels), new NDList(logits)).getFloat();
            float engine = ai.djl.training.loss.Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits)).getFloat();
            assertThat(byHand).isInfinite();
            assertThat(engine).isFinite().isCloseTo((200 + (float) (Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + 7) - 3)) / 2,
                    org.assertj.core.data.Offset.offset(1e-3f));
        }
    }

    @Test
    void gradientsWrittenBackAreReadBackAndZeroedEvenWhenNaN() {
        try (ai.djl.Model model = ai.djl.Model.newInstance("mlp")) {
            model.setBlock(new ai.djl.nn.SequentialBlock().add(ai.djl.nn.core.Linear.builder().setUnits(3).build()));
            try (ai.djl.training.Trainer trainer = model.newTrainer(new ai.djl.training.DefaultTrainingConfig(
                    ai.djl.training.loss.Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 2));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    collector.backward(trainer.forward(new NDList(trainer.getManager().ones(new Shape(1, 2))))
                            .singletonOrThrow().sum());
                }
                float[] values = {1, 2, 3, 4, 5, 6, Float.NaN, 8, 9};
                Gradients.set(model.getBlock(), values);
                assertThat(Gradients.flat(model.getBlock())).containsExactly(values);
                Gradients.zero(model.getBlock());
                assertThat(Gradients.flat(model.getBlock())).containsOnly(0f);
                assertThat(Gradients.relativeDifference(new float[] {3, 4}, new float[] {3, 4.5f})).isCloseTo(0.5 / Math.sqrt(29.25),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void bf16KeepsFp32sRangeWhereFp16Overflows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] big = {1e6f, -3e30f};
            assertThat(Precision.FP16.round(manager.create(big)).toFloatArray()).containsOnly(Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY);
            float[] bf16 = Precision.BF16.round(manager.create(big)).toFloatArray();
            assertThat(bf16[0]).isEqualTo(999_424f);   // 1e6 with 8 significant bits
            assertThat(bf16[1]).isFinite();
        }
    }
}
