package dlbank.predict;

import ai.djl.Device;
import dlbank.Main;
import dlbank.data.DigitConditions;
import dlbank.data.DigitImage;
import dlbank.data.DrawnDigits;
import dlbank.data.ImageDataset;
import dlbank.data.UciDigits;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.eval.Predictions;
import dlbank.experiment.task.MnistCnnTask;
import dlbank.model.ImprovedMnistCnn;
import dlbank.model.MnistCnn;
import dlbank.model.SavedModel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Measures how well {@code predict} reads each kind of picture, with the same files for any version
 * of the preprocessing: {@code write} makes the sets once, {@code prepare} brings them to MNIST form with the
 * preprocessing on the class path (CLASSES: today's or an older build), {@code score} reads the prepared
 * inputs with a model.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:CP dlbank.predict.ReadingBench write DIR PER_DIGIT SEED UCI_CSV MNIST_DIR
 * java -cp CLASSES:target/test-classes:CP dlbank.predict.ReadingBench prepare INPUTS.bin DIR/*
 * java -cp target/classes:target/test-classes:CP dlbank.predict.ReadingBench score MODEL_DIR INPUTS.bin...
 * </pre>
 *
 * File names start {@code d<digit>} and say {@code dark} (dark on light) or {@code light}.
 */
public final class ReadingBench {

    private ReadingBench() {}

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "write" -> write(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]), Path.of(args[4]),
                    Path.of(args[5]));
            case "prepare" -> prepare(Path.of(args[1]), Arrays.stream(args).skip(2).map(Path::of).toList());
            case "score" -> {
                Main.configureRuntime(false);
                for (int i = 2; i < args.length; i++) {
                    System.out.println("== " + args[i]);
                    score(Path.of(args[1]), Path.of(args[i])).forEach(System.out::println);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void write(Path dir, int perDigit, long seed, Path uciCsv, Path mnistDir) throws IOException {
        for (DigitConditions.Condition condition : DigitConditions.Condition.values()) {
            DigitConditions.write(condition, perDigit, seed, dir);
        }
        DrawnDigits.write(DrawnDigits.draw(perDigit, seed), dir.resolve("drawn"));
        // Real handwriting: every UCI digit, 16 times enlarged, alternately dark on light and light on dark.
        List<UciDigits.Digit> uci = UciDigits.read(uciCsv);
        for (int i = 0; i < uci.size(); i++) {
            boolean dark = i % 2 == 0;
            DigitConditions.write(UciDigits.render(uci.get(i), 128, dark), "png", 0, dir.resolve("uci-real")
                    .resolve(String.format("d%d-%04d-%s.png", uci.get(i).label(), i, dark ? "dark" : "light")));
        }
        // All 10,000 MNIST test digits as a user would hand them over: enlarged 4-10 times, grey PNG, either polarity.
        ImageDataset test = ImageDataset.fromIdx("mnist-test", mnistDir.resolve("t10k-images-idx3-ubyte"),
                mnistDir.resolve("t10k-labels-idx1-ubyte"));
        Random random = new Random(seed);
        for (int i = 0; i < test.size(); i++) {
            boolean dark = i % 2 == 0;
            DigitConditions.write(DigitConditions.mnist(test, i, 4 + 6 * random.nextDouble(), dark, random), "png", 0,
                    dir.resolve("mnist-test").resolve(String.format("d%d-%04d-%s.png", test.label(i), i,
                            dark ? "dark" : "light")));
        }
    }

    /** Brings every image of the sets to MNIST form, as predict does, and keeps the 28x28 inputs in one file. */
    static void prepare(Path out, List<Path> sets) throws IOException {
        try (DataOutputStream data = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            for (Path set : sets) {
                List<Path> files;
                try (Stream<Path> list = Files.list(set)) {
                    files = list.sorted().toList();
                }
                for (Path file : files) {
                    float[] input = DigitImage.toMnist(DigitImage.read(file), file.toString());
                    data.writeUTF(set.getFileName() + "/" + file.getFileName());
                    for (float value : input) {
                        data.writeFloat(value);
                    }
                }
            }
        }
    }

    /** One line per set: correct of all, by polarity, and what the misses were read as. */
    static List<String> score(Path model, Path prepared) throws IOException {
        List<String> names = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(Files.newInputStream(prepared)))) {
            while (data.available() > 0) {
                names.add(data.readUTF());
                float[] input = new float[784];
                for (int i = 0; i < input.length; i++) {
                    input[i] = data.readFloat();
                }
                inputs.add(input);
            }
        }
        float[] flat = new float[inputs.size() * 784];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i), 0, flat, i * 784, 784);
        }
        String architecture = SavedModel.architecture(model);
        int[] digits;
        try (Model loaded = SavedModel.load(model, architecture, architecture.equals(MnistCnnTask.ARCHITECTURE)
                ? MnistCnn::build : ImprovedMnistCnn::build, Device.cpu());
             NDManager manager = loaded.getNDManager().newSubManager()) {
            NDArray batch = manager.create(flat, new Shape(inputs.size(), 1, 28, 28));
            digits = Predictions.argmax(Predictions.probabilities(loaded.getBlock(), manager, batch, 500));
        }
        Map<String, int[]> sets = new TreeMap<>(); // per set: correct dark, all dark, correct light, all light, misses 0-9
        for (int i = 0; i < names.size(); i++) {
            String set = names.get(i).substring(0, names.get(i).indexOf('/'));
            String file = names.get(i).substring(set.length() + 1);
            int[] counts = sets.computeIfAbsent(set, key -> new int[14]);
            int expected = file.charAt(1) - '0';
            int polarity = file.contains("-light") ? 2 : 0;
            counts[polarity + 1]++;
            counts[polarity] += digits[i] == expected ? 1 : 0;
            counts[4 + digits[i]] += digits[i] == expected ? 0 : 1;
        }
        List<String> lines = new ArrayList<>();
        sets.forEach((set, c) -> {
            StringBuilder misses = new StringBuilder();
            for (int d = 0; d < 10; d++) {
                misses.append(c[4 + d] > 0 ? " " + d + ":" + c[4 + d] : "");
            }
            lines.add(String.format("%-14s %4d/%-4d %6.1f%%  dark %d/%d  light %d/%d  misses read as%s", set, c[0] + c[2],
                    c[1] + c[3], 100.0 * (c[0] + c[2]) / (c[1] + c[3]), c[0], c[1], c[2], c[3], misses));
        });
        return lines;
    }
}
