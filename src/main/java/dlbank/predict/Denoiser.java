package dlbank.predict;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dlbank.model.ConvAutoencoder;
import dlbank.model.SavedModel;

import java.nio.file.Path;

/** A trained denoising autoencoder applied to images: the service behind {@code predict} and the task's figures. */
public final class Denoiser implements AutoCloseable {

    public static final String ARCHITECTURE = "denoising-autoencoder";

    private final Model model;

    public Denoiser(Model model) {
        this.model = model;
    }

    public static Denoiser load(Path dir, Device device) {
        return new Denoiser(SavedModel.load(dir, ARCHITECTURE, ConvAutoencoder::build, device));
    }

    /**
     * Denoises images (N, 1, H, W) with values in [0, 1], bright ink on dark as in MNIST, H and W
     * divisible by 4; returns pixels in [0, 1] of the same shape, batch by batch.
     */
    public NDArray denoise(NDArray images, NDManager manager) {
        long n = images.getShape().get(0);
        ParameterStore store = new ParameterStore(manager, false);
        NDList outputs = new NDList();
        for (long from = 0; from < n; from += 500) {
            long to = Math.min(n, from + 500);
            // The layers' activations live in the batch's own manager and go with it; only the output stays.
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray batch = images.get(batchManager, new NDIndex().addSliceDim(from, to));
                NDArray output = Activation.sigmoid(model.getBlock().forward(store, new NDList(batch), false)
                        .singletonOrThrow());
                output.attach(manager);
                outputs.add(output);
            }
        }
        return outputs.size() == 1 ? outputs.get(0) : ai.djl.ndarray.NDArrays.concat(outputs, 0);
    }

    /**
     * One grey image of any size (rows of values in [0, 1]): padded with its own background to a
     * multiple of 4, denoised, cut back. Dark ink on a light background is flipped for the model
     * (it learned MNIST's light on dark) and flipped back.
     */
    public float[] denoise(float[] pixels, int height, int width) {
        double border = 0;
        int count = 0;
        for (int x = 0; x < width; x++) {
            border += pixels[x] + pixels[(height - 1) * width + x];
            count += 2;
        }
        for (int y = 0; y < height; y++) {
            border += pixels[y * width] + pixels[y * width + width - 1];
            count += 2;
        }
        boolean darkOnLight = border / count > 0.5;
        int paddedHeight = (height + 3) / 4 * 4;
        int paddedWidth = (width + 3) / 4 * 4;
        float background = darkOnLight ? 0 : (float) (border / count);
        float[] padded = new float[paddedHeight * paddedWidth];
        java.util.Arrays.fill(padded, darkOnLight ? 0 : background);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float value = pixels[y * width + x];
                padded[y * paddedWidth + x] = darkOnLight ? 1 - value : value;
            }
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            float[] out = denoise(manager.create(padded, new Shape(1, 1, paddedHeight, paddedWidth)), manager).toFloatArray();
            float[] result = new float[height * width];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float value = out[y * paddedWidth + x];
                    result[y * width + x] = darkOnLight ? 1 - value : value;
                }
            }
            return result;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
