package dlbank.predict;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlbank.eval.DigitJudge;
import dlbank.model.DiffusionSchedule;
import dlbank.model.DiffusionUNet;
import dlbank.model.ParameterCount;
import dlbank.model.SavedModel;
import dlbank.report.Pictures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trained noise-predicting U-Net drawing digits from pure noise: DDPM's ancestral sampler
 * (η = 1 over all 1,000 steps) and DDIM's deterministic one over fewer steps (η = 0; Song et al.,
 * 2021, Denoising Diffusion Implicit Models), with classifier-free guidance towards a digit
 * (ε = ε_unconditional + s·(ε_digit - ε_unconditional); Ho &amp; Salimans, 2022). Sample grids, the
 * judge's readings and {@code predict lab/diffusion}.
 */
public final class DigitDiffuser implements AutoCloseable {

    public static final String ARCHITECTURE = "diffusion-unet";
    /**
     * Samples per network batch; each batch's starting noise depends on the seed and its position only.
     * On 1,000 samples of 20 DDIM steps from lab/diffusion's 20261207-185719 model, 250 took 16 s unguided
     * and 29 s guided, where 500 took 23 s and (both halves in one pass of 1,000) 77 s.
     */
    public static final int BATCH = 250;

    private final Model model;
    private final DiffusionSchedule schedule = new DiffusionSchedule();

    public DigitDiffuser(Model model) {
        this.model = model;
    }

    /**
     * How to sample.
     *
     * @param steps network evaluations per sample (1,000 with η = 1 is DDPM's own sampler)
     * @param eta 0 = DDIM's deterministic path, 1 = fresh noise at every step as in DDPM
     * @param guidance 0 = unconditional (labels ignored), 1 = conditioned on the label, above 1 = guided
     */
    public record Sampler(int steps, double eta, double guidance) {
        public static Sampler ddim(int steps) {
            return new Sampler(steps, 0, 0);
        }

        public Sampler guided(double scale) {
            return new Sampler(steps, eta, scale);
        }
    }

    /**
     * {@code labels.length} digits, each 784 grey values in [0, 1], one after another.
     *
     * @param labels the digit each sample is guided towards (ignored when the guidance is 0)
     */
    public float[] draw(int[] labels, Sampler sampler, long seed) {
        int count = labels.length;
        float[] images = new float[count * DiffusionUNet.PIXELS];
        int[] steps = DiffusionSchedule.samplingSteps(sampler.steps());
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < count; from += BATCH) {
                int to = Math.min(count, from + BATCH);
                // Each batch's noise depends on the seed and its position only: any count draws the same first digits.
                Engine.getInstance().setRandomSeed((int) (seed * 1_000_003L + from));
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = batch.randomNormal(new Shape(to - from, 1, 28, 28));
                    NDArray digits = batch.create(java.util.Arrays.copyOfRange(labels, from, to)).toType(
                            ai.djl.ndarray.types.DataType.FLOAT32, false);
                    for (int i = 0; i < steps.length; i++) {
                        try (NDManager step = batch.newSubManager()) {
                            // Results join their first operand's manager: working on copies in the step's
                            // manager frees every intermediate array when the step ends.
                            NDArray current = x.duplicate();
                            current.attach(step);
                            NDArray labelsNow = digits.duplicate();
                            labelsNow.attach(step);
                            NDArray next = denoiseStep(store, current, labelsNow, steps[i],
                                    i + 1 < steps.length ? steps[i + 1] : -1, sampler, step);
                            next.attach(batch);
                            x.close();
                            x = next;
                        }
                    }
                    float[] drawn = x.add(1).div(2).clip(0, 1).toFloatArray();
                    System.arraycopy(drawn, 0, images, from * DiffusionUNet.PIXELS, drawn.length);
                }
            }
        }
        return images;
    }

    /** From x_t to x_{previous} (DDIM's update; with η = 1 and every step it is DDPM's). */
    private NDArray denoiseStep(ParameterStore store, NDArray x, NDArray digits, int t, int previous, Sampler sampler,
                                NDManager step) {
        long n = x.getShape().get(0);
        NDArray time = step.full(new Shape(n), t);
        NDArray unconditional = step.full(new Shape(n), DiffusionUNet.NO_LABEL);
        NDArray noise; // the network's output: the noise, or the velocity until converted below
        if (sampler.guidance() == 0) {
            noise = predict(store, x, time, unconditional);
        } else if (sampler.guidance() == 1) {
            noise = predict(store, x, time, digits);
        } else {
            // Two passes, with and without the label: one pass over both at twice the batch was 2.6 times slower.
            NDArray conditioned = predict(store, x, time, digits);
            NDArray free = predict(store, x, time, unconditional);
            noise = free.add(conditioned.sub(free).mul(sampler.guidance()));
        }
        double alphaBar = schedule.alphaBar(t);
        double alphaBarPrevious = schedule.alphaBar(previous);
        NDArray x0 = (velocity()
                ? x.mul(Math.sqrt(alphaBar)).sub(noise.mul(Math.sqrt(1 - alphaBar)))
                : x.sub(noise.mul(Math.sqrt(1 - alphaBar))).div(Math.sqrt(alphaBar))).clip(-1, 1);
        // The noise that the clipped x0 implies, so that x_t, x0 and ε stay consistent.
        noise = x.sub(x0.mul(Math.sqrt(alphaBar))).div(Math.sqrt(1 - alphaBar));
        double sigma = sampler.eta() * Math.sqrt((1 - alphaBarPrevious) / (1 - alphaBar))
                * Math.sqrt(1 - alphaBar / alphaBarPrevious);
        NDArray next = x0.mul(Math.sqrt(alphaBarPrevious))
                .add(noise.mul(Math.sqrt(Math.max(0, 1 - alphaBarPrevious - sigma * sigma))));
        return sigma > 0 ? next.add(step.randomNormal(x.getShape()).mul(sigma)) : next;
    }

    private boolean velocity() {
        return ((DiffusionUNet) model.getBlock()).prediction() == DiffusionUNet.Prediction.VELOCITY;
    }

    private NDArray predict(ParameterStore store, NDArray x, NDArray time, NDArray labels) {
        return model.getBlock().forward(store, new NDList(DiffusionUNet.pack(x, time, labels)), false).singletonOrThrow();
    }

    /** Labels 0..9 in turn: count digits, one tenth of each. */
    public static int[] cycle(int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
        }
        return labels;
    }

    /** {@code count} copies of one digit. */
    public static int[] all(int count, int digit) {
        int[] labels = new int[count];
        java.util.Arrays.fill(labels, digit);
        return labels;
    }

    /** The images as a list of 784-value tiles, e.g. for a grid. */
    public static List<float[]> tiles(float[] images, int count) {
        List<float[]> tiles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tiles.add(java.util.Arrays.copyOfRange(images, i * DiffusionUNet.PIXELS, (i + 1) * DiffusionUNet.PIXELS));
        }
        return tiles;
    }

    /** A PNG grid of the first {@code count} images. */
    public static void grid(Path file, String title, float[] images, int count, int columns) {
        Pictures.imageGrid(file, title, tiles(images, count), 28, 28, columns, 2);
    }

    /** The judge's reading of images drawn by {@link #draw}. */
    public DigitJudge.Reading judged(DigitJudge judge, float[] images) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            return judge.read(manager.create(images, new Shape(images.length / DiffusionUNet.PIXELS, 1, 28, 28)));
        }
    }

    /** Saves the U-Net with its widths: all that sampling needs. */
    public void save(Path dir) {
        DiffusionUNet unet = (DiffusionUNet) model.getBlock();
        SavedModel.save(model, dir, ARCHITECTURE, ParameterCount.of(unet),
                Map.of("widths", java.util.Arrays.stream(unet.widths()).boxed().toList(), "patch", unet.patch(),
                        "prediction", unet.prediction().name().toLowerCase(java.util.Locale.ROOT),
                        "schedule", "linear beta 1e-4..0.02, " + DiffusionSchedule.STEPS + " steps"), folder -> { });
    }

    public static DigitDiffuser load(Path dir, Device device) {
        Map<String, Object> settings = SavedModel.settings(dir);
        Object saved = settings.get("widths");
        int[] widths = saved instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(Number.class::isInstance)
                ? list.stream().mapToInt(value -> ((Number) value).intValue()).toArray() : null;
        int patch = settings.get("patch") instanceof Number number ? number.intValue() : 0;
        if (widths == null || (patch != 1 && patch != 2)) {
            throw dlbank.UserException.input("error.model.unknown-generator", dir, saved + ", patch " + settings.get("patch"));
        }
        // Models saved before the velocity option predict the noise.
        DiffusionUNet.Prediction prediction = "velocity".equals(settings.get("prediction"))
                ? DiffusionUNet.Prediction.VELOCITY : DiffusionUNet.Prediction.NOISE;
        return new DigitDiffuser(SavedModel.load(dir, ARCHITECTURE, () -> new DiffusionUNet(widths, patch, prediction),
                device));
    }

    @Override
    public void close() {
        model.close();
    }
}
