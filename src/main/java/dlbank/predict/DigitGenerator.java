package dlbank.predict;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlbank.UserException;
import dlbank.eval.DigitJudge;
import dlbank.model.GanModels;
import dlbank.model.ParameterCount;
import dlbank.model.SavedModel;
import dlbank.report.Pictures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A GAN's generator drawing digits from noise: sample grids, the judge's readings, {@code predict}. */
public final class DigitGenerator implements AutoCloseable {

    public static final String ARCHITECTURE = "mnist-gan";
    private static final int PIXELS = 28 * 28;

    private final Model generator;
    private final GanModels.Kind kind;

    private final int width;

    /** @param width the DCGAN generator's channels at 7x7, recorded with the saved model */
    public DigitGenerator(Model generator, GanModels.Kind kind, int width) {
        this.generator = generator;
        this.kind = kind;
        this.width = width;
    }

    public GanModels.Kind kind() {
        return kind;
    }

    /** {@code count} noise vectors of standard normal numbers, row-major (count x 100). */
    public static float[] noise(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count * GanModels.LATENT];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** The images of the first {@code count} noise vectors, each 784 grey values in [0, 1]. */
    public List<float[]> draw(float[] noise, int count) {
        List<float[]> images = new ArrayList<>();
        try (NDManager manager = generator.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < count; from += 500) {
                int to = Math.min(count, from + 500);
                try (NDManager batch = manager.newSubManager()) {
                    NDArray z = batch.create(java.util.Arrays.copyOfRange(noise, from * GanModels.LATENT,
                            to * GanModels.LATENT), new Shape(to - from, GanModels.LATENT));
                    // tanh output in [-1, 1] back to MNIST's [0, 1]
                    float[] flat = generator.getBlock().forward(store, new NDList(z), false).singletonOrThrow()
                            .add(1).div(2).toFloatArray();
                    for (int i = 0; i < to - from; i++) {
                        images.add(java.util.Arrays.copyOfRange(flat, i * PIXELS, (i + 1) * PIXELS));
                    }
                }
            }
        }
        return images;
    }

    /** A PNG grid of the images of the first {@code count} noise vectors. */
    public void grid(Path file, String title, float[] noise, int count, int columns) {
        Pictures.imageGrid(file, title, draw(noise, count), 28, 28, columns, 2);
    }

    /** The judge's reading of {@code count} new samples drawn with the seed. */
    public DigitJudge.Reading judged(DigitJudge judge, int count, long seed) {
        List<float[]> images = draw(noise(count, seed), count);
        float[] flat = new float[count * PIXELS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(images.get(i), 0, flat, i * PIXELS, PIXELS);
        }
        try (NDManager manager = generator.getNDManager().newSubManager()) {
            return judge.read(manager.create(flat, new Shape(count, 1, 28, 28)));
        }
    }

    /** Saves the generator alone: all that drawing new digits needs. */
    public void save(Path dir) {
        SavedModel.save(generator, dir, ARCHITECTURE, ParameterCount.of(generator.getBlock()),
                Map.of("model", kind.id(), "latent", GanModels.LATENT, "generator_width", width), folder -> { });
    }

    public static DigitGenerator load(Path dir, Device device) {
        Map<String, Object> settings = SavedModel.settings(dir);
        Object kind = settings.get("model");
        GanModels.Kind parsed;
        try {
            parsed = GanModels.Kind.parse(String.valueOf(kind));
        } catch (IllegalArgumentException e) {
            throw UserException.input("error.model.unknown-generator", dir, kind);
        }
        Object savedWidth = settings.get("generator_width");
        int width = savedWidth instanceof Number number ? number.intValue() : GanModels.FIRST_GENERATOR_WIDTH;
        return new DigitGenerator(SavedModel.load(dir, ARCHITECTURE, () -> GanModels.generator(parsed, width), device),
                parsed, width);
    }

    @Override
    public void close() {
        generator.close();
    }
}
