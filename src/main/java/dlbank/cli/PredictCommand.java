package dlbank.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.UserException;
import dlbank.data.DigitImage;
import dlbank.eval.Predictions;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.MnistCnn;
import dlbank.model.SavedModel;
import dlbank.report.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dlbank predict task/mnist-cnn IMAGE...}: reads the user's own digits with a trained model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Read digits from your own images (PNG or JPEG, any size, dark on light or light on dark) "
                + "with the newest trained model of the experiment.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The experiment whose model reads the images: task/mnist-cnn.")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files, one digit each.")
    List<Path> images;

    @Option(names = "--model", paramLabel = "DIR",
            description = "A saved model folder (default: model/ of the newest finished run under runs/<id>/).")
    Path modelDir;

    @Option(names = "--show", description = "Also print each image as the model sees it (28x28).")
    boolean show;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        if (!id.equals(MnistCnnTask.ID)) {
            throw UserException.usage("predict works with " + MnistCnnTask.ID + ", not '" + id + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = modelDir != null ? modelDir : newestModel();
        // Read every image first: a bad file fails before the engine starts.
        float[][] inputs = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            inputs[i] = DigitImage.toMnist(DigitImage.read(images.get(i)), images.get(i).toString());
        }
        try (Model model = SavedModel.load(dir, MnistCnnTask.ARCHITECTURE, MnistCnn::build, device.resolve());
             NDManager manager = model.getNDManager().newSubManager()) {
            float[] flat = new float[inputs.length * DigitImage.SIZE * DigitImage.SIZE];
            for (int i = 0; i < inputs.length; i++) {
                System.arraycopy(inputs[i], 0, flat, i * inputs[i].length, inputs[i].length);
            }
            NDArray batch = manager.create(flat, new Shape(inputs.length, 1, DigitImage.SIZE, DigitImage.SIZE));
            float[][] probabilities = Predictions.probabilities(model.getBlock(), manager, batch, 256);
            int[] digits = Predictions.argmax(probabilities);
            out.println("model: " + dir);
            for (int i = 0; i < inputs.length; i++) {
                out.printf("%s: %d (p = %.3f)%n", images.get(i), digits[i], probabilities[i][digits[i]]);
                StringBuilder row = new StringBuilder("  ");
                for (int c = 0; c < probabilities[i].length; c++) {
                    row.append(String.format("%d:%.3f ", c, probabilities[i][c]));
                }
                out.println(row.toString().stripTrailing());
                if (show) {
                    out.print(ascii(inputs[i]));
                }
            }
        }
        return 0;
    }

    private Path newestModel() {
        return RunDirectory.runFolders(id).stream()
                .map(run -> run.resolve("model"))
                .filter(model -> Files.isRegularFile(model.resolve(SavedModel.ARCHITECTURE_FILE)))
                .findFirst()
                .orElseThrow(() -> UserException.usage("no trained model of " + id + " under "
                        + RunDirectory.experimentRoot(id) + "; run 'dlbank run " + id + "' first, or pass --model DIR"));
    }

    private static String ascii(float[] pixels) {
        String shades = " .:-=+*#%@";
        StringBuilder art = new StringBuilder();
        for (int y = 0; y < DigitImage.SIZE; y++) {
            art.append("  ");
            for (int x = 0; x < DigitImage.SIZE; x++) {
                int level = Math.min(shades.length() - 1, (int) (pixels[y * DigitImage.SIZE + x] * shades.length()));
                art.append(shades.charAt(level)).append(shades.charAt(level));
            }
            art.append('\n');
        }
        return art.toString();
    }
}
