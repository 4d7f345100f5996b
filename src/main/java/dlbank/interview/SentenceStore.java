package dlbank.interview;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vectors of the bank's own sentences (statements, their clauses, paraphrases, contraries, red
 * flags), computed ahead by the sentence encoder and stored in the jar as
 * {@code grader/<model>.sentences.bin}, so that grading does not encode them again in every JVM.
 *
 * <p>The file is made from the bank by {@code scripts/store-sentences} (this class's {@link #main});
 * {@code SentenceStoreTest} fails when the bank holds a sentence the file lacks, or when a stored vector
 * is not what the model gives now. A sentence missing from the file is still encoded on first use,
 * so a stale file costs time, never a wrong grade.
 *
 * <p>Format: "dlbank-sentences 1", the model's name, the dimension, the count, then per sentence its
 * UTF-8 text and its floats (big-endian).
 */
final class SentenceStore {

    private static final String MAGIC = "dlbank-sentences 1";

    private SentenceStore() {
    }

    static String resourceName(String model) {
        return "grader/" + model + ".sentences.bin";
    }

    /** The stored vectors for the model, empty when the jar has none. */
    static Map<String, float[]> read(String model) {
        Map<String, float[]> vectors = new HashMap<>();
        try (InputStream in = SentenceStore.class.getClassLoader().getResourceAsStream(resourceName(model))) {
            if (in == null) {
                return vectors;
            }
            DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(in.readAllBytes()));
            if (!data.readUTF().equals(MAGIC) || !data.readUTF().equals(model)) {
                return vectors; // another format or another model: encode afresh
            }
            int dimension = data.readInt();
            int count = data.readInt();
            byte[] bytes = new byte[dimension * Float.BYTES];
            for (int i = 0; i < count; i++) {
                String text = data.readUTF();
                data.readFully(bytes);
                float[] vector = new float[dimension];
                java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(vector);
                vectors.put(text, vector);
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resourceName(model) + ": " + e.getMessage(), e);
        }
    }

    /** Every sentence the grader encodes for the bank's entries in the language, in bank order. */
    static List<String> bankSentences(Bank bank, String language) {
        Set<String> texts = new LinkedHashSet<>();
        for (BankEntry entry : bank.entries(language)) {
            KeyPoints keyPoints = KeyPoints.of(entry);
            texts.addAll(Grader.ModelSentences.of(entry.id(), language, keyPoints).texts);
        }
        return List.copyOf(texts);
    }

    /**
     * Encodes the bank's sentences afresh, entry by entry in bank order as a JVM that grades each entry
     * once would (the int8 model scales activations over its batch, so a sentence's vector depends a
     * little on its batch), and writes them, atomically, to {@code directory}.
     */
    static Path write(Path directory, String language) throws IOException {
        String model = SentenceEncoder.modelName(language);
        SentenceEncoder encoder = SentenceEncoder.forLanguage(language);
        encoder.forget();
        List<String> texts = bankSentences(Bank.load(), language);
        float[][] vectors = encoder.encodeKept(texts);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeUTF(MAGIC);
            out.writeUTF(model);
            out.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
            out.writeInt(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                out.writeUTF(texts.get(i));
                for (float value : vectors[i]) {
                    out.writeFloat(value);
                }
            }
        }
        Path file = directory.resolve(resourceName(model));
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".sentences", ".tmp");
        Files.write(temporary, buffer.toByteArray());
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** {@code SentenceStore <resources directory>}: rewrites both languages' files. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SentenceStore RESOURCES_DIRECTORY (src/main/resources)");
            System.exit(2);
        }
        for (String language : List.of("en", "zh")) {
            Path file = write(Path.of(args[0]), language);
            System.out.printf("%s: %s, %,d bytes%n", language, file, Files.size(file));
        }
    }
}
