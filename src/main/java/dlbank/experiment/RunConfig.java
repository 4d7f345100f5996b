package dlbank.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the user asked for on the command line. Unset numbers are null, and each experiment falls
 * back to its own defaults (the ones its bank entry specifies).
 *
 * @param seed seeds weight initialisation, shuffling and every random choice
 * @param epochs passes over the training data, or null for the experiment's default
 * @param batchSize examples per gradient step, or null for the experiment's default
 * @param quick small data and few steps: seconds instead of minutes (tests and CI)
 * @param device "auto", "cpu" or "gpu"
 * @param patience stop after this many epochs without a better validation loss; 0 = never
 */
public record RunConfig(long seed, Integer epochs, Integer batchSize, boolean quick, String device, int patience) {

    public static RunConfig quickDefaults() {
        return new RunConfig(42, null, null, true, "auto", 0);
    }

    public int epochsOr(int fallback) {
        return epochs != null ? epochs : fallback;
    }

    public int batchSizeOr(int fallback) {
        return batchSize != null ? batchSize : fallback;
    }

    /** The fields as written into report.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("seed", seed);
        map.put("epochs", epochs);
        map.put("batch_size", batchSize);
        map.put("quick", quick);
        map.put("device", device);
        map.put("patience", patience);
        return map;
    }

    public static RunConfig fromMap(Map<String, Object> map) {
        return new RunConfig(
                ((Number) map.get("seed")).longValue(),
                map.get("epochs") == null ? null : ((Number) map.get("epochs")).intValue(),
                map.get("batch_size") == null ? null : ((Number) map.get("batch_size")).intValue(),
                Boolean.TRUE.equals(map.get("quick")),
                (String) map.getOrDefault("device", "auto"),
                map.get("patience") == null ? 0 : ((Number) map.get("patience")).intValue());
    }
}
