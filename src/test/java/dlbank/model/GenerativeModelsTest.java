package dlbank.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dlbank.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The diffusion schedule and U-Net, and the VAE's ELBO terms, against hand-computed values. */
class GenerativeModelsTest {

    static {
        TestSupport.configureEngine();
    }

    @Test
    void theScheduleKeepsLessSignalAtEveryStepAndSamplersEndAtStepZero() {
        DiffusionSchedule schedule = new DiffusionSchedule();
        assertThat(schedule.alphaBar(-1)).isEqualTo(1);
        assertThat(schedule.alphaBar(0)).isCloseTo(1 - 1e-4, within(1e-12));
        for (int t = 1; t < DiffusionSchedule.STEPS; t++) {
            assertThat(schedule.alphaBar(t)).isLessThan(schedule.alphaBar(t - 1));
        }
        // DDPM's linear schedule leaves about 4e-5 of the signal's variance at the last step.
        assertThat(schedule.alphaBar(DiffusionSchedule.STEPS - 1)).isBetween(3e-5, 5e-5);
        assertThat(DiffusionSchedule.samplingSteps(5)).containsExactly(999, 749, 500, 250, 0);
        assertThat(DiffusionSchedule.samplingSteps(1000)).startsWith(999, 998).endsWith(1, 0);
    }

    @Test
    void noisedImagesFollowTheClosedForm() {
        DiffusionSchedule schedule = new DiffusionSchedule();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.create(new float[] {0.5f, -1f}, new Shape(2, 1, 1, 1));
            NDArray noise = manager.create(new float[] {1f, 2f}, new Shape(2, 1, 1, 1));
            float[] xt = schedule.noised(x0, manager.create(new long[] {0, 999}), noise).toFloatArray();
            assertThat((double) xt[0]).isCloseTo(Math.sqrt(schedule.alphaBar(0)) * 0.5 + Math.sqrt(1 - schedule.alphaBar(0)), within(1e-6));
            assertThat((double) xt[1]).isCloseTo(-Math.sqrt(schedule.alphaBar(999)) + 2 * Math.sqrt(1 - schedule.alphaBar(999)), within(1e-6));
        }
    }

    @Test
    void theVelocityGivesBackTheImageAndTheNoise() {
        DiffusionSchedule schedule = new DiffusionSchedule();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.create(new float[] {0.5f, -1f, 0.25f}, new Shape(3, 1, 1, 1));
            NDArray noise = manager.create(new float[] {1f, 2f, -0.5f}, new Shape(3, 1, 1, 1));
            long[] steps = {0, 400, 999};
            NDArray t = manager.create(steps);
            float[] xt = schedule.noised(x0, t, noise).toFloatArray();
            float[] v = schedule.velocity(x0, t, noise).toFloatArray();
            float[] images = x0.toFloatArray();
            float[] noises = noise.toFloatArray();
            for (int i = 0; i < 3; i++) {
                double a = Math.sqrt(schedule.alphaBar((int) steps[i]));
                double b = Math.sqrt(1 - schedule.alphaBar((int) steps[i]));
                assertThat(v[i]).isCloseTo((float) (a * noises[i] - b * images[i]), within(1e-6f));
                // What the sampler inverts: x0 = a·x_t - b·v and ε = b·x_t + a·v.
                assertThat(a * xt[i] - b * v[i]).isCloseTo(images[i], within(1e-5));
                assertThat(b * xt[i] + a * v[i]).isCloseTo(noises[i], within(1e-5));
            }
        }
    }

    @Test
    void foldingTwoByTwoBlocksIntoChannelsIsUndoneExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] pixels = new float[2 * 784];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = i;
            }
            NDArray x = manager.create(pixels, new Shape(2, 1, 28, 28));
            NDArray folded = DiffusionUNet.fold(x);
            assertThat(folded.getShape()).isEqualTo(new Shape(2, 4, 14, 14));
            // Channel 2a + b at (i, j) holds pixel (2i + a, 2j + b): image 0, channel 3, (1, 2) is pixel (3, 5).
            assertThat(folded.get("0, 3, 1, 2").getFloat()).isEqualTo(3 * 28 + 5);
            assertThat(DiffusionUNet.unfold(folded, 2).toFloatArray()).containsExactly(pixels);
        }
    }

    @Test
    void theUNetPredictsOneValuePerPixelAndEveryParameterLearns() {
        unetLearnsEverywhere(new DiffusionUNet(new int[] {8, 16, 16}, 1));
        unetLearnsEverywhere(new DiffusionUNet(new int[] {8, 16}, 2));
        unetLearnsEverywhere(new DiffusionUNet(new int[] {8, 16}, 2, DiffusionUNet.Prediction.VELOCITY));
    }

    @Test
    void aSavedUNetComesBackPredictingWhatItWasTrainedToPredict(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Engine.getInstance().setRandomSeed(4);
        try (Model model = Model.newInstance(dlbank.predict.DigitDiffuser.ARCHITECTURE)) {
            model.setBlock(new DiffusionUNet(new int[] {8, 16}, 2, DiffusionUNet.Prediction.VELOCITY));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, DiffusionUNet.PIXELS + 2));
            new dlbank.predict.DigitDiffuser(model).save(dir.resolve("model"));
            try (dlbank.predict.DigitDiffuser loaded = dlbank.predict.DigitDiffuser.load(dir.resolve("model"), model.getNDManager().getDevice())) {
                float[] before = new dlbank.predict.DigitDiffuser(model).draw(new int[] {3, 4}, dlbank.predict.DigitDiffuser.Sampler.ddim(2), 9);
                assertThat(loaded.draw(new int[] {3, 4}, dlbank.predict.DigitDiffuser.Sampler.ddim(2), 9)).containsExactly(before);
            }
        }
    }

    /** lab/diffusion takes its sweeps' points from the main sets' first samples: that is only right if they are the same. */
    @Test
    void aDrawsFirstWholeBatchesAreWhatASmallerDrawGives() {
        Engine.getInstance().setRandomSeed(5);
        try (Model model = Model.newInstance(dlbank.predict.DigitDiffuser.ARCHITECTURE)) {
            model.setBlock(new DiffusionUNet(new int[] {8, 16}, 2, DiffusionUNet.Prediction.VELOCITY));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, DiffusionUNet.PIXELS + 2));
            dlbank.predict.DigitDiffuser diffuser = new dlbank.predict.DigitDiffuser(model);
            int batch = dlbank.predict.DigitDiffuser.BATCH;
            for (var sampler : java.util.List.of(dlbank.predict.DigitDiffuser.Sampler.ddim(2),
                    dlbank.predict.DigitDiffuser.Sampler.ddim(2).guided(2))) {
                float[] large = diffuser.draw(dlbank.predict.DigitDiffuser.cycle(2 * batch), sampler, 11);
                float[] small = diffuser.draw(dlbank.predict.DigitDiffuser.cycle(batch), sampler, 11);
                assertThat(java.util.Arrays.copyOf(large, small.length)).as(sampler.toString()).containsExactly(small);
                // and the second batch is not a copy of the first: the noise depends on the position
                assertThat(java.util.Arrays.copyOfRange(large, small.length, 2 * small.length)).isNotEqualTo(small);
            }
        }
    }

    private static void unetLearnsEverywhere(DiffusionUNet unet) {
        Engine.getInstance().setRandomSeed(3);
        try (Model model = Model.newInstance("unet")) {
            model.setBlock(unet);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, DiffusionUNet.PIXELS + 2));
                NDManager manager = trainer.getManager();
                NDArray x = manager.randomNormal(new Shape(4, 1, 28, 28));
                NDArray input = DiffusionUNet.pack(x, manager.create(new float[] {0, 10, 500, 999}),
                        manager.create(new float[] {3, 7, DiffusionUNet.NO_LABEL, 0}));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray out = trainer.forward(new NDList(input)).singletonOrThrow();
                    assertThat(out.getShape()).isEqualTo(new Shape(4, 1, 28, 28));
                    collector.backward(out.sub(x).square().mean());
                }
                for (var parameter : model.getBlock().getParameters()) {
                    double norm = parameter.getValue().getArray().getGradient().abs().sum().getFloat();
                    assertThat(norm).as(parameter.getKey()).isGreaterThan(0);
                }
            }
        }
    }

    @Test
    void theElboTermsMatchTheirFormulas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // One image of 784 pixels, all logits 0 (p = 1/2): reconstruction = 784·ln 2 whatever the pixels.
            // Latent of 2: mu = (1, 0), log variance = (0, ln 4): KL = ½[(1 + 1 - 1 - 0) + (0 + 4 - 1 - ln 4)].
            float[] row = new float[Vae.PIXELS + 4];
            row[Vae.PIXELS] = 1;
            row[Vae.PIXELS + 3] = (float) Math.log(4);
            NDArray output = manager.create(row, new Shape(1, Vae.PIXELS + 4));
            NDArray images = manager.randomUniform(0, 1, new Shape(1, 1, 28, 28)).gt(0.5f).toType(DataType.FLOAT32, false);
            NDArray[] terms = Vae.ElboLoss.terms(images, output, 2);
            assertThat((double) terms[0].getFloat()).isCloseTo(784 * Math.log(2), within(1e-3));
            assertThat((double) terms[1].getFloat()).isCloseTo(0.5 * (1 + 3 - Math.log(4)), within(1e-6));
        }
    }
}
