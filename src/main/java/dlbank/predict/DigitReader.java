package dlbank.predict;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.data.DigitImage;
import dlbank.eval.Predictions;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.ImprovedMnistCnn;
import dlbank.model.MnistCnn;
import dlbank.model.SavedModel;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads digits from a user's images with a saved MNIST model: the service behind {@code predict} and the page. */
public final class DigitReader {

    private DigitReader() {}

    /**
     * One image read: the 28x28 input the model saw and what each preprocessing step found (for
     * {@code --show}), the digit and every class's probability.
     */
    public record Reading(String name, float[] input, int digit, float[] probabilities, String steps) {}

    /** An image to read and the name to report it by. */
    public record Picture(String name, BufferedImage image) {}

    /** Brings every picture to MNIST's form first, so a bad one fails before the engine starts. */
    public static List<Reading> read(Path modelDir, List<Picture> pictures, Device device) {
        float[][] inputs = new float[pictures.size()][];
        String[] steps = new String[pictures.size()];
        for (int i = 0; i < pictures.size(); i++) {
            DigitImage.Prepared prepared = DigitImage.prepare(pictures.get(i).image(), pictures.get(i).name());
            inputs[i] = prepared.input();
            steps[i] = prepared.steps();
        }
        int pixels = DigitImage.SIZE * DigitImage.SIZE;
        String architecture = SavedModel.architecture(modelDir);
        java.util.function.Supplier<ai.djl.nn.Block> block = switch (architecture) {
            case MnistCnnTask.ARCHITECTURE -> MnistCnn::build;
            case ImprovedMnistCnn.ARCHITECTURE -> ImprovedMnistCnn::build;
            default -> throw dlbank.UserException.input("error.model.not-classifier", modelDir, architecture);
        };
        try (Model model = SavedModel.load(modelDir, architecture, block, device);
             NDManager manager = model.getNDManager().newSubManager()) {
            float[] flat = new float[inputs.length * pixels];
            for (int i = 0; i < inputs.length; i++) {
                System.arraycopy(inputs[i], 0, flat, i * pixels, pixels);
            }
            NDArray batch = manager.create(flat, new Shape(inputs.length, 1, DigitImage.SIZE, DigitImage.SIZE));
            float[][] probabilities = Predictions.probabilities(model.getBlock(), manager, batch, 256);
            int[] digits = Predictions.argmax(probabilities);
            List<Reading> readings = new ArrayList<>();
            for (int i = 0; i < inputs.length; i++) {
                readings.add(new Reading(pictures.get(i).name(), inputs[i], digits[i], probabilities[i], steps[i]));
            }
            return readings;
        }
    }
}
