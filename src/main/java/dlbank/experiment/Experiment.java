package dlbank.experiment;

import java.util.List;

/**
 * One runnable experiment that backs answers in the bank: it trains or measures something on real
 * data and returns its numbers and the claims they check. It never prints; it reports through the
 * {@link RunContext}.
 */
public interface Experiment {

    /** Stable id, {@code task/<slug>} or {@code lab/<slug>}. */
    String id();

    /** One line for {@code dlbank list}. */
    String title();

    /** The bank entries this experiment backs. */
    List<String> questions();

    /**
     * The experiment's own options ({@code run --cell}, {@code --length}, ...) it reads from
     * {@link RunConfig#options()}; the command refuses the others.
     */
    default java.util.Set<String> options() {
        return java.util.Set.of();
    }

    /** The metrics that stand for the result, plotted per seed when several seeds run. */
    default List<String> headlineMetrics() {
        return List.of("test_accuracy");
    }

    /**
     * Claims on the summary of several seeds' runs (each metric's mean, spread and interval), whose
     * text says what they are evaluated on; none by default.
     */
    default List<Claim> summaryClaims(java.util.Map<String, dlbank.eval.SummaryStats> metrics, RunConfig config) {
        return List.of();
    }

    /** Runs in full mode, or in quick mode (seconds, small data) when the config says so. */
    Result run(RunContext context) throws Exception;
}
