package dlbank.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlbank.UserException;
import dlbank.data.TextTokenizer;
import dlbank.data.Vocabulary;
import dlbank.eval.Predictions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained IMDb sentiment classifier with everything needed to read new text the way its training
 * reviews were read: the vocabulary, the length and which end of a long review is kept.
 */
public final class SentimentModel implements AutoCloseable {

    public static final String ARCHITECTURE = "imdb-rnn";
    private static final String VOCABULARY_FILE = "vocabulary.txt";

    /** How text becomes ids: the same for training and for {@code predict}. */
    public record Encoding(int length, Vocabulary.Truncation truncation) {}

    private final Model model;
    private final Vocabulary vocabulary;
    private final Encoding encoding;
    private final TextClassifier.Config config;

    private SentimentModel(Model model, Vocabulary vocabulary, Encoding encoding, TextClassifier.Config config) {
        this.model = model;
        this.vocabulary = vocabulary;
        this.encoding = encoding;
        this.config = config;
    }

    public TextClassifier.Config config() {
        return config;
    }

    public Encoding encoding() {
        return encoding;
    }

    /** Saves a trained classifier with its vocabulary and encoding into {@code dir}. */
    public static void save(Model model, Path dir, Vocabulary vocabulary, Encoding encoding, long parameters) {
        TextClassifier.Config config = ((TextClassifier) model.getBlock()).config();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("cell", config.cell().id());
        settings.put("pooling", config.pooling().id());
        settings.put("vocabulary_size", config.vocabularySize());
        settings.put("embedding", config.embeddingSize());
        settings.put("hidden", config.hiddenSize());
        settings.put("dropout", config.dropout());
        settings.put("length", encoding.length());
        settings.put("truncation", encoding.truncation().name());
        SavedModel.save(model, dir, ARCHITECTURE, parameters, settings,
                folder -> vocabulary.save(folder.resolve(VOCABULARY_FILE)));
    }

    /** Loads what {@link #save} wrote; one line if the folder is not such a model. */
    public static SentimentModel load(Path dir, Device device) {
        Map<String, Object> settings = SavedModel.settings(dir);
        TextClassifier.Config config;
        Encoding encoding;
        try {
            config = new TextClassifier.Config(TextClassifier.Cell.parse((String) settings.get("cell")),
                    TextClassifier.Pooling.parse((String) settings.get("pooling")),
                    ((Number) settings.get("vocabulary_size")).intValue(), ((Number) settings.get("embedding")).intValue(),
                    ((Number) settings.get("hidden")).intValue(),
                    ((Number) settings.getOrDefault("dropout", 0)).floatValue());
            encoding = new Encoding(((Number) settings.get("length")).intValue(),
                    Vocabulary.Truncation.valueOf((String) settings.get("truncation")));
        } catch (RuntimeException e) {
            throw UserException.input("error.model.incomplete-settings", dir.resolve(SavedModel.ARCHITECTURE_FILE),
                    ARCHITECTURE, e.getMessage());
        }
        Vocabulary vocabulary = Vocabulary.load(dir.resolve(VOCABULARY_FILE));
        if (vocabulary.size() != config.vocabularySize()) {
            throw UserException.input("error.model.vocabulary-size", dir, vocabulary.size(), config.vocabularySize());
        }
        Model model = SavedModel.load(dir, ARCHITECTURE, () -> new TextClassifier(config), device);
        return new SentimentModel(model, vocabulary, encoding, config);
    }

    /** The probability that each text is positive. Texts without a single token are refused. */
    public float[] positiveProbabilities(List<String> texts) {
        int length = encoding.length();
        int[] ids = new int[texts.size() * length];
        for (int i = 0; i < texts.size(); i++) {
            List<String> tokens = TextTokenizer.tokenize(texts.get(i));
            if (tokens.isEmpty()) {
                throw texts.get(i).isBlank() ? UserException.input("error.text.empty", i + 1)
                        : UserException.input("error.text.no-words", i + 1, abbreviate(texts.get(i)));
            }
            System.arraycopy(vocabulary.encode(tokens, length, encoding.truncation()), 0, ids, i * length, length);
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray batch = manager.create(ids, new Shape(texts.size(), length));
            return Predictions.positiveProbabilities(model.getBlock(), manager, batch, 256);
        }
    }

    /** How many of the text's tokens the vocabulary knows, and how many it has. */
    public int[] knownTokens(String text) {
        List<String> tokens = TextTokenizer.tokenize(text);
        int known = (int) tokens.stream().filter(token -> vocabulary.idOf(token) != Vocabulary.UNKNOWN).count();
        return new int[] {known, tokens.size()};
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 40 ? flat : flat.substring(0, 37) + "...";
    }

    @Override
    public void close() {
        model.close();
    }
}
