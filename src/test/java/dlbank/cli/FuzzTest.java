package dlbank.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.TestSupport;
import dlbank.bank.LeitnerSchedule;
import dlbank.bank.QuizState;
import dlbank.data.DataHome;
import dlbank.data.DataSet;
import dlbank.data.ImageDataset;
import dlbank.data.ImdbSplit;
import dlbank.experiment.ProgressSink;
import dlbank.model.MnistCnn;
import dlbank.report.RunDirectory;
import dlbank.train.Checkpoint;
import dlbank.train.CheckpointedAdam;
import dlbank.train.FitLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutations of real files (cut from the test fixtures) through the loaders, {@code predict},
 * {@code show}, {@code quiz} and {@code run --resume}: every case must end in a correct result or in
 * one clean line with a user-error exit code, never a stack trace or exit 70. Prints a table by kind.
 *
 * <p>The loaders are called directly and their failures go through the command line's own error
 * reporting ({@link DlbankCommand#report}), since a data file that survives its mutation would
 * otherwise start a training run; a sample of them also goes through {@code run} itself.
 */
class FuzzTest {

    private static final long SEED = Long.getLong("dlbank.fuzz.seed", 13L);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    /** Counts per kind of input: cases, clean one-line errors, correct results, anything else. */
    static final class Tally {
        int cases;
        int clean;
        int correct;
        final List<String> other = new ArrayList<>();
        final List<String> examples = new ArrayList<>();
    }

    private static final Map<String, Tally> TALLIES = new LinkedHashMap<>();
    private static Path trainedRun;
    private static Path digitPng;
    private static Path checkpointSeed;
    private static int caseNumber;

    @BeforeAll
    static void setUp() throws IOException {
        Cli.isolateIn(home);
        Cli.Outcome trained = Cli.dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", TestSupport.FIXTURES.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        trainedRun = RunDirectory.latestFinished("task/mnist-cnn").orElseThrow();
        checkpointSeed = makeCheckpoint(home.resolve("checkpoint-seed"));
    }

    @AfterAll
    static void restore() {
        Cli.restore();
        dlbank.report.AtomicFiles.injectFailure(null);
    }

    @Test
    void mutatedInputsEndInACorrectResultOrOneCleanLine() throws Exception {
        long start = System.nanoTime();
        Random random = new Random(SEED);
        fuzzIdx(random, 320);
        fuzzReviewsJson(random, 200);
        fuzzAclImdb(random, 60);
        fuzzImages(random, 320);
        fuzzCheckpoints(random, 110);
        fuzzRunFile(random, 30);
        fuzzResumeThroughTheCommandLine(random, 8);
        fuzzQuiz(random, 100);
        fuzzReports(random, 120);
        double seconds = (System.nanoTime() - start) / 1e9;

        StringBuilder table = new StringBuilder(String.format("%n%-22s %6s %11s %15s %6s%n", "kind", "cases",
                "clean line", "correct result", "other"));
        int total = 0;
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, Tally> entry : TALLIES.entrySet()) {
            Tally tally = entry.getValue();
            total += tally.cases;
            table.append(String.format("%-22s %6d %11d %15d %6d%n", entry.getKey(), tally.cases, tally.clean,
                    tally.correct, tally.other.size()));
            tally.other.forEach(line -> others.add(entry.getKey() + ": " + line));
        }
        table.append(String.format("%-22s %6d   (seed %d, %.1f s)%n", "total", total, SEED, seconds));
        TALLIES.forEach((kind, tally) -> tally.examples.forEach(example -> table.append("  ").append(kind).append(": ")
                .append(example).append('\n')));
        System.out.print(table);
        assertThat(total).isGreaterThanOrEqualTo(1000);
        assertThat(others).as("cases that ended neither in a correct result nor in one clean line").isEmpty();
    }

    // ---------------------------------------------------------------- outcomes

    /** A loader's call as the command line ends it: exit 0, or its error line and code. */
    private record Ended(int exitCode, String err, Throwable thrown) {}

    private static Ended call(ThrowingRunnable action) {
        StringWriter err = new StringWriter();
        try {
            action.run();
            return new Ended(0, "", null);
        } catch (Exception e) {
            int code = DlbankCommand.report(e, new PrintWriter(err, true), false);
            return new Ended(code, err.toString(), e);
        } catch (Throwable e) {
            // An Error escapes picocli's handler too: a crash with a stack trace.
            return new Ended(DlbankCommand.INTERNAL, "crash: " + e, e);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Files the case as a clean line (a user-error code and one line without a stack trace), a correct
     * result (exit 0 and the check passed) or other.
     */
    private static void record(String kind, String what, int exitCode, String err, boolean resultCorrect) {
        Tally tally = TALLIES.computeIfAbsent(kind, k -> new Tally());
        tally.cases++;
        List<String> lines = err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\n"));
        boolean oneLine = lines.size() == 1 && lines.get(0).startsWith("dlbank: ") && !err.contains("Exception")
                && !err.contains("\tat ");
        if (exitCode == 0) {
            if (resultCorrect) {
                tally.correct++;
            } else {
                tally.other.add(what + ": exit 0 but a wrong result; " + err.strip());
            }
        } else if (exitCode != DlbankCommand.INTERNAL && exitCode >= 2 && exitCode <= 5 && oneLine) {
            tally.clean++;
            if (tally.examples.size() < 3 && tally.clean % 7 == 1) {
                tally.examples.add(what + " -> exit " + exitCode + ": " + lines.get(0).replace(home.toString(), "$TMP"));
            }
        } else {
            tally.other.add(what + ": exit " + exitCode + ": " + err.strip().replace("\n", " | "));
        }
    }

    private static void record(String kind, String what, Ended ended, boolean resultCorrect) {
        record(kind, what, ended.exitCode(), ended.err(), resultCorrect);
    }

    private static Path caseDir(String kind) throws IOException {
        return Files.createDirectories(home.resolve("cases").resolve(kind.replace('/', '-') + "-" + (++caseNumber)));
    }

    // ---------------------------------------------------------------- byte mutations

    /** One generic mutation; says what it did. */
    private static String mutateBytes(Random random, byte[][] holder) {
        byte[] bytes = holder[0];
        int n = bytes.length;
        switch (random.nextInt(7)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips && n > 0; i++) {
                    bytes[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                }
                return "flip " + flips + " bits";
            }
            case 1 -> {
                int length = random.nextBoolean() ? random.nextInt(Math.max(1, Math.min(n, 64))) : random.nextInt(Math.max(1, n));
                holder[0] = Arrays.copyOf(bytes, length);
                return "truncate to " + length;
            }
            case 2 -> {
                int cut = 1 + random.nextInt(Math.max(1, Math.min(16, n)));
                holder[0] = Arrays.copyOf(bytes, Math.max(0, n - cut));
                return "drop last " + cut;
            }
            case 3 -> {
                byte[] extra = new byte[1 + random.nextInt(32)];
                random.nextBytes(extra);
                int at = random.nextInt(n + 1);
                byte[] out = new byte[n + extra.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(bytes, at, out, at + extra.length, n - at);
                holder[0] = out;
                return "insert " + extra.length + " at " + at;
            }
            case 4 -> {
                if (n == 0) {
                    return "empty";
                }
                int at = random.nextInt(n);
                int length = Math.min(n - at, 1 + random.nextInt(64));
                byte[] out = new byte[n - length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + length, out, at, n - at - length);
                holder[0] = out;
                return "delete " + length + " at " + at;
            }
            case 5 -> {
                int at = random.nextInt(Math.max(1, Math.min(n, 64)));
                if (n > 0) {
                    bytes[at] = (byte) new int[] {0, 0xff, 0x7f, 0x80}[random.nextInt(4)];
                }
                return "header byte " + at;
            }
            default -> {
                holder[0] = new byte[0];
                return "empty file";
            }
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- IDX

    /** The first {@code count} items of an IDX file, its header rewritten to say so: a small cut of the real file. */
    private static byte[] cut(byte[] idx, int count) {
        ByteBuffer in = ByteBuffer.wrap(idx);
        int magic = in.getInt();
        int rank = magic & 0xff;
        int[] dims = new int[rank];
        long per = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.getInt();
            if (i > 0) {
                per *= dims[i];
            }
        }
        ByteBuffer out = ByteBuffer.allocate(4 + 4 * rank + (int) (count * per));
        out.putInt(magic).putInt(count);
        for (int i = 1; i < rank; i++) {
            out.putInt(dims[i]);
        }
        out.put(idx, 4 + 4 * rank, (int) (count * per));
        return out.array();
    }

    private static void fuzzIdx(Random random, int cases) throws Exception {
        Path mnist = TestSupport.FIXTURES.resolve("mnist");
        String[] names = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
        byte[][] seeds = new byte[4][];
        for (int i = 0; i < 4; i++) {
            seeds[i] = cut(TestSupport.gunzip(mnist.resolve(names[i] + ".gz")), 60);
        }
        int viaRun = 0;
        for (int c = 0; c < cases; c++) {
            Path dir = caseDir("idx");
            Path set = Files.createDirectories(dir.resolve("mnist"));
            int target = random.nextInt(4);
            byte[][] holder = {seeds[target].clone()};
            String what = names[target] + ": " + mutateIdx(random, holder, seeds);
            boolean gz = random.nextBoolean();
            byte[] written = holder[0];
            if (gz && random.nextInt(4) == 0) {
                byte[][] gzHolder = {gzip(written)};
                what += ", gzip then " + mutateBytes(random, gzHolder);
                written = gzHolder[0];
            } else if (gz) {
                written = gzip(written);
            }
            for (int i = 0; i < 4; i++) {
                Files.write(set.resolve(names[i] + (i == target ? (gz ? ".gz" : "") : "")),
                        i == target ? written : seeds[i]);
            }
            ImageDataset.Split split = target < 2 ? ImageDataset.Split.TRAIN : ImageDataset.Split.TEST;
            ImageDataset[] loaded = new ImageDataset[1];
            Ended ended = call(() -> loaded[0] = ImageDataset.load(DataHome.resolve(dir), DataSet.MNIST, split, line -> { }));
            boolean correct = ended.exitCode() == 0 && matchesFiles(loaded[0], set.resolve(names[split == ImageDataset.Split.TRAIN ? 0 : 2]),
                    set.resolve(names[split == ImageDataset.Split.TRAIN ? 1 : 3]), target % 2 == 0 ? holder[0] : seeds[split == ImageDataset.Split.TRAIN ? 0 : 2],
                    target % 2 == 1 ? holder[0] : seeds[split == ImageDataset.Split.TRAIN ? 1 : 3]);
            record("idx (MNIST)", what, ended, correct);
            // A sample of the refused ones through the command line itself: the same line, no run folder left.
            if (ended.exitCode() != 0 && viaRun < 6 && random.nextInt(8) == 0) {
                viaRun++;
                Path out = dir.resolve("run");
                Cli.Outcome run = Cli.dlbank("run", "task/mnist-cnn", "--quick", "--data-dir", dir.toString(), "--out", out.toString());
                record("idx via run", what, run.exitCode(), run.err(), false);
                if (Files.exists(out)) {
                    TALLIES.get("idx via run").other.add(what + ": left " + out);
                }
            }
        }
    }

    /** An IDX-aware mutation: the header's fields, the length, or generic bytes. */
    private static String mutateIdx(Random random, byte[][] holder, byte[][] seeds) {
        byte[] bytes = holder[0];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int rank = bytes[3] & 0xff;
        switch (random.nextInt(6)) {
            case 0 -> {
                int dim = random.nextInt(rank);
                int old = buffer.getInt(4 + 4 * dim);
                int value = new int[] {0, -1, old + 1, old - 1, Integer.MAX_VALUE, 1 << 20, random.nextInt()}[random.nextInt(7)];
                buffer.putInt(4 + 4 * dim, value);
                return "dimension " + dim + " " + old + " -> " + value;
            }
            case 1 -> {
                int field = random.nextInt(4);
                bytes[field] = (byte) random.nextInt(256);
                return "magic byte " + field + " = " + (bytes[field] & 0xff);
            }
            case 2 -> {
                holder[0] = seeds[random.nextInt(seeds.length)].clone();
                return "replaced by another IDX file";
            }
            case 3 -> {
                int pixels = 1 + random.nextInt(20);
                for (int i = 0; i < pixels; i++) {
                    int at = 4 + 4 * rank + random.nextInt(bytes.length - 4 - 4 * rank);
                    bytes[at] = (byte) random.nextInt(256);
                }
                return "data bytes " + pixels;
            }
            default -> {
                return mutateBytes(random, holder);
            }
        }
    }

    /** The loaded set holds exactly what the (mutated) files say, read here independently. */
    private static boolean matchesFiles(ImageDataset set, Path imagesFile, Path labelsFile, byte[] images, byte[] labels) {
        if (set == null) {
            return false;
        }
        ByteBuffer im = ByteBuffer.wrap(images);
        ByteBuffer lb = ByteBuffer.wrap(labels);
        if (im.getInt() != 0x00000803 || lb.getInt() != 0x00000801) {
            return false;
        }
        int n = im.getInt();
        int h = im.getInt();
        int w = im.getInt();
        int m = lb.getInt();
        if (n != m || set.size() != n || set.height() != h || set.width() != w) {
            return false;
        }
        if (images.length != 16 + (long) n * h * w || labels.length != 8 + n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (labels[8 + i] < 0 || labels[8 + i] > 9 || set.label(i) != labels[8 + i]) {
                return false;
            }
        }
        return Arrays.equals(set.pixels(), Arrays.copyOfRange(images, 16, images.length));
    }

    // ---------------------------------------------------------------- reviews.json

    private static void fuzzReviewsJson(Random random, int cases) throws Exception {
        JsonNode all = JSON.readTree(TestSupport.FIXTURES.resolve("imdb/reviews.json").toFile());
        List<JsonNode> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            first.add(all.get(i));
            first.add(all.get(all.size() - 1 - i)); // the file is sorted by label: both labels
        }
        byte[] seed = JSON.writeValueAsBytes(first);
        for (int c = 0; c < cases; c++) {
            Path dir = caseDir("imdb");
            Path set = Files.createDirectories(dir.resolve("imdb"));
            byte[][] holder = {seed.clone()};
            String what = random.nextInt(3) == 0 ? mutateBytes(random, holder) : mutateJsonText(random, holder);
            Files.write(set.resolve("reviews.json"), holder[0]);
            ImdbSplit[] split = new ImdbSplit[1];
            Ended ended = call(() -> split[0] = ImdbSplit.load(DataHome.resolve(dir), line -> { }));
            record("reviews.json (IMDb)", what, ended, ended.exitCode() == 0 && reviewsMatch(split[0], holder[0]));
        }
    }

    /** Textual JSON edits: values of the wrong type or range, keys removed, brackets broken, bad UTF-8. */
    private static String mutateJsonText(Random random, byte[][] holder) {
        String text = new String(holder[0], StandardCharsets.UTF_8);
        String[][] edits = {
                {"\"s\":1", "\"s\":2"}, {"\"s\":0", "\"s\":\"0\""}, {"\"s\":1", "\"s\":1.5"}, {"\"s\":0", "\"s\":null"},
                {"\"t\":", "\"text\":"}, {"\"s\":", "\"score\":"}, {"{", "["}, {"}", "]"}, {"\"t\":\"", "\"t\":1,\"x\":\""},
                {"\"s\":1", "\"s\":99999999999999999999"}, {"\"s\":0", "\"s\":-1"}, {"\",\"s\"", "\",\"s\":1,\"s\""},
                {"{\"t\"", "null,{\"t\""}, {"{\"t\"", "[],{\"t\""}, {"{\"t\"", "\"x\",{\"t\""}, {",", ""}, {":", ""},
                {"\"", ""}, {"\\", "\\u12"}, {"e", "\u00e9"}, {"a", "\uD83D\uDE00"}};
        int kind = random.nextInt(edits.length + 6);
        if (kind < edits.length) {
            String[] edit = edits[kind];
            int at = nthIndex(text, edit[0], random);
            if (at < 0) {
                return "no " + edit[0];
            }
            holder[0] = (text.substring(0, at) + edit[1] + text.substring(at + edit[0].length())).getBytes(StandardCharsets.UTF_8);
            return "'" + edit[0] + "' -> '" + edit[1] + "' at " + at;
        }
        switch (kind - edits.length) {
            case 0 -> holder[0] = new byte[] {'[', ']'};
            case 1 -> holder[0] = "{\"t\":\"x\",\"s\":1}".getBytes(StandardCharsets.UTF_8);
            case 2 -> holder[0] = "null".getBytes(StandardCharsets.UTF_8);
            case 3 -> {
                byte[] bytes = holder[0];
                bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x40)); // a lone continuation byte
            }
            case 4 -> holder[0] = (text + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
            default -> holder[0] = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
        }
        return "document edit " + (kind - edits.length);
    }

    private static int nthIndex(String text, String needle, Random random) {
        List<Integer> at = new ArrayList<>();
        for (int i = text.indexOf(needle); i >= 0 && at.size() < 200; i = text.indexOf(needle, i + 1)) {
            at.add(i);
        }
        return at.isEmpty() ? -1 : at.get(random.nextInt(at.size()));
    }

    /** Read independently: a JSON array of objects with a string t and s 0 or 1; the split holds them all. */
    private static boolean reviewsMatch(ImdbSplit split, byte[] bytes) {
        try {
            JsonNode array = JSON.readTree(bytes);
            if (array == null || !array.isArray()) {
                return false;
            }
            int positives = 0;
            for (JsonNode review : array) {
                if (!review.isObject() || !review.path("t").isTextual() || !review.path("s").isInt()
                        || review.path("s").intValue() < 0 || review.path("s").intValue() > 1) {
                    return false;
                }
                positives += review.path("s").intValue();
            }
            long splitPositives = split.train().stream().filter(dlbank.data.ImdbDataset.Review::positive).count()
                    + split.test().stream().filter(dlbank.data.ImdbDataset.Review::positive).count();
            return split.train().size() + split.test().size() == array.size() && splitPositives == positives;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- aclImdb folders

    private static void fuzzAclImdb(Random random, int cases) throws Exception {
        JsonNode all = JSON.readTree(TestSupport.FIXTURES.resolve("imdb/reviews.json").toFile());
        for (int c = 0; c < cases; c++) {
            Path dir = caseDir("acl");
            Path acl = dir.resolve("aclImdb");
            int index = 0;
            for (String part : List.of("train", "test")) {
                for (String label : List.of("neg", "pos")) {
                    Path folder = Files.createDirectories(acl.resolve(part).resolve(label));
                    for (int i = 0; i < 3; i++) {
                        Files.writeString(folder.resolve(index + "_" + (label.equals("pos") ? 8 : 2) + ".txt"),
                                all.get(index++ * 7).path("t").asText());
                    }
                }
            }
            String what = mutateFolder(random, acl);
            ImdbSplit[] split = new ImdbSplit[1];
            Ended ended = call(() -> split[0] = ImdbSplit.load(DataHome.resolve(dir), line -> { }));
            record("aclImdb folder", what, ended, ended.exitCode() == 0 && split[0].train().size() == countReviews(acl.resolve("train"))
                    && split[0].test().size() == countReviews(acl.resolve("test")));
        }
    }

    private static String mutateFolder(Random random, Path acl) throws IOException {
        String part = random.nextBoolean() ? "train" : "test";
        String label = random.nextBoolean() ? "pos" : "neg";
        Path folder = acl.resolve(part).resolve(label);
        List<Path> files;
        try (var listing = Files.list(folder)) {
            files = listing.sorted().toList();
        }
        Path file = files.get(random.nextInt(files.size()));
        switch (random.nextInt(10)) {
            case 0 -> {
                dlbank.report.AtomicFiles.deleteTree(folder);
                return "no " + part + "/" + label;
            }
            case 1 -> {
                for (Path f : files) {
                    Files.delete(f);
                }
                return "empty " + part + "/" + label;
            }
            case 2 -> {
                Files.write(file, new byte[] {'o', 'k', (byte) 0xc3, (byte) 0x28, ' ', (byte) 0xff});
                return "not UTF-8: " + file.getFileName();
            }
            case 3 -> {
                Files.delete(file);
                Files.createDirectory(file);
                return "a folder named " + file.getFileName();
            }
            case 4 -> {
                Files.writeString(folder.resolve("notes.md"), "not a review");
                return "an extra non-review file";
            }
            case 5 -> {
                Files.delete(file);
                Files.createSymbolicLink(file, acl.resolve("missing.txt"));
                return "a broken link " + file.getFileName();
            }
            case 6 -> {
                Files.write(file, new byte[0]);
                return "an empty review";
            }
            case 7 -> {
                dlbank.report.AtomicFiles.deleteTree(folder);
                Files.writeString(folder, "a file where a folder belongs");
                return part + "/" + label + " is a file";
            }
            case 8 -> {
                dlbank.report.AtomicFiles.deleteTree(acl.resolve(part));
                return "no " + part;
            }
            default -> {
                byte[] bytes = Files.readAllBytes(file);
                byte[][] holder = {bytes};
                String what = mutateBytes(random, holder);
                Files.write(file, holder[0]);
                return file.getFileName() + ": " + what;
            }
        }
    }

    private static long countReviews(Path part) throws IOException {
        long count = 0;
        for (String label : List.of("neg", "pos")) {
            try (var listing = Files.list(part.resolve(label))) {
                count += listing.filter(f -> f.getFileName().toString().endsWith(".txt") && Files.isRegularFile(f)).count();
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- images through predict

    private static void fuzzImages(Random random, int cases) throws Exception {
        ImageDataset test = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TEST, line -> { });
        String[] formats = {"png", "jpeg", "gif", "bmp"};
        Map<String, List<byte[]>> seeds = new LinkedHashMap<>();
        for (String format : formats) {
            List<byte[]> list = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                BufferedImage image = CliTest.enlargedInverted(test, i, 3, 10);
                BufferedImage rgb = new BufferedImage(image.getWidth() / 2, image.getHeight() / 2,
                        format.equals("png") && i % 2 == 0 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(image, 0, 0, rgb.getWidth(), rgb.getHeight(), null);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(ImageIO.write(rgb, format, out)).as(format).isTrue();
                list.add(out.toByteArray());
            }
            seeds.put(format, list);
        }
        for (int c = 0; c < cases; c++) {
            String format = formats[c % formats.length];
            List<byte[]> list = seeds.get(format);
            byte[][] holder = {list.get(random.nextInt(list.size())).clone()};
            String what = format + ": " + (random.nextInt(5) < 2 ? mutateBytes(random, holder) : mutateImageHeader(random, format, holder));
            Path file = caseDir("image").resolve("digit." + (format.equals("jpeg") ? "jpg" : format));
            Files.write(file, holder[0]);
            Cli.Outcome outcome = Cli.dlbank("predict", "task/mnist-cnn", file.toString());
            record("image (" + format + ")", what, outcome.exitCode(), outcome.err(), outcome.exitCode() == 0
                    && outcome.out().matches("(?s)model: .*\n" + java.util.regex.Pattern.quote(file.toString())
                    + ": [0-9] \\(p = [01]\\.[0-9]{3}\\)\n  0:.*"));
        }
    }

    /** Edits a format's size, depth or layout fields (PNG's IHDR with a right or wrong CRC, JPEG's SOF, ...). */
    private static String mutateImageHeader(Random random, String format, byte[][] holder) {
        byte[] b = holder[0];
        ByteBuffer buffer = ByteBuffer.wrap(b);
        int[] sizes = {0, 1, 65535, 100000, 1 << 30, -1, 3};
        switch (format) {
            case "png" -> {
                int field = random.nextInt(5);
                if (field < 2) {
                    int value = sizes[random.nextInt(sizes.length)];
                    buffer.putInt(16 + 4 * field, value);
                } else if (field == 2) {
                    b[24] = (byte) new int[] {1, 2, 3, 16, 7, 0}[random.nextInt(6)]; // bit depth
                } else if (field == 3) {
                    b[25] = (byte) new int[] {0, 1, 2, 3, 4, 6, 9}[random.nextInt(7)]; // colour type
                } else {
                    b[28] = (byte) random.nextInt(3); // interlace
                }
                boolean fixCrc = random.nextBoolean();
                if (fixCrc) {
                    CRC32 crc = new CRC32();
                    crc.update(b, 12, 17);
                    buffer.putInt(29, (int) crc.getValue());
                }
                return "IHDR field " + field + (fixCrc ? " (CRC fixed)" : "");
            }
            case "jpeg" -> {
                for (int i = 2; i + 9 < b.length; i++) {
                    if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xc0) {
                        int field = random.nextInt(3);
                        if (field == 0) {
                            buffer.putShort(i + 5, (short) sizes[random.nextInt(sizes.length)]);
                        } else if (field == 1) {
                            buffer.putShort(i + 7, (short) sizes[random.nextInt(sizes.length)]);
                        } else {
                            b[i + 9] = (byte) random.nextInt(6); // components
                        }
                        return "SOF0 field " + field;
                    }
                }
                return "no SOF0";
            }
            case "gif" -> {
                int at = new int[] {6, 8, 10}[random.nextInt(3)];
                if (at == 10) {
                    b[10] = (byte) random.nextInt(256);
                } else {
                    buffer.order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(at, (short) sizes[random.nextInt(sizes.length)]);
                }
                return "screen field at " + at;
            }
            default -> {
                ByteBuffer le = buffer.order(java.nio.ByteOrder.LITTLE_ENDIAN);
                int field = random.nextInt(5);
                switch (field) {
                    case 0 -> le.putInt(18, sizes[random.nextInt(sizes.length)]);
                    case 1 -> le.putInt(22, sizes[random.nextInt(sizes.length)]);
                    case 2 -> le.putShort(28, (short) new int[] {0, 1, 3, 5, 24, 32, 64}[random.nextInt(7)]);
                    case 3 -> le.putInt(10, sizes[random.nextInt(sizes.length)]);
                    default -> le.putInt(30, random.nextInt(8)); // compression
                }
                return "BMP header field " + field;
            }
        }
    }

    // ---------------------------------------------------------------- checkpoints (state.json and its files)

    /** A real checkpoint: the quick CNN trained one epoch on 200 fixture digits by the fit loop. */
    private static Path makeCheckpoint(Path dir) {
        ImageDataset train = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TRAIN, line -> { });
        Engine.getInstance().setRandomSeed(5);
        CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
        try (Model model = Model.newInstance("cnn")) {
            model.setBlock(MnistCnn.build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                trainer.initialize(MnistCnn.inputShape(1));
                NDManager manager = trainer.getManager();
                ImageDataset part = train.range(0, 200);
                ImageDataset validation = train.range(200, 300);
                new FitLoop(trainer, optimizer, FitLoop.argmaxScorer(), ProgressSink.silent(), "img").fit(
                        new FitLoop.Data(part.images(manager), part.labels(manager)),
                        new FitLoop.Data(validation.images(manager), validation.labels(manager)),
                        new FitLoop.Settings(2, 50, 3, 0, dir, false));
            }
        }
        return dir;
    }

    private static void fuzzCheckpoints(Random random, int cases) throws Exception {
        List<String> files;
        try (var listing = Files.list(checkpointSeed)) {
            files = listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactly("epoch-0002.optimizer", "epoch-0002.params", "state.json");
        CheckpointedAdam optimizer = new CheckpointedAdam(1e-3f);
        try (Model model = Model.newInstance("cnn")) {
            model.setBlock(MnistCnn.build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                trainer.initialize(MnistCnn.inputShape(1));
                Checkpoint pristine = new Checkpoint(checkpointSeed);
                pristine.restore(model.getBlock(), optimizer, model.getNDManager());
                float[] saved = model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
                for (int c = 0; c < cases; c++) {
                    Path dir = caseDir("checkpoint");
                    for (String name : files) {
                        Files.copy(checkpointSeed.resolve(name), dir.resolve(name));
                    }
                    String target = random.nextInt(3) == 0 ? files.get(random.nextInt(2)) : "state.json";
                    byte[][] holder = {Files.readAllBytes(dir.resolve(target))};
                    String what = target + ": " + (target.equals("state.json") && random.nextBoolean()
                            ? mutateStateJson(random, holder) : mutateBytes(random, holder));
                    Files.write(dir.resolve(target), holder[0]);
                    model.getBlock().getParameters().valueAt(0).getArray().set(new ai.djl.ndarray.index.NDIndex(":"), 0f);
                    Checkpoint.State[] state = new Checkpoint.State[1];
                    Ended ended = call(() -> state[0] = new Checkpoint(dir).restore(model.getBlock(), optimizer, model.getNDManager()));
                    boolean correct = ended.exitCode() == 0 && state[0].epoch() == JSON.readTree(holder[0]).path("epoch").intValue()
                            && Arrays.equals(saved, model.getBlock().getParameters().valueAt(0).getArray().toFloatArray());
                    record("checkpoint", what, ended, correct);
                }
            }
        }
    }

    private static String mutateStateJson(Random random, byte[][] holder) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JSON.readValue(holder[0], Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parts = (List<Map<String, Object>>) json.get("parts");
        String[] keys = {"epoch", "parts", "best_epoch", "best_validation_loss", "history"};
        Object[] values = {null, "x", -1, 0, 1, 7, 2.5, List.of(), Map.of(), "NaN", true, List.of(1, 2), List.of(Map.of())};
        String what;
        switch (random.nextInt(4)) {
            case 0 -> {
                String key = keys[random.nextInt(keys.length)];
                Object value = values[random.nextInt(values.length)];
                json.put(key, value);
                what = key + " = " + value;
            }
            case 1 -> {
                String key = keys[random.nextInt(keys.length)];
                json.remove(key);
                what = "no " + key;
            }
            case 2 -> {
                String key = new String[] {"name", "params", "optimizer", "params_sha256", "optimizer_sha256"}[random.nextInt(5)];
                Object value = new Object[] {null, "", "../state.json", "epoch-0001.params", "/etc/passwd", 3, "state.json",
                        "0000"}[random.nextInt(8)];
                parts.get(0).put(key, value);
                what = "part " + key + " = " + value;
            }
            default -> {
                @SuppressWarnings("unchecked")
                List<Object> history = (List<Object>) json.get("history");
                Object value = values[random.nextInt(values.length)];
                history.set(random.nextInt(history.size()), value);
                what = "history row = " + value;
            }
        }
        holder[0] = JSON.writeValueAsBytes(json);
        return what;
    }

    /** run.json, the run's saved settings, as {@code --resume} reads them. */
    private static void fuzzRunFile(Random random, int cases) throws Exception {
        Path seedDir = caseDir("runfile-seed");
        RunDirectory.writeRunFile(seedDir, "task/mnist-cnn", dlbank.experiment.RunConfig.quickDefaults());
        byte[] seed = Files.readAllBytes(seedDir.resolve(RunDirectory.RUN_FILE));
        for (int c = 0; c < cases; c++) {
            Path dir = caseDir("runfile");
            byte[][] holder = {seed.clone()};
            String what = random.nextBoolean() ? mutateBytes(random, holder) : mutateJsonText(random, holder);
            if (random.nextInt(3) == 0) {
                String text = new String(seed, StandardCharsets.UTF_8);
                String[] keys = {"\"seed\"", "\"epochs\"", "\"quick\"", "\"config\"", "\"options\"", "\"patience\"", "\"device\""};
                String key = keys[random.nextInt(keys.length)];
                String[] values = {"\"x\"", "-5", "null", "[]", "{}", "1e400", "true"};
                String value = values[random.nextInt(values.length)];
                text = text.replaceFirst(java.util.regex.Pattern.quote(key) + "\\s*:\\s*[^,}\\n]*", key + " : " + value);
                holder[0] = text.getBytes(StandardCharsets.UTF_8);
                what = key + " : " + value;
            }
            Files.write(dir.resolve(RunDirectory.RUN_FILE), holder[0]);
            dlbank.experiment.RunConfig[] config = new dlbank.experiment.RunConfig[1];
            Ended ended = call(() -> config[0] = RunDirectory.readRunConfig(dir));
            record("run.json", what, ended, ended.exitCode() == 0 && config[0] != null
                    && JSON.readTree(holder[0]).path("config").path("seed").asLong() == config[0].seed());
        }
    }

    /** A few damaged checkpoints through {@code run --resume} itself: the same one line, the folder kept. */
    private static void fuzzResumeThroughTheCommandLine(Random random, int cases) throws Exception {
        for (int c = 0; c < cases; c++) {
            Path run = caseDir("resume");
            RunDirectory.writeRunFile(run, "task/mnist-cnn", dlbank.experiment.RunConfig.quickDefaults());
            Path checkpoint = Files.createDirectories(run.resolve("checkpoint"));
            try (var listing = Files.list(checkpointSeed)) {
                for (Path file : listing.toList()) {
                    Files.copy(file, checkpoint.resolve(file.getFileName()));
                }
            }
            String target = c % 3 == 0 ? "epoch-0002.params" : "state.json";
            byte[][] holder = {Files.readAllBytes(checkpoint.resolve(target))};
            String what = target + ": " + mutateBytes(random, holder);
            if (Arrays.equals(holder[0], Files.readAllBytes(checkpoint.resolve(target)))) {
                holder[0] = Arrays.copyOf(holder[0], holder[0].length / 2);
                what = target + ": cut in half";
            }
            // A cut that removes exactly an optional field (the timings an older checkpoint lacks) leaves a valid
            // checkpoint: resuming from it and finishing is the right outcome, not a failure to report.
            boolean harmless = target.equals("state.json")
                    && sameWithoutOptionalFields(Files.readAllBytes(checkpoint.resolve(target)), holder[0]);
            Files.write(checkpoint.resolve(target), holder[0]);
            Cli.Outcome outcome = Cli.dlbank("run", "task/mnist-cnn", "--resume", "--out", run.toString(),
                    "--data-dir", TestSupport.FIXTURES.toString());
            record("checkpoint via resume", what, outcome.exitCode(), outcome.err(), harmless);
            if (outcome.exitCode() != 0 && !outcome.err().contains("to start the run again")) {
                TALLIES.get("checkpoint via resume").other.add(what + ": does not say how to start again: " + outcome.err());
            }
            if (!harmless && !Files.exists(checkpoint.resolve("state.json")) && target.equals("state.json")) {
                TALLIES.get("checkpoint via resume").other.add(what + ": the checkpoint was removed");
            }
        }
    }

    /** True when both are JSON and equal once the history rows' optional timings are left out of both. */
    private static boolean sameWithoutOptionalFields(byte[] original, byte[] mutated) {
        try {
            ObjectMapper json = new ObjectMapper();
            return withoutOptionalFields(json.readTree(original)).equals(withoutOptionalFields(json.readTree(mutated)));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static JsonNode withoutOptionalFields(JsonNode state) {
        JsonNode copy = state.deepCopy();
        JsonNode history = copy.get("history");
        if (history != null && history.isArray()) {
            history.forEach(row -> {
                if (row instanceof com.fasterxml.jackson.databind.node.ObjectNode fields) {
                    fields.remove(List.of("validation_seconds", "gc_seconds"));
                }
            });
        }
        return copy;
    }

    // ---------------------------------------------------------------- quiz.json through quiz

    private static void fuzzQuiz(Random random, int cases) throws Exception {
        LeitnerSchedule schedule = LeitnerSchedule.empty();
        schedule.startSession();
        schedule.answer("concept/cnn", true);
        schedule.answer("concept/rnn", false);
        schedule.startSession();
        Path seedFile = caseDir("quiz-seed").resolve("quiz.json");
        QuizState.write(seedFile, schedule);
        byte[] seed = Files.readAllBytes(seedFile);
        InputStream stdin = System.in;
        try {
            for (int c = 0; c < cases; c++) {
                Path dlbankHome = caseDir("quiz");
                System.setProperty("dlbank.home", dlbankHome.toString());
                byte[][] holder = {seed.clone()};
                String what = random.nextBoolean() ? mutateBytes(random, holder) : mutateJsonText(random, holder);
                if (random.nextInt(4) == 0) {
                    String[] edits = {"\"box\" : 6", "\"box\" : 0", "\"box\" : -3", "\"box\" : \"2\"", "\"box\" : 2.5",
                            "\"box\" : null", "\"box\" : 1e10"};
                    String edit = edits[random.nextInt(edits.length)];
                    holder[0] = new String(seed, StandardCharsets.UTF_8).replaceFirst("\"box\" : \\d+", edit)
                            .getBytes(StandardCharsets.UTF_8);
                    what = edit;
                }
                Path file = dlbankHome.resolve("quiz.json");
                Files.write(file, holder[0]);
                System.setIn(new ByteArrayInputStream("q\n".getBytes(StandardCharsets.UTF_8)));
                Cli.Outcome outcome = Cli.dlbank("quiz", "--lang", "en");
                List<Path> kept;
                try (var listing = Files.list(dlbankHome)) {
                    kept = listing.filter(p -> p.getFileName().toString().startsWith("quiz.json.corrupt-")).toList();
                }
                boolean warned = outcome.err().contains("is not a readable quiz state");
                // Warned: exactly one line, the file kept byte for byte beside the fresh state. Not warned: read as it was.
                boolean correct = outcome.exitCode() == 0 && (warned
                        ? outcome.errLines().size() == 1 && kept.size() == 1 && Arrays.equals(Files.readAllBytes(kept.get(0)), holder[0])
                        && QuizState.read(file, w -> { }).session() == 1
                        : outcome.err().isBlank() && kept.isEmpty() && readsAsValid(holder[0])
                        && QuizState.read(file, w -> { }).session() == JSON.readTree(holder[0]).path("session").asInt(0) + 1);
                record("quiz.json", what, outcome.exitCode(), warned ? "" : outcome.err(), correct);
                if (warned && correct) {
                    Tally tally = TALLIES.get("quiz.json");
                    tally.correct--;
                    tally.clean++; // the one warning is the clean line
                }
            }
        } finally {
            System.setIn(stdin);
            System.setProperty("dlbank.home", home.resolve("dlbank-home").toString());
        }
    }

    private static boolean readsAsValid(byte[] bytes) {
        try {
            JsonNode json = JSON.readTree(bytes);
            return json != null && json.isObject() && (json.path("session").isMissingNode() || json.path("session").isInt());
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- report.json through show and predict

    private static void fuzzReports(Random random, int cases) throws Exception {
        byte[] seed = Files.readAllBytes(trainedRun.resolve(RunDirectory.REPORT_FILE));
        byte[] runFile = Files.readAllBytes(trainedRun.resolve(RunDirectory.RUN_FILE));
        digitPng = home.resolve("digit.png");
        ImageDataset test = ImageDataset.load(TestSupport.fixtureHome(), DataSet.MNIST, ImageDataset.Split.TEST, line -> { });
        ImageIO.write(CliTest.enlargedInverted(test, 0, 4, 20), "png", digitPng.toFile());
        String runs = System.getProperty("dlbank.runs");
        try {
            for (int c = 0; c < cases; c++) {
                Path root = caseDir("report");
                System.setProperty("dlbank.runs", root.toString());
                Path run = Files.createDirectories(root.resolve("task/mnist-cnn").resolve(trainedRun.getFileName()));
                Files.write(run.resolve(RunDirectory.RUN_FILE), runFile);
                Files.createSymbolicLink(run.resolve("model"), trainedRun.resolve("model"));
                byte[][] holder = {seed.clone()};
                String what = random.nextInt(3) == 0 ? mutateBytes(random, holder) : mutateReport(random, holder);
                Files.write(run.resolve(RunDirectory.REPORT_FILE), holder[0]);
                boolean show = c % 2 == 0;
                Cli.Outcome outcome = show ? Cli.dlbank("show", "task/mnist-cnn", "--lang", "en")
                        : Cli.dlbank("predict", "task/mnist-cnn", digitPng.toString());
                boolean correct = show ? outcome.out().contains("Measured on this machine")
                        && outcome.out().contains(run.resolve("report.json").toString())
                        : outcome.out().contains(digitPng + ": ") && outcome.out().contains(run.resolve("model").toString());
                record("report.json (" + (show ? "show" : "predict") + ")", what, outcome.exitCode(), outcome.err(), correct);
            }
        } finally {
            System.setProperty("dlbank.runs", runs);
        }
    }

    private static String mutateReport(Random random, byte[][] holder) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JSON.readValue(holder[0], Map.class);
        String[] keys = {"metrics", "claims", "seed", "default_setting", "user_config", "mode", "config", "experiment"};
        Object[] values = {null, "x", -1, 3.5, true, List.of(), Map.of(), List.of(1, "a"), Map.of("a", "b"),
                List.of(Map.of("held", "yes")), List.of(Map.of("text", 1, "held", 2)), Map.of("test_accuracy", "high"),
                Map.of("epochs", "many"), "full"};
        String key = keys[random.nextInt(keys.length)];
        String what;
        if (random.nextInt(4) == 0) {
            json.remove(key);
            what = "no " + key;
        } else if (key.equals("claims") && random.nextBoolean() && json.get("claims") instanceof List<?> claims && !claims.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> claim = (Map<String, Object>) claims.get(0);
            String field = new String[] {"held", "text", "text_zh", "measured"}[random.nextInt(4)];
            Object value = values[random.nextInt(values.length)];
            claim.put(field, value);
            what = "claim " + field + " = " + value;
        } else if (key.equals("metrics") && random.nextBoolean() && json.get("metrics") instanceof Map<?, ?> metrics) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) metrics;
            Object value = values[random.nextInt(values.length)];
            m.put("test_accuracy", value);
            what = "metric test_accuracy = " + value;
        } else {
            Object value = values[random.nextInt(values.length)];
            json.put(key, value);
            what = key + " = " + value;
        }
        holder[0] = random.nextInt(10) == 0 ? "null".getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(json);
        return what;
    }
}
