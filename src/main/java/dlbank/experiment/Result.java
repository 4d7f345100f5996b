package dlbank.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment returns: its effective configuration, final metrics, per-epoch history (one row
 * per epoch, the rows of metrics.csv), the artifacts it wrote, its claims, and tables of rows that are
 * neither metrics nor epochs (a profile of the training step), kept in report.json under "tables".
 */
public record Result(
        Map<String, Object> config,
        Map<String, Double> metrics,
        List<Map<String, Object>> history,
        List<String> artifacts,
        List<Claim> claims,
        Map<String, List<Map<String, Object>>> tables) {

    public static Builder builder() {
        return new Builder();
    }

    /** Collects a result while the experiment runs; insertion order is kept for the report. */
    public static final class Builder {
        private final Map<String, Object> config = new LinkedHashMap<>();
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final List<Map<String, Object>> history = new ArrayList<>();
        private final List<String> artifacts = new ArrayList<>();
        private final List<Claim> claims = new ArrayList<>();
        private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();

        public Builder config(String key, Object value) {
            config.put(key, value);
            return this;
        }

        public Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        public Builder historyRow(Map<String, Object> row) {
            history.add(new LinkedHashMap<>(row));
            return this;
        }

        public Builder artifact(String relativePath) {
            artifacts.add(relativePath);
            return this;
        }

        public Builder claim(Claim claim) {
            claims.add(claim);
            return this;
        }

        public Builder table(String name, List<Map<String, Object>> rows) {
            tables.put(name, List.copyOf(rows));
            return this;
        }

        public Result build() {
            return new Result(new LinkedHashMap<>(config),
                    new LinkedHashMap<>(metrics), List.copyOf(history), List.copyOf(artifacts), List.copyOf(claims),
                    new LinkedHashMap<>(tables));
        }
    }
}
