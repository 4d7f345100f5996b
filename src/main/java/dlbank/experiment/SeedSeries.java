package dlbank.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dlbank.UserException;
import dlbank.eval.SummaryStats;
import dlbank.report.AtomicFiles;
import dlbank.report.Charts;
import dlbank.report.RunDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One experiment run once per seed, and what the runs say together. The series lives in its own
 * folder, {@code runs/<id>/<yyyyMMdd-HHmmss>-seeds/}: {@code seeds.json} (the plan: seeds, settings,
 * and the run folder of each seed once started) and, when every seed has finished,
 * {@code summary.json} (per metric n, mean, standard deviation, range and 95% confidence interval;
 * the claims on the summary; how often each single-run claim held) and {@code strip.png}. Each
 * seed's run is an ordinary run folder beside it, so {@code show} and {@code predict} see it too.
 */
public final class SeedSeries {

    public static final String PLAN_FILE = "seeds.json";
    public static final String SUMMARY_FILE = "summary.json";
    private static final String SUFFIX = "-seeds";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int MAX_SEEDS = 50;

    private SeedSeries() {}

    /** "5": five seeds from {@code first} on; "1,2,7": those seeds. */
    public static List<Long> parse(String spec, long first) {
        List<Long> seeds = new ArrayList<>();
        try {
            if (spec.contains(",")) {
                for (String part : spec.split(",")) {
                    long seed = Long.parseLong(part.trim());
                    if (seeds.contains(seed)) {
                        throw UserException.usage("error.seeds.twice", spec, seed);
                    }
                    seeds.add(seed);
                }
            } else {
                int count = Integer.parseInt(spec.trim());
                for (int i = 0; i < count; i++) {
                    seeds.add(first + i);
                }
            }
        } catch (NumberFormatException e) {
            throw UserException.usage("error.seeds.format", spec);
        }
        if (seeds.size() < 2 || seeds.size() > MAX_SEEDS) {
            throw UserException.usage("error.seeds.count", spec, MAX_SEEDS, seeds.size());
        }
        return seeds;
    }

    /** A new series folder with its plan. */
    public static Path create(String experimentId, List<Long> seeds, RunConfig config) {
        Path root = RunDirectory.experimentRoot(experimentId);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(root);
            for (int attempt = 1; ; attempt++) {
                Path dir = root.resolve(stamp + (attempt == 1 ? "" : "-" + attempt) + SUFFIX);
                try {
                    Files.createDirectory(dir);
                    Map<String, Object> plan = new LinkedHashMap<>();
                    plan.put("experiment", experimentId);
                    plan.put("seeds", seeds);
                    plan.put("config", config.toMap());
                    plan.put("runs", new LinkedHashMap<String, String>());
                    plan.put("started", OffsetDateTime.now().toString());
                    writeJson(dir.resolve(PLAN_FILE), plan);
                    return dir;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // Two series in one second: take the next suffix.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create a series folder under " + root, e);
        }
    }

    public static boolean isSeries(Path dir) {
        return Files.isRegularFile(dir.resolve(PLAN_FILE));
    }

    public static boolean isFinished(Path dir) {
        return Files.isRegularFile(dir.resolve(SUMMARY_FILE));
    }

    /** The newest series of the experiment that has not written its summary. */
    public static Optional<Path> latestUnfinished(String experimentId) {
        return folders(experimentId).stream().filter(dir -> !isFinished(dir)).findFirst();
    }

    /** The newest finished series of the experiment. */
    public static Optional<Path> latestFinished(String experimentId) {
        return folders(experimentId).stream().filter(SeedSeries::isFinished).findFirst();
    }

    private static List<Path> folders(String experimentId) {
        return RunDirectory.allFolders(experimentId).stream().filter(SeedSeries::isSeries).toList();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readPlan(Path dir) {
        return (Map<String, Object>) readJson(dir.resolve(PLAN_FILE));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readSummary(Path dir) {
        return (Map<String, Object>) readJson(dir.resolve(SUMMARY_FILE));
    }

    /** Records which run folder a seed's run went to, before it starts, so --resume finds it. */
    @SuppressWarnings("unchecked")
    public static void recordRun(Path dir, long seed, Path runDir) {
        Map<String, Object> plan = readPlan(dir);
        ((Map<String, Object>) plan.get("runs")).put(Long.toString(seed), runDir.getFileName().toString());
        writeJson(dir.resolve(PLAN_FILE), plan);
    }

    /**
     * Summarises the finished runs' reports (in seed order): statistics of every metric all runs
     * share, the experiment's claims on the summary, and how often each single-run claim held.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> summarize(Path dir, Experiment experiment, RunConfig config,
                                                List<Map<String, Object>> reports) {
        Map<String, SummaryStats> stats = new LinkedHashMap<>();
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> first = (Map<String, Object>) reports.get(0).get("metrics");
        for (String name : first.keySet()) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Object> report : reports) {
                Object value = ((Map<String, Object>) report.get("metrics")).get(name);
                if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                    values.add(number.doubleValue());
                }
            }
            if (values.size() == reports.size()) {
                SummaryStats summary = SummaryStats.of(values);
                stats.put(name, summary);
                Map<String, Object> entry = new LinkedHashMap<>(summary.toMap());
                entry.put("values", values);
                metrics.put(name, entry);
            }
        }
        List<Object> seeds = reports.stream().map(report -> report.get("seed")).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", experiment.id());
        summary.put("seeds", seeds);
        summary.put("mode", config.quick() ? "quick" : "full");
        summary.put("config", config.toMap());
        summary.put("metrics", metrics);
        summary.put("claims", claimMaps(experiment.summaryClaims(stats, config)));
        summary.put("per_seed_claims", tallies(reports));
        summary.put("finished", OffsetDateTime.now().toString());
        List<String> headline = experiment.headlineMetrics().stream().filter(stats::containsKey).toList();
        if (!headline.isEmpty()) {
            Charts.strip(dir.resolve("strip.png"), experiment.id() + ": one point per seed (" + reports.size()
                    + " seeds); line = mean", headline, headline.stream().map(name -> values(stats, metrics, name)).toList());
            summary.put("artifacts", List.of("strip.png"));
        }
        writeJson(dir.resolve(SUMMARY_FILE), summary);
        return summary;
    }

    @SuppressWarnings("unchecked")
    private static double[] values(Map<String, SummaryStats> stats, Map<String, Object> metrics, String name) {
        return ((List<Double>) ((Map<String, Object>) metrics.get(name)).get("values")).stream()
                .mapToDouble(Double::doubleValue).toArray();
    }

    /** For each single-run claim (matched by position and text): in how many seeds it held. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tallies(List<Map<String, Object>> reports) {
        List<Map<String, Object>> tallies = new ArrayList<>();
        List<Map<String, Object>> firstClaims = (List<Map<String, Object>>) reports.get(0).get("claims");
        for (int i = 0; i < firstClaims.size(); i++) {
            int held = 0;
            int checked = 0;
            for (Map<String, Object> report : reports) {
                List<Map<String, Object>> claims = (List<Map<String, Object>>) report.get("claims");
                if (i < claims.size() && claims.get(i).get("held") != null) {
                    checked++;
                    held += Boolean.TRUE.equals(claims.get(i).get("held")) ? 1 : 0;
                }
            }
            Map<String, Object> tally = new LinkedHashMap<>();
            tally.put("text", firstClaims.get(i).get("text"));
            tally.put("text_zh", firstClaims.get(i).get("text_zh"));
            tally.put("held_in", held);
            tally.put("checked_in", checked);
            tally.put("runs", reports.size());
            tallies.add(tally);
        }
        return tallies;
    }

    private static List<Map<String, Object>> claimMaps(List<Claim> claims) {
        return claims.stream().map(dlbank.report.ReportWriter::claimMap).toList();
    }

    private static void writeJson(Path file, Object value) {
        AtomicFiles.write(file, out -> JSON.writeValue(out, value));
    }

    private static Object readJson(Path file) {
        try {
            return JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw UserException.input("error.file.unreadable", file, UserException.reason(e));
        }
    }
}
