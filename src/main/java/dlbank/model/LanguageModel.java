package dlbank.model;

import ai.djl.Device;
import ai.djl.Model;
import dlbank.UserException;
import dlbank.data.BytePairEncoding;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained decoder-only language model with the byte-pair encoding it reads and writes: what
 * lab/llm-decoding saves, and what {@code dlbank predict lab/llm-decoding} and lab/post-training load.
 */
public final class LanguageModel implements AutoCloseable {

    public static final String ARCHITECTURE = "decoder-lm";
    private static final String ENCODING_FILE = "bpe.txt";

    private final Model model;
    private final BytePairEncoding encoding;
    private final boolean owned;

    private LanguageModel(Model model, BytePairEncoding encoding, boolean owned) {
        this.model = model;
        this.encoding = encoding;
        this.owned = owned;
    }

    /** A model being trained in this run, with its encoding; closing this does not close the model. */
    public static LanguageModel of(Model model, BytePairEncoding encoding) {
        return new LanguageModel(model, encoding, false);
    }

    public Model model() {
        return model;
    }

    public Transformer block() {
        return (Transformer) model.getBlock();
    }

    public Transformer.Config config() {
        return block().config();
    }

    public BytePairEncoding encoding() {
        return encoding;
    }

    /** Writes the model, its architecture and its encoding into {@code dir}. */
    public void save(Path dir, Map<String, Object> measured) {
        Transformer.Config config = config();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("vocabulary", config.vocabulary());
        settings.put("width", config.width());
        settings.put("heads", config.heads());
        settings.put("layers", config.layers());
        settings.put("feed_forward", config.feedForward());
        settings.put("max_length", config.maxLength());
        settings.put("positions", config.positions().id());
        settings.put("norm", config.norm().id());
        settings.putAll(measured);
        SavedModel.save(model, dir, ARCHITECTURE, ParameterCount.of(model.getBlock()), settings,
                folder -> encoding.save(folder.resolve(ENCODING_FILE)));
    }

    /** Loads what {@link #save} wrote; one line if the folder is not such a model. */
    public static LanguageModel load(Path dir, Device device) {
        Map<String, Object> settings = SavedModel.settings(dir);
        Transformer.Config config;
        try {
            config = new Transformer.Config(number(settings, "vocabulary"), number(settings, "width"),
                    number(settings, "heads"), number(settings, "layers"), number(settings, "feed_forward"),
                    number(settings, "max_length"), Transformer.Positions.parse((String) settings.get("positions")),
                    Transformer.Norm.valueOf(((String) settings.get("norm")).toUpperCase(java.util.Locale.ROOT)),
                    true, true);
        } catch (RuntimeException e) {
            throw UserException.input("error.model.incomplete-settings", dir.resolve(SavedModel.ARCHITECTURE_FILE),
                    ARCHITECTURE, e.getMessage());
        }
        BytePairEncoding encoding = BytePairEncoding.load(dir.resolve(ENCODING_FILE));
        if (encoding.size() != config.vocabulary()) {
            throw UserException.input("error.model.vocabulary-size", dir, encoding.size(), config.vocabulary());
        }
        return new LanguageModel(SavedModel.load(dir, ARCHITECTURE, () -> new Transformer(config), device), encoding, true);
    }

    private static int number(Map<String, Object> settings, String key) {
        return ((Number) settings.get(key)).intValue();
    }

    @Override
    public void close() {
        if (owned) {
            model.close();
        }
    }
}
