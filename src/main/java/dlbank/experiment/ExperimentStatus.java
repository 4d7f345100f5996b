package dlbank.experiment;

import dlbank.report.RunDirectory;

/**
 * Where an experiment the bank names stands on this machine: it has a finished run, it can be run,
 * or it is not written yet. {@code dlbank list} shows it as a mark, the page as a word.
 */
public enum ExperimentStatus {
    SAVED("✓"), RUNNABLE("○"), NOT_YET("…");

    private final String mark;

    ExperimentStatus(String mark) {
        this.mark = mark;
    }

    public static ExperimentStatus of(String experimentId) {
        if (ExperimentRegistry.find(experimentId).isEmpty()) {
            return NOT_YET;
        }
        return RunDirectory.latestFinished(experimentId).isPresent() ? SAVED : RUNNABLE;
    }

    /** One character for the terminal list. */
    public String mark() {
        return mark;
    }
}
