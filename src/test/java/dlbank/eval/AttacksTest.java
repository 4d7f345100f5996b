package dlbank.eval;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.TestSupport;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.ProgressSink;
import dlbank.model.MnistCnn;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The attacks stay inside their budget and leave nothing behind in the model. */
class AttacksTest {

    private static final ImageDataset TRAIN;

    static {
        TestSupport.configureEngine();
        TRAIN = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, line -> { });
    }

    @Test
    void attacksLeaveNoGradientInTheWeightsWhileAnUnfrozenBackwardWould() {
        Engine.getInstance().setRandomSeed(11);
        CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
        try (Model model = Model.newInstance("attacked")) {
            model.setBlock(MnistCnn.build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer))) {
                trainer.initialize(MnistCnn.inputShape(64));
                NDManager manager = trainer.getManager();
                FitLoop.Data data = new FitLoop.Data(TRAIN.images(manager).get("0:640"), TRAIN.labels(manager).get("0:640"));
                new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), ProgressSink.silent(), "img")
                        .fit(data, data, new FitLoop.Settings(1, 64, 1, 0, null, false));
                assertThat(largestGradient(model)).as("a finished step leaves zeroed gradients").isZero();

                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = TRAIN.images(batch).get("0:32");
                    NDArray y = TRAIN.labels(batch).get("0:32");
                    NDArray fgsm = Attacks.fgsm(model.getBlock(), x, y, 0.25f);
                    NDArray pgd = Attacks.pgd(model.getBlock(), x, y, 0.25f, 5, 0.1f, batch.randomUniform(-1f, 1f, x.getShape()));
                    Attacks.JsmaResult jsma = Attacks.jsma(model.getBlock(), x.get("0:1"), 3, 0.05);
                    assertThat(jsma.pixelsChanged()).isPositive();
                    assertThat(largestGradient(model)).as("after FGSM, PGD and JSMA").isZero();
                    assertThat(model.getBlock().getParameters().values())
                            .allSatisfy(parameter -> assertThat(parameter.requiresGradient()).isTrue());

                    // Within budget: |x' - x| <= ε everywhere, and pixels stay in [0, 1].
                    for (NDArray adversarial : new NDArray[] {fgsm, pgd}) {
                        assertThat(adversarial.sub(x).abs().max().getFloat()).isLessThanOrEqualTo(0.25f + 1e-6f);
                        assertThat(adversarial.min().getFloat()).isGreaterThanOrEqualTo(0f);
                        assertThat(adversarial.max().getFloat()).isLessThanOrEqualTo(1f);
                    }
                    assertThat(fgsm.sub(x).abs().max().getFloat()).isGreaterThan(0.2f);

                    // The control: the same backward without freezing does leave gradients in the weights.
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray input = x.duplicate();
                        input.setRequiresGradient(true);
                        NDArray logits = model.getBlock().forward(new ParameterStore(batch, false), new NDList(input), false)
                                .singletonOrThrow();
                        collector.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits)));
                    }
                    assertThat(largestGradient(model)).isPositive();
                }
            }
        }
    }

    @Test
    void fgsmLowersTheLossOfNoImageAndRaisesItOnAverage() {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager manager = NDManager.newBaseManager()) {
            var block = MnistCnn.build();
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, MnistCnn.inputShape(1));
            NDArray x = TRAIN.images(manager).get("0:64");
            NDArray y = TRAIN.labels(manager).get("0:64");
            NDArray adversarial = Attacks.fgsm(block, x, y, 0.1f);
            float clean = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y),
                    new NDList(block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow())).getFloat();
            float attacked = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y),
                    new NDList(block.forward(new ParameterStore(manager, false), new NDList(adversarial), false)
                            .singletonOrThrow())).getFloat();
            assertThat(attacked).isGreaterThan(clean);
        }
    }

    private static double largestGradient(Model model) {
        double largest = 0;
        for (var parameter : model.getBlock().getParameters().values()) {
            largest = Math.max(largest, parameter.getArray().getGradient().abs().max().getFloat());
        }
        return largest;
    }
}
