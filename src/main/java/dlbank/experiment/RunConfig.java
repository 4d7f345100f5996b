package dlbank.experiment;

import dlbank.UserException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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
 * @param options the experiment's own choices that the user set, e.g. {@code cell=lstm}, {@code length=300};
 *                each experiment names the ones it takes ({@link Experiment#options()})
 */
public record RunConfig(long seed, Integer epochs, Integer batchSize, boolean quick, String device, int patience,
                        Map<String, String> options) {

    public RunConfig {
        options = Map.copyOf(options);
    }

    public static RunConfig quickDefaults() {
        return new RunConfig(42, null, null, true, "auto", 0, Map.of());
    }

    public int epochsOr(int fallback) {
        return epochs != null ? epochs : fallback;
    }

    public int batchSizeOr(int fallback) {
        return batchSize != null ? batchSize : fallback;
    }

    /** The option's value, or the fallback when the user did not set it. */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** A whole-number option, checked to lie in [min, max]. */
    public int intOption(String name, int fallback, int min, int max) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw UserException.usage("error.option.range", name, min, max, parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw UserException.usage("error.option.not-integer", name, value);
        }
    }

    /** A decimal option, checked to lie in [min, max]. */
    public double doubleOption(String name, double fallback, double min, double max) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (!(parsed >= min && parsed <= max)) {
                throw UserException.usage("error.option.range", name, min, max, value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw UserException.usage("error.option.not-number", name, value);
        }
    }

    /** True when nothing but the seed and the device differs from the experiment's full-mode defaults. */
    public boolean isDefaultSetting() {
        return !quick && epochs == null && batchSize == null && patience == 0 && options.isEmpty();
    }

    public RunConfig withSeed(long newSeed) {
        return new RunConfig(newSeed, epochs, batchSize, quick, device, patience, options);
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
        map.put("options", new TreeMap<>(options));
        return map;
    }

    @SuppressWarnings("unchecked")
    public static RunConfig fromMap(Map<String, Object> map) {
        Map<String, String> options = new LinkedHashMap<>();
        if (map.get("options") instanceof Map<?, ?> saved) {
            saved.forEach((key, value) -> options.put(String.valueOf(key), String.valueOf(value)));
        }
        return new RunConfig(
                ((Number) map.get("seed")).longValue(),
                map.get("epochs") == null ? null : ((Number) map.get("epochs")).intValue(),
                map.get("batch_size") == null ? null : ((Number) map.get("batch_size")).intValue(),
                Boolean.TRUE.equals(map.get("quick")),
                (String) map.getOrDefault("device", "auto"),
                map.get("patience") == null ? 0 : ((Number) map.get("patience")).intValue(),
                options);
    }
}
