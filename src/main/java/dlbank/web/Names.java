package dlbank.web;

import dlbank.experiment.Experiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names for readers, in both languages: each experiment's title in Chinese
 * ({@code web/experiment-titles.zh.tsv}) and each metric's name ({@code web/metric-names.tsv}: the id a
 * report uses, then English, then Chinese). A metric without a name is shown by its id, as code.
 */
final class Names {

    /** precision_3, recall_3, f1_3, and the same with a prefix (test_precision_3): one row of the per-class table. */
    static final Pattern PER_CLASS = Pattern.compile("(?:(.+)_)?(precision|recall|f1)_(\\d+)");

    private static final Map<String, String> TITLES_ZH = new HashMap<>();
    private static final Map<String, String[]> METRICS = new HashMap<>();
    private static final Map<String, String[]> TOPICS = new HashMap<>();

    static {
        read("/web/experiment-titles.zh.tsv", columns -> TITLES_ZH.put(columns[0], columns[1]));
        read("/web/metric-names.tsv", columns -> METRICS.put(columns[0], new String[] {columns[1], columns[2]}));
        read("/web/topics.tsv", columns -> TOPICS.put(columns[0], new String[] {columns[1], columns[2]}));
    }

    private Names() {}

    static String title(Experiment experiment, Lang lang) {
        return lang.zh() ? TITLES_ZH.getOrDefault(experiment.id(), experiment.title()) : experiment.title();
    }

    static boolean hasChineseTitle(String experimentId) {
        return TITLES_ZH.containsKey(experimentId);
    }

    /** A topic slug as readers name it ("training" -> "训练"), or the slug itself when the table lacks it. */
    static String topic(String slug, Lang lang) {
        String[] names = TOPICS.get(slug);
        return names == null ? slug : lang.zh() ? names[1] : names[0];
    }

    /** The metric's name for readers, or empty when the table has none. */
    static Optional<String> metric(String id, Lang lang) {
        String[] names = METRICS.get(id);
        if (names != null) {
            return Optional.of(lang.zh() ? names[1] : names[0]);
        }
        Matcher perClass = PER_CLASS.matcher(id);
        if (!perClass.matches()) {
            return composed(id, lang);
        }
        {
            String what = switch (perClass.group(2)) {
                case "precision" -> lang.zh() ? "精确率" : "precision";
                case "recall" -> lang.zh() ? "召回率" : "recall";
                default -> "F1";
            };
            return Optional.of(lang.zh() ? "类别 " + perClass.group(3) + " 的" + what : what + " of class " + perClass.group(3));
        }
    }

    /** "test_mse_lstm_20" -> "test MSE (LSTM, 20)": the longest named prefix, then named qualifiers or numbers. */
    private static Optional<String> composed(String id, Lang lang) {
        String[] tokens = id.split("_");
        for (int cut = tokens.length - 1; cut >= 1; cut--) {
            String[] base = METRICS.get(String.join("_", java.util.Arrays.copyOfRange(tokens, 0, cut)));
            if (base == null) {
                continue;
            }
            java.util.List<String> qualifiers = new java.util.ArrayList<>();
            for (int i = cut; i < tokens.length; ) {
                int end = tokens.length; // the longest run of tokens that names a qualifier (early_stopping)
                while (end > i && METRICS.get(String.join("_", java.util.Arrays.copyOfRange(tokens, i, end))) == null) {
                    end--;
                }
                if (end > i) {
                    String[] qualifier = METRICS.get(String.join("_", java.util.Arrays.copyOfRange(tokens, i, end)));
                    qualifiers.add(lang.zh() ? qualifier[1] : qualifier[0]);
                    i = end;
                } else if (tokens[i].matches("[0-9.]+")) {
                    qualifiers.add(tokens[i]);
                    i++;
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(lang.zh() ? base[1] + "（" + String.join("，", qualifiers) + "）"
                    : base[0] + " (" + String.join(", ", qualifiers) + ")");
        }
        return Optional.empty();
    }

    private static void read(String resource, java.util.function.Consumer<String[]> row) {
        try (InputStream in = Names.class.getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length >= 2) {
                    row.accept(columns);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
