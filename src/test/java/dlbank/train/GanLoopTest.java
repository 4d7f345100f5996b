package dlbank.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dlbank.TestSupport;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.experiment.ProgressSink;
import dlbank.model.GanModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The GAN step pattern: each step moves only its own network, and a resumed run ends where a straight one does. */
class GanLoopTest {

    private static final ImageDataset REAL;

    static {
        TestSupport.configureEngine();
        REAL = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, line -> { })
                .head(256);
    }

    /** Two trainers of one GAN, closed together. */
    private record Gan(Model generator, Model discriminator, Trainer generatorTrainer, Trainer discriminatorTrainer,
                       GanLoop loop) implements AutoCloseable {
        static Gan of(GanModels.Kind kind) {
            Engine.getInstance().setRandomSeed(5);
            Model generator = Model.newInstance("g");
            Model discriminator = Model.newInstance("d");
            generator.setBlock(GanModels.generator(kind));
            discriminator.setBlock(GanModels.discriminator(kind));
            CheckpointedAdam generatorOptimizer = new CheckpointedAdam(2e-4f, -1, 0.5f);
            CheckpointedAdam discriminatorOptimizer = new CheckpointedAdam(2e-4f, -1, 0.5f);
            Trainer g = generator.newTrainer(new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(generatorOptimizer));
            Trainer d = discriminator.newTrainer(new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(discriminatorOptimizer));
            g.initialize(GanModels.noiseShape(16));
            d.initialize(GanModels.imageShape(16));
            return new Gan(generator, discriminator, g, d,
                    new GanLoop(g, generatorOptimizer, d, discriminatorOptimizer, null, GanModels.LATENT, ProgressSink.silent()));
        }

        @Override
        public void close() {
            generatorTrainer.close();
            discriminatorTrainer.close();
            generator.close();
            discriminator.close();
        }
    }

    @Test
    void eachStepChangesOnlyItsOwnNetworkAndLeavesNoGradientInTheOther() {
        for (GanModels.Kind kind : GanModels.Kind.values()) {
            try (Gan gan = Gan.of(kind); NDManager manager = gan.generatorTrainer().getManager().newSubManager()) {
                NDArray real = REAL.head(16).images(manager).mul(2).sub(1);
                List<float[]> g0 = weights(gan.generator().getBlock());
                List<float[]> d0 = weights(gan.discriminator().getBlock());

                gan.loop().discriminatorStep(real, manager);
                assertThat(changed(g0, weights(gan.generator().getBlock()))).as(kind + ": D step leaves G").isZero();
                List<float[]> d1 = weights(gan.discriminator().getBlock());
                assertThat(changed(d0, d1)).as(kind + ": D step moves every D weight array").isEqualTo(d0.size());
                assertThat(gradientSum(gan.generator().getBlock())).as(kind + ": no gradient left in G").isZero();

                gan.loop().generatorStep(16, manager);
                assertThat(changed(d1, weights(gan.discriminator().getBlock()))).as(kind + ": G step leaves D").isZero();
                assertThat(changed(g0, weights(gan.generator().getBlock()))).as(kind + ": G step moves G")
                        .isEqualTo(g0.size());
                assertThat(gradientSum(gan.discriminator().getBlock())).as(kind + ": no gradient left in D").isZero();
            }
        }
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAStraightOne(@TempDir Path dir) {
        List<float[]> straight;
        try (Gan gan = Gan.of(GanModels.Kind.MLP)) {
            NDArray real = REAL.images(gan.generatorTrainer().getManager()).mul(2).sub(1);
            gan.loop().fit(real, new GanLoop.Settings(2, 16, 3, dir.resolve("straight"), false), epoch -> Map.of());
            straight = weights(gan.generator().getBlock());
        }
        try (Gan gan = Gan.of(GanModels.Kind.MLP)) {
            NDArray real = REAL.images(gan.generatorTrainer().getManager()).mul(2).sub(1);
            gan.loop().fit(real, new GanLoop.Settings(1, 16, 3, dir.resolve("resumed"), false), epoch -> Map.of());
        }
        try (Gan gan = Gan.of(GanModels.Kind.MLP)) {
            NDArray real = REAL.images(gan.generatorTrainer().getManager()).mul(2).sub(1);
            GanLoop.Outcome outcome = gan.loop().fit(real, new GanLoop.Settings(2, 16, 3, dir.resolve("resumed"), true),
                    epoch -> Map.of());
            assertThat(outcome.resumedAfterEpoch()).isEqualTo(1);
            assertThat(outcome.history()).hasSize(2);
            List<float[]> resumed = weights(gan.generator().getBlock());
            for (int i = 0; i < straight.size(); i++) {
                float[] a = straight.get(i);
                float[] b = resumed.get(i);
                for (int j = 0; j < a.length; j++) {
                    assertThat(b[j]).isCloseTo(a[j], org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
        }
    }

    @Test
    void aPoisonedStepOfEitherNetworkIsSkippedAndLeavesNoNaNBehind() throws Exception {
        // Every step of both networks whose input shape is new, as the engine bug poisons them: the first step of each.
        try (AutoCloseable injected = StepGuard.NanInjection.install(StepGuard.NanInjection.parse("first-use"));
             Gan gan = Gan.of(GanModels.Kind.DCGAN)) {
            NDArray real = REAL.images(gan.generatorTrainer().getManager()).mul(2).sub(1);
            GanLoop.Outcome outcome = gan.loop().fit(real, new GanLoop.Settings(1, 16, 3, null, false), epoch -> Map.of());
            assertThat(gan.loop().skippedSteps()).isEqualTo(2);
            assertThat(((Number) outcome.history().get(0).get("g_loss")).doubleValue()).isFinite();
            for (Block block : List.of(gan.generator().getBlock(), gan.discriminator().getBlock())) {
                for (float[] values : weights(block)) {
                    for (float value : values) {
                        assertThat(value).isFinite();
                    }
                }
                assertThat(gradientSum(block)).isFinite();
            }
        }
    }

    private static List<float[]> weights(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            if (parameter.getValue().requiresGradient()) {
                values.add(parameter.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    private static int changed(List<float[]> before, List<float[]> after) {
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            changed += java.util.Arrays.equals(before.get(i), after.get(i)) ? 0 : 1;
        }
        return changed;
    }

    private static double gradientSum(Block block) {
        double sum = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray array = parameter.getValue().getArray();
            if (array.hasGradient()) {
                sum += array.getGradient().abs().sum().getFloat();
            }
        }
        return sum;
    }
}
