package dlbank.interview;

import dlbank.bank.BankEntry;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.SeedSeries;
import dlbank.report.RunDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest measured evidence for an entry: for each experiment its front matter names, the newest
 * finished run or summary of several seeds under {@code runs/}, with its headline metrics and its
 * claims (in the entry's language), or why there is none.
 *
 * @param status whether there is a measurement, no run yet, or no experiment yet
 * @param source the run or series folder, or null
 * @param seeds how many seeds the numbers summarise (1 for a single run; 0 without a measurement)
 * @param metrics headline metrics (means over the seeds for a series)
 */
public record Evidence(String experimentId, Status status, Path source, int seeds, Map<String, Double> metrics,
                       List<Claim> claims) {

    /** Whether there is something measured to show. */
    public enum Status { MEASURED, NO_RUN, NOT_AVAILABLE }

    /** A claim of the answer and whether the run held it (null: not checked at that size). */
    public record Claim(String text, Boolean held) {}

    private static final int MAX_METRICS = 4;

    /** One item per experiment the entry names, in the entry's order. */
    public static List<Evidence> latest(BankEntry entry) {
        boolean zh = entry.language().equals("zh");
        List<Evidence> evidence = new ArrayList<>();
        for (String experimentId : entry.experiments()) {
            Experiment experiment = ExperimentRegistry.find(experimentId).orElse(null);
            if (experiment == null) {
                evidence.add(new Evidence(experimentId, Status.NOT_AVAILABLE, null, 0, Map.of(), List.of()));
                continue;
            }
            Path newest = RunDirectory.allFolders(experimentId).stream()
                    .filter(dir -> SeedSeries.isSeries(dir) ? SeedSeries.isFinished(dir) : RunDirectory.isFinished(dir))
                    .findFirst().orElse(null);
            if (newest == null) {
                evidence.add(new Evidence(experimentId, Status.NO_RUN, null, 0, Map.of(), List.of()));
            } else if (SeedSeries.isSeries(newest)) {
                evidence.add(measured(experimentId, newest, SeedSeries.readSummary(newest), experiment, zh, true));
            } else {
                evidence.add(measured(experimentId, newest, RunDirectory.readReport(newest), experiment, zh, false));
            }
        }
        return evidence;
    }

    @SuppressWarnings("unchecked")
    private static Evidence measured(String experimentId, Path dir, Map<String, Object> report, Experiment experiment,
                                     boolean zh, boolean series) {
        Map<String, Object> stored = (Map<String, Object>) report.getOrDefault("metrics", Map.of());
        List<String> names = new ArrayList<>(experiment.headlineMetrics().stream().filter(stored::containsKey).toList());
        if (names.isEmpty()) {
            names.addAll(stored.keySet());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String name : names.subList(0, Math.min(MAX_METRICS, names.size()))) {
            Object value = series ? ((Map<String, Object>) stored.get(name)).get("mean") : stored.get(name);
            if (value instanceof Number number) {
                metrics.put(name, number.doubleValue());
            }
        }
        List<Claim> claims = new ArrayList<>();
        for (Map<String, Object> claim : (List<Map<String, Object>>) report.getOrDefault("claims", List.of())) {
            Object text = zh && claim.get("text_zh") != null ? claim.get("text_zh") : claim.get("text");
            claims.add(new Claim(String.valueOf(text), (Boolean) claim.get("held")));
        }
        for (Map<String, Object> tally : (List<Map<String, Object>>) report.getOrDefault("per_seed_claims", List.of())) {
            // A series tallies each single-run claim over its seeds: held only if it held in every seed.
            Object text = zh && tally.get("text_zh") != null ? tally.get("text_zh") : tally.get("text");
            int held = ((Number) tally.get("held_in")).intValue();
            int checked = ((Number) tally.get("checked_in")).intValue();
            claims.add(new Claim(text + (zh ? "（" + held + "/" + checked + " 个种子成立）" : " (held in " + held + " of "
                    + checked + " seeds)"), checked == 0 ? null : held == checked));
        }
        int seeds = series ? ((List<Object>) report.getOrDefault("seeds", List.of())).size() : 1;
        return new Evidence(experimentId, Status.MEASURED, dir, seeds, metrics, claims);
    }
}
