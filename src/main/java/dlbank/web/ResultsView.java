package dlbank.web;

import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.SeedSeries;
import dlbank.report.RunDirectory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.number;
import static dlbank.web.Html.say;

/**
 * A run's measured results as HTML: its settings, the metrics table, every claim marked held, not
 * held or not checked (by word and colour), its pictures with captions, and the experiment's other
 * runs. The entry page shows the run that {@code dlbank show} shows.
 */
final class ResultsView {

    private static final int METRICS_SHOWN = 12;
    private static final int EARLIER_SHOWN = 20;

    private ResultsView() {}

    /** The results block of one experiment on an entry page; the page swaps it when a run ends. */
    static String latest(Experiment experiment, Lang lang) {
        String id = experiment.id();
        StringBuilder html = new StringBuilder();
        SeedSeries.latestFinished(id).ifPresent(series -> html.append(series(id, series, lang)));
        Optional<Path> shown = RunDirectory.latestShown(id);
        if (shown.isPresent()) {
            html.append(run(id, shown.get(), lang, 3));
        } else {
            html.append("<p class=\"empty\">").append(say(lang, "No saved run yet: a quick run takes seconds.",
                    "还没有运行记录：快速运行只需几秒。")).append("</p>\n");
        }
        html.append(earlierRuns(experiment, shown.orElse(null), lang));
        return html.toString();
    }

    /** One finished run: heading, settings, metrics, claims, figures. */
    @SuppressWarnings("unchecked")
    static String run(String experimentId, Path dir, Lang lang, int headingLevel) {
        Map<String, Object> report = RunDirectory.readReport(dir);
        String run = dir.getFileName().toString();
        boolean quick = "quick".equals(report.get("mode"));
        String label = runLabel(experimentId, run, quick, report.get("seed"), lang);
        StringBuilder html = new StringBuilder("<section class=\"run\" data-run=\"").append(esc(run)).append("\">\n");
        html.append("<h").append(headingLevel).append("><a href=\"").append(esc(runHref(experimentId, run))).append("\">")
                .append(esc(experimentId)).append("</a> · ").append(esc(run)).append("</h").append(headingLevel).append(">\n");
        html.append("<p class=\"settings\">").append(esc(settings(report, lang))).append(" · ")
                .append(esc(report.get("device"))).append(" · ")
                .append(say(lang, "wall time ", "用时 ")).append(esc(number(report.get("wall_seconds")))).append(" s</p>\n");

        Map<String, Object> metrics = (Map<String, Object>) report.getOrDefault("metrics", Map.of());
        html.append("<table class=\"metrics\"><thead><tr><th>").append(say(lang, "metric", "指标")).append("</th><th>")
                .append(say(lang, "value", "数值")).append("</th></tr></thead><tbody>\n");
        int row = 0;
        for (Map.Entry<String, Object> metric : metrics.entrySet()) {
            if (row++ == METRICS_SHOWN) {
                html.append("</tbody><tbody class=\"more\"><tr><th colspan=\"2\">")
                        .append(say(lang, (metrics.size() - METRICS_SHOWN) + " more", "另外 " + (metrics.size() - METRICS_SHOWN) + " 项"))
                        .append("</th></tr>\n");
            }
            html.append("<tr><td><code>").append(esc(metric.getKey())).append("</code></td><td class=\"num\">")
                    .append(esc(number(metric.getValue()))).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");

        html.append(claims((List<Map<String, Object>>) report.getOrDefault("claims", List.of()), lang));

        html.append("<div class=\"figures\">\n");
        for (Object artifact : (List<Object>) report.getOrDefault("artifacts", List.of())) {
            String file = String.valueOf(artifact);
            if (!file.endsWith(".png")) {
                continue;
            }
            String caption = Figures.caption(file, lang, label);
            html.append("<figure><a href=\"").append(esc(fileHref(experimentId, run, file))).append("\"><img src=\"")
                    .append(esc(fileHref(experimentId, run, file))).append("\" alt=\"").append(esc(caption))
                    .append("\"></a><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
        }
        html.append("</div>\n<p class=\"files\">").append(say(lang, "Files: ", "文件：")).append("<a href=\"")
                .append(esc(fileHref(experimentId, run, RunDirectory.REPORT_FILE))).append("\">report.json</a>");
        if (((List<Object>) report.getOrDefault("artifacts", List.of())).contains("metrics.csv")) {
            html.append(" · <a href=\"").append(esc(fileHref(experimentId, run, "metrics.csv"))).append("\">metrics.csv</a>");
        }
        html.append("</p>\n</section>\n");
        return html.toString();
    }

    /** Claims as a list; the verdict is a word and an icon as well as a colour. */
    @SuppressWarnings("unchecked")
    static String claims(List<Map<String, Object>> claims, Lang lang) {
        StringBuilder html = new StringBuilder("<ul class=\"claims\">\n");
        for (Map<String, Object> claim : claims) {
            Boolean held = (Boolean) claim.get("held");
            String kind = held == null ? "not-checked" : held ? "held" : "not-held";
            String verdict = held == null ? say(lang, "– not checked", "– 未检验")
                    : held ? say(lang, "✓ held", "✓ 成立") : say(lang, "✗ NOT held", "✗ 不成立");
            Object text = lang.zh() && claim.get("text_zh") != null ? claim.get("text_zh") : claim.get("text");
            html.append("<li class=\"claim ").append(kind).append("\"><span class=\"verdict\">").append(verdict)
                    .append("</span> <span class=\"claim-text\">").append(esc(text)).append("</span>");
            Object measured = claim.get("measured");
            if (measured instanceof Map<?, ?> values && !values.isEmpty()) {
                StringBuilder line = new StringBuilder();
                ((Map<String, Object>) values).forEach((name, value) ->
                        line.append(line.length() == 0 ? "" : ", ").append(name).append(" = ").append(number(value)));
                html.append("<div class=\"measured\">").append(say(lang, "measured: ", "实测：")).append(esc(line)).append("</div>");
            }
            Object note = lang.zh() && claim.get("note_zh") != null ? claim.get("note_zh") : claim.get("note");
            if (note != null && !String.valueOf(note).isBlank()) {
                html.append("<div class=\"note\">").append(esc(note)).append("</div>");
            }
            html.append("</li>\n");
        }
        return html.append("</ul>\n").toString();
    }

    /** The newest summary of several seeds: each metric's mean, spread and interval, and its claims. */
    @SuppressWarnings("unchecked")
    private static String series(String experimentId, Path dir, Lang lang) {
        Map<String, Object> summary = SeedSeries.readSummary(dir);
        List<Object> seeds = (List<Object>) summary.getOrDefault("seeds", List.of());
        StringBuilder html = new StringBuilder("<section class=\"series\">\n<h3>")
                .append(esc(experimentId)).append(" · ")
                .append(say(lang, "summary of " + seeds.size() + " seeds", seeds.size() + " 个种子的汇总"))
                .append(" · ").append(esc(dir.getFileName())).append("</h3>\n<table class=\"metrics\"><thead><tr><th>")
                .append(say(lang, "metric", "指标")).append("</th><th>").append(say(lang, "mean ± sd", "均值 ± 标准差"))
                .append("</th><th>").append(say(lang, "95% interval", "95% 置信区间")).append("</th></tr></thead><tbody>\n");
        ((Map<String, Object>) summary.getOrDefault("metrics", Map.of())).entrySet().stream().limit(METRICS_SHOWN)
                .forEach(metric -> {
                    Map<String, Object> stats = (Map<String, Object>) metric.getValue();
                    html.append("<tr><td><code>").append(esc(metric.getKey())).append("</code></td><td class=\"num\">")
                            .append(number(stats.get("mean"))).append(" ± ").append(number(stats.get("sd")))
                            .append("</td><td class=\"num\">[").append(number(stats.get("ci95_low"))).append(", ")
                            .append(number(stats.get("ci95_high"))).append("]</td></tr>\n");
                });
        html.append("</tbody></table>\n");
        html.append(claims((List<Map<String, Object>>) summary.getOrDefault("claims", List.of()), lang));
        return html.append("</section>\n").toString();
    }

    /** The experiment's other run folders, newest first: finished ones link to their page. */
    private static String earlierRuns(Experiment experiment, Path shown, Lang lang) {
        List<Path> runs = RunDirectory.runFolders(experiment.id()).stream().filter(dir -> !dir.equals(shown)).toList();
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<details class=\"earlier\"><summary>")
                .append(say(lang, "Other runs (" + runs.size() + ")", "其他运行（" + runs.size() + "）"))
                .append("</summary>\n<ul>\n");
        for (Path dir : runs.stream().limit(EARLIER_SHOWN).toList()) {
            String run = dir.getFileName().toString();
            html.append("<li>");
            if (RunDirectory.isFinished(dir)) {
                Map<String, Object> report = RunDirectory.readReport(dir);
                html.append("<a href=\"").append(esc(runHref(experiment.id(), run))).append("\">").append(esc(run))
                        .append("</a> · ").append(esc(settings(report, lang)));
                headline(experiment, report).ifPresent(figure -> html.append(" · ").append(esc(figure)));
            } else {
                html.append(esc(run)).append(" · ").append(say(lang, "not finished (interrupted, or running now)",
                        "未完成（中断了，或正在运行）"));
            }
            html.append("</li>\n");
        }
        return html.append("</ul>\n</details>\n").toString();
    }

    /** The experiment's headline figure in a report: "test_accuracy 0.9902". */
    @SuppressWarnings("unchecked")
    static Optional<String> headline(Experiment experiment, Map<String, Object> report) {
        Map<String, Object> metrics = (Map<String, Object>) report.getOrDefault("metrics", Map.of());
        for (String name : experiment.headlineMetrics()) {
            if (metrics.get(name) instanceof Number value) {
                return Optional.of(name + " " + number(value));
            }
        }
        return metrics.entrySet().stream().findFirst().map(first -> first.getKey() + " " + number(first.getValue()));
    }

    /** "quick mode, seed 42" / "default settings, seed 42" / "not the default: epochs 2, seed 42". */
    @SuppressWarnings("unchecked")
    static String settings(Map<String, Object> report, Lang lang) {
        Object seed = report.get("seed");
        if (Boolean.TRUE.equals(report.get("default_setting"))) {
            return say(lang, "full run, default settings, seed ", "完整运行，默认设置，种子 ") + seed;
        }
        Map<String, Object> user = (Map<String, Object>) report.getOrDefault("user_config", Map.of());
        StringBuilder changed = new StringBuilder(Boolean.TRUE.equals(user.get("quick"))
                ? say(lang, "quick mode", "快速模式") : say(lang, "full mode", "完整模式"));
        for (String key : List.of("epochs", "batch_size")) {
            if (user.get(key) != null) {
                changed.append(", ").append(key).append(' ').append(user.get(key));
            }
        }
        if (user.get("patience") instanceof Number patience && patience.intValue() > 0) {
            changed.append(", patience ").append(patience);
        }
        if (user.get("options") instanceof Map<?, ?> options) {
            options.forEach((key, value) -> changed.append(", ").append(key).append(' ').append(value));
        }
        return changed + say(lang, ", seed ", "，种子 ") + seed;
    }

    static String runLabel(String experimentId, String run, boolean quick, Object seed, Lang lang) {
        return lang.zh() ? experimentId + "，运行 " + run + "，" + (quick ? "快速模式" : "完整模式") + "，种子 " + seed
                : experimentId + ", run " + run + ", " + (quick ? "quick" : "full") + " mode, seed " + seed;
    }

    static String runHref(String experimentId, String run) {
        return "/runs/" + experimentId + "/" + run;
    }

    static String fileHref(String experimentId, String run, String file) {
        return "/files/" + experimentId + "/" + run + "/" + file;
    }

    /** The experiment of an id from a URL, or 404. */
    static Experiment experiment(String kind, String slug) {
        return ExperimentRegistry.find(kind + "/" + slug).orElseThrow(() -> WebError.notFound("experiment " + kind + "/" + slug));
    }
}
