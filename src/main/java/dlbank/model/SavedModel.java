package dlbank.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.UserException;
import dlbank.report.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A trained model in a run folder: {@code model/<name>-0000.params} (DJL's format) beside
 * {@code architecture.json}, which says which block the parameters belong to. DJL loads parameters
 * of a different width silently, so the architecture is checked before loading.
 */
public final class SavedModel {

    public static final String ARCHITECTURE_FILE = "architecture.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SavedModel() {}

    /** Writes something more into the model folder before it is moved into place. */
    @FunctionalInterface
    public interface ExtraFiles {
        void writeInto(Path dir) throws IOException;
    }

    /** Writes the model into {@code dir} (created whole, via a temporary sibling and a rename). */
    public static void save(Model model, Path dir, String architecture, long parameters) {
        save(model, dir, architecture, parameters, Map.of(), folder -> { });
    }

    /**
     * As above, with the settings needed to rebuild the block and to prepare inputs (kept in
     * architecture.json under "settings") and extra files such as a vocabulary.
     */
    public static void save(Model model, Path dir, String architecture, long parameters, Map<String, Object> settings,
                            ExtraFiles extra) {
        Path temp = dir.resolveSibling("." + dir.getFileName() + ".tmp");
        try {
            AtomicFiles.deleteTree(temp);
            Files.createDirectories(temp);
            model.setProperty("Epoch", "0");
            model.save(temp, architecture);
            extra.writeInto(temp);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("architecture", architecture);
            json.put("parameters", parameters);
            json.put("name", architecture);
            json.put("settings", settings);
            AtomicFiles.write(temp.resolve(ARCHITECTURE_FILE), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, json));
            AtomicFiles.deleteTree(dir);
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw UserException.input("error.write.failed", dir, UserException.reason(e), e);
        }
    }

    /**
     * Loads a saved model whose architecture.json names {@code architecture}, into a fresh block of
     * that architecture. Fails with one line if the folder is not such a model.
     */
    public static Model load(Path dir, String architecture, Supplier<Block> blockFactory, Device device) {
        Map<String, Object> json = readArchitecture(dir);
        if (!architecture.equals(json.get("architecture"))) {
            throw UserException.input("error.model.wrong-architecture", dir, json.get("architecture"), architecture);
        }
        Model model = Model.newInstance(architecture, device);
        model.setBlock(blockFactory.get());
        try {
            model.load(dir, (String) json.get("name"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw UserException.input("error.model.cannot-load", dir, UserException.reason(e));
        }
        return model;
    }

    /** The architecture name the saved model declares. */
    public static String architecture(Path dir) {
        return (String) readArchitecture(dir).get("architecture");
    }

    /** The settings saved with the model (empty for models saved without any). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> settings(Path dir) {
        Object settings = readArchitecture(dir).get("settings");
        return settings instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readArchitecture(Path dir) {
        Path archFile = dir.resolve(ARCHITECTURE_FILE);
        if (!Files.isRegularFile(archFile)) {
            throw UserException.input("error.model.not-saved-model", dir, ARCHITECTURE_FILE);
        }
        try {
            Map<String, Object> json = JSON.readValue(archFile.toFile(), Map.class);
            if (json == null || !(json.get("architecture") instanceof String) || !(json.get("name") instanceof String)) {
                throw UserException.input("error.model.not-description", archFile);
            }
            return json;
        } catch (IOException e) {
            throw UserException.input("error.file.unreadable", archFile, UserException.reason(e));
        }
    }
}
