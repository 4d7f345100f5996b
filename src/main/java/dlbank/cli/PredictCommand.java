package dlbank.cli;

import dlbank.UserException;
import dlbank.data.DigitImage;
import dlbank.eval.Sampling;
import dlbank.experiment.lab.DiffusionLab;
import dlbank.experiment.lab.LlmDecodingLab;
import dlbank.experiment.task.DenoisingAutoencoderTask;
import dlbank.experiment.task.ImdbRnnTask;
import dlbank.experiment.task.MnistGanTask;
import dlbank.model.DiffusionSchedule;
import dlbank.predict.Denoiser;
import dlbank.predict.DigitDiffuser;
import dlbank.predict.DigitGenerator;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.LanguageModel;
import dlbank.model.SentimentModel;
import dlbank.predict.TextGenerator;
import dlbank.predict.DigitReader;
import dlbank.report.ModelChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code dlbank predict ID INPUT...}: a trained model of the experiment applied to the user's own
 * input: digit images for task/mnist-cnn, review texts for task/imdb-rnn, new digits drawn by
 * task/mnist-gan or lab/diffusion (guided towards a digit with {@code --digit}), a noisy image cleaned
 * by task/denoising-autoencoder, a prompt continued token by token by lab/llm-decoding's language model.
 */
@Command(name = "predict", mixinStandardHelpOptions = true)
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "INPUT")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE")
    Path file;

    @Option(names = "--model", paramLabel = "DIR")
    Path modelDir;

    @Option(names = "--show")
    boolean show;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64")
    int count;

    @Option(names = "--seed", paramLabel = "N")
    Long seed;

    @Option(names = "--out", paramLabel = "FILE")
    Path outFile;

    @Option(names = "--digit", paramLabel = "D")
    Integer digit;

    @Option(names = "--guidance", paramLabel = "S")
    Double guidance;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "50")
    int steps;

    @Option(names = "--temperature", paramLabel = "T")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P")
    Double topP;

    @Option(names = "--beam", paramLabel = "N")
    Integer beams;

    @Option(names = "--tokens", paramLabel = "N")
    Integer tokens;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (id) {
            case MnistCnnTask.ID -> readDigits(out);
            case ImdbRnnTask.ID -> readReviews(out);
            case MnistGanTask.ID -> drawDigits(out);
            case DenoisingAutoencoderTask.ID -> denoise(out);
            case DiffusionLab.ID -> diffuse(out);
            case LlmDecodingLab.ID -> continuePrompt(out);
            default -> throw UserException.usage("error.predict.unknown", MnistCnnTask.ID, ImdbRnnTask.ID,
                    MnistGanTask.ID, DenoisingAutoencoderTask.ID + ", " + DiffusionLab.ID, LlmDecodingLab.ID, id);
        }
        out.flush();
        return 0;
    }

    private void readDigits(PrintWriter out) {
        if (inputs.isEmpty() || file != null) {
            throw UserException.usage("error.predict.images", id);
        }
        ModelChoice choice = ModelChoice.of(id, modelDir);
        List<DigitReader.Picture> pictures = new ArrayList<>();
        for (String name : inputs) {
            pictures.add(new DigitReader.Picture(name, DigitImage.read(Path.of(name))));
        }
        List<DigitReader.Reading> readings = DigitReader.read(choice.modelDir(), pictures, device.resolve());
        out.println("model: " + choice.description());
        for (DigitReader.Reading reading : readings) {
            out.printf("%s: %d (p = %.3f)%n", reading.name(), reading.digit(), reading.probabilities()[reading.digit()]);
            StringBuilder row = new StringBuilder("  ");
            for (int c = 0; c < reading.probabilities().length; c++) {
                row.append(String.format("%d:%.3f ", c, reading.probabilities()[c]));
            }
            out.println(row.toString().stripTrailing());
            if (show) {
                out.println("  " + reading.steps());
                out.print(ascii(reading.input()));
            }
        }
    }

    private void readReviews(PrintWriter out) {
        List<String> texts = new ArrayList<>(inputs);
        if (file != null) {
            texts.addAll(TextFiles.linesOf(file));
        }
        if (texts.isEmpty()) {
            throw UserException.usage("error.predict.texts", id);
        }
        ModelChoice choice = ModelChoice.of(id, modelDir);
        try (SentimentModel model = SentimentModel.load(choice.modelDir(), device.resolve())) {
            float[] positive = model.positiveProbabilities(texts);
            out.println("model: " + choice.description());
            out.printf("  %s, %s pooling, %d tokens per review%n", model.config().cell().id(),
                    model.config().pooling().id(), model.encoding().length());
            for (int i = 0; i < texts.size(); i++) {
                int[] known = model.knownTokens(texts.get(i));
                out.printf("%-8s p(positive) = %.3f  %s%s%n", positive[i] >= 0.5f ? "positive" : "negative", positive[i],
                        quote(texts.get(i)), known[0] == 0 ? "  (no word of it is in the vocabulary)"
                                : known[0] < known[1] ? String.format("  (%d of %d words known)", known[0], known[1]) : "");
            }
        }
    }

    private void drawDigits(PrintWriter out) {
        if (!inputs.isEmpty() || file != null) {
            throw UserException.usage("error.predict.no-input", id);
        }
        if (count < 1 || count > 10_000) {
            throw UserException.usage("error.option.range", "count", 1, 10000, count);
        }
        long noiseSeed = seed != null ? seed : System.nanoTime() % 1_000_000_000L;
        ModelChoice choice = ModelChoice.ofAnyModel(id, modelDir);
        Path target = OutputFiles.fresh(outFile, Path.of("mnist-gan-digits.png"));
        try (DigitGenerator generator = DigitGenerator.load(choice.modelDir(), device.resolve())) {
            generator.grid(target, String.format("%d digits drawn by the %s generator (seed %d)", count,
                    generator.kind().id(), noiseSeed), DigitGenerator.noise(count, noiseSeed), count,
                    (int) Math.min(count, Math.ceil(Math.sqrt(count))));
        }
        out.println("model: " + choice.description());
        out.printf("wrote %d new digits (noise seed %d; --seed %d draws them again) to %s%n", count, noiseSeed,
                noiseSeed, target.toAbsolutePath());
    }

    /** New digits from the diffusion model: unconditional, or guided towards --digit. */
    private void diffuse(PrintWriter out) {
        if (!inputs.isEmpty() || file != null) {
            throw UserException.usage("error.predict.no-input", id);
        }
        if (count < 1 || count > 10_000) {
            throw UserException.usage("error.option.range", "count", 1, 10000, count);
        }
        if (steps < 1 || steps > DiffusionSchedule.STEPS) {
            throw UserException.usage("error.option.range", "steps", 1, DiffusionSchedule.STEPS, steps);
        }
        if (digit != null && (digit < 0 || digit > 9)) {
            throw UserException.usage("error.option.range", "digit", 0, 9, digit);
        }
        double scale = guidance != null ? guidance : digit != null ? 3 : 0;
        if (!(scale >= 0 && scale <= 20) || (scale > 0 && digit == null)) {
            throw UserException.usage("error.predict.guidance", scale);
        }
        long noiseSeed = seed != null ? seed : System.nanoTime() % 1_000_000_000L;
        ModelChoice choice = ModelChoice.ofAnyModel(id, modelDir);
        Path target = OutputFiles.fresh(outFile, Path.of("diffusion-digits.png"));
        String what = digit == null ? "unconditional" : String.format("digit %d, guidance scale %s", digit, scale);
        try (DigitDiffuser diffuser = DigitDiffuser.load(choice.modelDir(), device.resolve())) {
            int[] labels = DigitDiffuser.all(count, digit == null ? 0 : digit);
            float[] images = diffuser.draw(labels, DigitDiffuser.Sampler.ddim(steps).guided(scale), noiseSeed);
            DigitDiffuser.grid(target, String.format("%d digits, %s, DDIM %d steps (seed %d)", count, what, steps,
                    noiseSeed), images, count, (int) Math.min(count, Math.ceil(Math.sqrt(count))));
        }
        out.println("model: " + choice.description());
        out.printf("wrote %d new digits (%s, DDIM %d steps, noise seed %d; --seed %d draws them again) to %s%n", count,
                what, steps, noiseSeed, noiseSeed, target.toAbsolutePath());
    }

    private void denoise(PrintWriter out) {
        if (inputs.size() != 1 || file != null) {
            throw UserException.usage("error.predict.one-image", id);
        }
        Path input = Path.of(inputs.get(0));
        java.awt.image.BufferedImage image = DigitImage.read(input);
        ModelChoice choice = ModelChoice.ofAnyModel(id, modelDir);
        String stem = input.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path target = OutputFiles.fresh(outFile, Path.of(stem + "-denoised.png"));
        try (Denoiser denoiser = Denoiser.load(choice.modelDir(), device.resolve())) {
            float[] clean = denoiser.denoise(dlbank.data.GreyLevels.of(image).luminance(), image.getHeight(), image.getWidth());
            dlbank.report.Pictures.greyImage(target, clean, image.getHeight(), image.getWidth());
        }
        out.println("model: " + choice.description());
        out.printf("wrote the denoised %dx%d image to %s%n", image.getWidth(), image.getHeight(), target.toAbsolutePath());
    }

    /** The prompt, then each new piece of text as its token is chosen. */
    private void continuePrompt(PrintWriter out) {
        if (inputs.size() != 1 || file != null || inputs.get(0).isBlank()) {
            throw UserException.usage("error.predict.prompt", id);
        }
        double t = temperature != null ? temperature : 0.8;
        int k = topK != null ? topK : 0;
        double p = topP != null ? topP : 0.95;
        int beamCount = beams != null ? beams : 1;
        int newTokens = tokens != null ? tokens : 60;
        checkRange("temperature", t, 0, 10);
        checkRange("top-k", k, 0, 100_000);
        checkRange("top-p", p, 1e-6, 1);
        checkRange("beam", beamCount, 1, 16);
        checkRange("tokens", newTokens, 1, 4_096);
        long samplingSeed = seed != null ? seed : System.nanoTime() % 1_000_000_000L;
        ModelChoice choice = ModelChoice.ofAnyModel(id, modelDir);
        try (LanguageModel model = LanguageModel.load(choice.modelDir(), device.resolve())) {
            int promptTokens = TextGenerator.promptIds(model.encoding(), inputs.get(0)).length;
            int positions = TextGenerator.maxPositions(model.config());
            if (promptTokens + newTokens > positions) {
                throw UserException.usage("error.predict.too-long", promptTokens, newTokens, positions);
            }
            Sampling.Settings sampling = new Sampling.Settings(t, k, p);
            out.println("model: " + choice.description());
            out.printf("decoding: %s, up to %d new tokens, seed %d%n", beamCount > 1 ? "beam search with " + beamCount
                    + " beams" : sampling.describe(), newTokens, samplingSeed);
            out.print(dlbank.data.BytePairEncoding.normalize(inputs.get(0)));
            out.flush();
            TextGenerator.Generation generation = TextGenerator.continueText(model, inputs.get(0),
                    new TextGenerator.Request(newTokens, sampling, beamCount, true, samplingSeed), piece -> {
                        out.print(piece);
                        out.flush();
                    });
            out.println();
            out.printf("(%d new tokens in %.2f s%s)%n", generation.tokens().length, generation.seconds(),
                    generation.ended() ? ", ended by the model" : "");
        }
    }

    private static void checkRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw UserException.usage("error.option.range", name, min, max, value);
        }
    }

    private static String quote(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return "\"" + (flat.length() <= 60 ? flat : flat.substring(0, 57) + "...") + "\"";
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
