package dlbank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.UserException;
import dlbank.report.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a fit loop after a finished epoch, in a folder: the parameters and optimizer state
 * of that epoch in their own files, then {@code state.json} naming them. {@code state.json} is
 * written last and atomically, so a run killed at any moment leaves the previous complete epoch
 * readable; older epoch files are removed only after the new state names the new ones.
 */
public final class Checkpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE = "state.json";
    private static final String BEST = "best.params";

    private final Path dir;

    public Checkpoint(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public boolean exists() {
        return Files.isRegularFile(dir.resolve(STATE));
    }

    /** What the loop needs to continue: the last finished epoch, its history, the best so far. */
    public record State(int epoch, List<Map<String, Object>> history, int bestEpoch, double bestValidationLoss) {}

    /**
     * One network of the checkpoint and its optimizer (null for a network no optimizer trains, such
     * as an average of another's weights); the name tells the files apart ("" for a lone network).
     */
    public record Part(String name, Block block, CheckpointedAdam optimizer) {}

    public void save(State state, Block block, CheckpointedAdam optimizer) {
        save(state, List.of(new Part("", block, optimizer)));
    }

    /**
     * Writes every part's parameters and optimizer state for the epoch, then state.json naming them
     * all, then removes the previous epoch's files: a kill at any moment leaves one complete epoch.
     */
    public void save(State state, List<Part> parts) {
        String stem = String.format("epoch-%04d", state.epoch());
        List<Map<String, Object>> files = new ArrayList<>();
        for (Part part : parts) {
            String base = stem + (part.name().isEmpty() ? "" : "-" + part.name());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", part.name());
            entry.put("params", base + ".params");
            entry.put("params_sha256", sha256(AtomicFiles.write(dir.resolve(base + ".params"),
                    out -> writeParameters(part.block(), out))));
            if (part.optimizer() != null) {
                entry.put("optimizer", base + ".optimizer");
                entry.put("optimizer_sha256", sha256(AtomicFiles.write(dir.resolve(base + ".optimizer"), out -> {
                    DataOutputStream data = new DataOutputStream(out);
                    part.optimizer().save(data, names(part.block())::get);
                    data.flush();
                })));
            }
            files.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epoch", state.epoch());
        json.put("parts", files);
        json.put("best_epoch", state.bestEpoch());
        json.put("best_validation_loss", state.bestValidationLoss());
        json.put("history", state.history());
        AtomicFiles.write(dir.resolve(STATE), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, json));
        removeOlderThan(stem);
    }

    /** Saves the parameters of the best epoch so far, for early stopping to return to. */
    public void saveBest(Block block) {
        AtomicFiles.write(dir.resolve(BEST), out -> writeParameters(block, out));
    }

    public void loadBest(Block block, NDManager manager) {
        loadParameters(dir.resolve(BEST), block, manager);
    }

    /** Loads the last complete epoch into the block and the optimizer and returns its state. */
    public State restore(Block block, CheckpointedAdam optimizer, NDManager manager) {
        return restore(List.of(new Part("", block, optimizer)), manager);
    }

    /**
     * Loads the last complete epoch into every part and returns its state. A checkpoint that cannot be
     * read (corrupt, cut short, from another model) fails with one line that says how to start again.
     */
    public State restore(List<Part> parts, NDManager manager) {
        try {
            return restoreOrFail(parts, manager);
        } catch (UserException e) {
            throw UserException.input("error.checkpoint.start-again", e.text(), dir, e);
        } catch (RuntimeException e) {
            // What a damaged file makes the decoders throw (a bad length, an unknown data type, ...).
            throw UserException.input("error.checkpoint.start-again",
                    dlbank.i18n.Messages.text("error.checkpoint.incomplete", dir.resolve(STATE), UserException.reason(e)), dir, e);
        }
    }

    @SuppressWarnings("unchecked")
    private State restoreOrFail(List<Part> parts, NDManager manager) {
        Map<String, Object> json;
        try {
            json = JSON.readValue(dir.resolve(STATE).toFile(), Map.class);
        } catch (IOException e) {
            throw UserException.input("error.checkpoint.unreadable", dir.resolve(STATE), UserException.reason(e));
        }
        try {
            List<Map<String, Object>> files = (List<Map<String, Object>>) json.get("parts");
            int epoch = ((Number) json.get("epoch")).intValue();
            List<Map<String, Object>> history = new ArrayList<>((List<Map<String, Object>>) json.get("history"));
            int bestEpoch = ((Number) json.get("best_epoch")).intValue();
            double bestLoss = number(json.get("best_validation_loss"));
            if (epoch < 1 || history.size() != epoch || bestEpoch < 0 || bestEpoch > epoch) {
                throw UserException.input("error.checkpoint.incomplete", dir.resolve(STATE),
                        "epoch " + epoch + ", " + history.size() + " history rows, best epoch " + bestEpoch);
            }
            for (Object row : history) {
                if (!(row instanceof Map<?, ?> map) || !(map.get("epoch") instanceof Number)) {
                    throw UserException.input("error.checkpoint.incomplete", dir.resolve(STATE), "a history row " + row);
                }
            }
            for (Part part : parts) {
                Map<String, Object> entry = files.stream().filter(file -> part.name().equals(file.get("name")))
                        .findFirst().orElseThrow(() -> UserException.input("error.checkpoint.no-part",
                                dir.resolve(STATE), part.name()));
                loadParameters(verified(entry, "params"), part.block(), manager);
                if (part.optimizer() != null) {
                    loadOptimizer(verified(entry, "optimizer"), part, manager);
                }
            }
            return new State(epoch, history, bestEpoch, bestLoss);
        } catch (ClassCastException | NullPointerException | NumberFormatException e) {
            throw UserException.input("error.checkpoint.incomplete", dir.resolve(STATE), UserException.reason(e));
        }
    }

    /**
     * The SHA-256 of a written file's content, which state.json records: a file damaged later (a bad
     * disk, a copy cut short) is refused on resume instead of loading wrong weights.
     */
    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file the entry names under {@code key}, checked against its recorded SHA-256 (older checkpoints have none). */
    private Path verified(Map<String, Object> entry, String key) {
        Path file = inside((String) entry.get(key));
        Object expected = entry.get(key + "_sha256");
        if (expected != null) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw UserException.input("error.checkpoint.cannot-load", file, UserException.reason(e));
            }
            if (!sha256(bytes).equals(expected)) {
                throw UserException.input("error.checkpoint.changed", file);
            }
        }
        return file;
    }

    /** A file the state names: a plain name inside the checkpoint folder, nothing else. */
    private Path inside(String name) {
        if (name == null) {
            throw UserException.input("error.checkpoint.incomplete", dir.resolve(STATE), "a part names no file");
        }
        Path file = dir.resolve(name).normalize();
        if (name.isEmpty() || !dir.normalize().equals(file.getParent())) {
            throw UserException.input("error.checkpoint.incomplete", dir.resolve(STATE), "names the file '" + name + "'");
        }
        return file;
    }

    /** A JSON number, or the "NaN" / "Infinity" strings Jackson writes for those values. */
    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.parseDouble(String.valueOf(value));
    }

    private void loadOptimizer(Path file, Part part, NDManager manager) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            Map<String, String> idsByName = new java.util.HashMap<>();
            names(part.block()).forEach((id, name) -> idsByName.put(name, id));
            part.optimizer().load(in, manager, name -> {
                String id = idsByName.get(name);
                if (id == null) {
                    throw UserException.input("error.checkpoint.unknown-parameter", dir, name);
                }
                return id;
            });
        } catch (IOException e) {
            throw UserException.input("error.checkpoint.cannot-load", file, UserException.reason(e));
        }
    }

    /** Parameter id (random per run) to its stable path in the block, e.g. "01Conv2d_weight". */
    private static Map<String, String> names(Block block) {
        Map<String, String> names = new java.util.HashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            names.put(parameter.getValue().getId(), parameter.getKey());
        }
        return names;
    }

    /** The block's parameter values in block order, as one encoded NDList. */
    private static void writeParameters(Block block, java.io.OutputStream out) throws IOException {
        NDList values = new NDList();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            values.add(parameter.getValue().getArray());
        }
        out.write(values.encode());
    }

    /**
     * Copies saved values into the block's existing parameter arrays. In place, not by replacing the
     * arrays: a trainer caches the arrays it updates when it is initialised, and DJL's
     * {@code Block.loadParameters} would leave it training the old ones.
     */
    private static void loadParameters(Path file, Block block, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDList values = NDList.decode(scratch, Files.readAllBytes(file));
            ai.djl.util.PairList<String, Parameter> parameters = block.getParameters();
            if (values.size() != parameters.size()) {
                throw UserException.input("error.checkpoint.parameter-count", file, values.size(),
                        parameters.size());
            }
            for (int i = 0; i < values.size(); i++) {
                NDArray live = parameters.valueAt(i).getArray();
                if (!live.getShape().equals(values.get(i).getShape())) {
                    throw UserException.input("error.checkpoint.parameter-shape", file, parameters.keyAt(i),
                            values.get(i).getShape(), live.getShape());
                }
                live.set(new ai.djl.ndarray.index.NDIndex(":"), values.get(i));
            }
        } catch (IOException e) {
            throw UserException.input("error.checkpoint.cannot-load", file, UserException.reason(e));
        }
    }

    private void removeOlderThan(String keepStem) {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("epoch-") && !name.startsWith(keepStem)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
