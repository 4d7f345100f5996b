package dlbank.web;

import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.SeedSeries;
import dlbank.report.ReferenceRuns;
import dlbank.report.RunDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;

import static dlbank.web.Html.esc;
import static dlbank.web.Html.number;
import static dlbank.web.Html.say;

/**
 * A run's measured results as HTML: what ran (mode, seed, the command, the time), the metrics by name
 * (per-class precision, recall and F1 as one table), every claim marked held, not held or not checked
 * (by word and colour), its pictures with captions, and the experiment's other runs. Before the user has
 * run anything, the reference run that ships with the program stands in, marked as such.
 */
final class ResultsView {

    private static final int METRICS_SHOWN = 10;
    private static final int EARLIER_SHOWN = 20;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** Where a run's report and files come from: a folder under runs/, or the reference run in the jar. */
    record Source(String experimentId, String run, Map<String, Object> report, boolean reference,
                  Function<String, String> href, String metricsCsv) {}

    private ResultsView() {}

    /** The results block of one experiment on an entry page; the page swaps it when a run ends. */
    static String latest(Experiment experiment, Lang lang) {
        String id = experiment.id();
        StringBuilder html = new StringBuilder();
        SeedSeries.latestFinished(id).ifPresent(series -> html.append(series(id, series, lang)));
        Optional<Path> shown = RunDirectory.latestShown(id);
        Optional<Source> reference = reference(id);
        if (shown.isPresent()) {
            Source own = own(id, shown.get());
            html.append(run(own, lang, 4));
            if (reference.isPresent() && !Boolean.TRUE.equals(own.report().get("default_setting"))) {
                html.append("<details class=\"reference-also\"><summary>")
                        .append(say(lang, "The reference full run, for comparison", "对照：构建机上的完整参考运行"))
                        .append("</summary>\n").append(run(reference.get(), lang, 4)).append("</details>\n");
            }
        } else if (reference.isPresent()) {
            html.append(run(reference.get(), lang, 4));
        } else {
            html.append("<p class=\"empty\">").append(say(lang, "No run yet: the buttons above run it here.",
                    "还没有运行结果：用上面的按钮在本机运行。")).append("</p>\n");
        }
        html.append(earlierRuns(experiment, shown.orElse(null), lang));
        return html.toString();
    }

    static Source own(String experimentId, Path dir) {
        String run = dir.getFileName().toString();
        String csv = null;
        try {
            Path file = dir.resolve("metrics.csv");
            csv = Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            // No curves' caption detail then.
        }
        return new Source(experimentId, run, RunDirectory.readReport(dir), false, file -> fileHref(experimentId, run, file), csv);
    }

    static Optional<Source> reference(String experimentId) {
        return ReferenceRuns.report(experimentId).map(report -> new Source(experimentId,
                String.valueOf(ReferenceRuns.about(experimentId).getOrDefault("source", "reference")), report, true,
                file -> "/reference/" + experimentId + "/" + file,
                ReferenceRuns.file(experimentId, "metrics.csv").map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                        .orElse(null)));
    }

    /** One finished run: heading, what ran, metrics, claims, figures. */
    @SuppressWarnings("unchecked")
    static String run(Source source, Lang lang, int headingLevel) {
        Map<String, Object> report = source.report();
        boolean quick = "quick".equals(report.get("mode"));
        StringBuilder html = new StringBuilder("<section class=\"run").append(source.reference() ? " reference" : "")
                .append("\" data-run=\"").append(esc(source.run())).append("\">\n");
        html.append("<h").append(headingLevel).append(">");
        if (source.reference()) {
            html.append("<span class=\"badge reference-badge\">").append(say(lang, "reference run", "参考运行"))
                    .append("</span> ");
        } else {
            html.append("<span class=\"badge own-badge\">").append(say(lang, "your run", "你的运行")).append("</span> ")
                    .append("<a href=\"").append(esc(runHref(source.experimentId(), source.run()))).append("\">");
        }
        html.append(esc(when(report, source.run()))).append(source.reference() ? "" : "</a>")
                .append(" · ").append(quick ? say(lang, "quick mode", "快速模式") : say(lang, "full run", "完整运行"))
                .append("</h").append(headingLevel).append(">\n");
        if (source.reference()) {
            Map<String, Object> about = ReferenceRuns.about(source.experimentId());
            String machine = dlbank.report.Machine.summary(report.get("machine") != null ? report.get("machine")
                    : about.get("machine"));
            html.append("<p class=\"reference-note\">").append(say(lang,
                    "Measured on the machine this program was built on, before you ran anything; your own run replaces it. Machine: ",
                    "这是发布前在构建机上实测的结果；你在本机运行后，这里会换成你的结果。构建机："))
                    .append("<code>").append(esc(machine == null ? say(lang, "not recorded", "未记录") : machine)).append("</code></p>\n");
        }
        html.append("<p class=\"settings\">").append(say(lang, "Command ", "命令 ")).append("<code>")
                .append(esc(command(source.experimentId(), report))).append("</code> · ")
                .append(say(lang, "seed ", "种子 ")).append(esc(report.get("seed"))).append(" · ")
                .append(say(lang, "took ", "用时 ")).append(esc(report.get("wall_seconds") instanceof Number seconds
                        ? RunEstimates.duration(seconds.doubleValue(), lang) : "–"))
                .append(" · ").append(esc(device(report.get("device")))).append("</p>\n");

        html.append(metrics((Map<String, Object>) report.getOrDefault("metrics", Map.of()), lang));
        html.append(claims((List<Map<String, Object>>) report.getOrDefault("claims", List.of()), lang));

        String label = runLabel(source, quick, lang);
        html.append("<div class=\"figures\">\n");
        for (Object artifact : (List<Object>) report.getOrDefault("artifacts", List.of())) {
            String file = String.valueOf(artifact);
            if (!file.endsWith(".png")) {
                continue;
            }
            String caption = Figures.caption(file, lang, label, source.metricsCsv());
            String alt = caption.replaceAll("<[^>]+>", "");
            html.append("<figure><a href=\"").append(esc(source.href().apply(file))).append("\"><img src=\"")
                    .append(esc(source.href().apply(file))).append("\" alt=\"").append(alt)
                    .append("\"></a><figcaption>").append(caption).append("</figcaption></figure>\n");
        }
        html.append("</div>\n<p class=\"files\">").append(say(lang, "Files: ", "文件：")).append("<a href=\"")
                .append(esc(source.href().apply(RunDirectory.REPORT_FILE))).append("\"><code>report.json</code></a>");
        if (((List<Object>) report.getOrDefault("artifacts", List.of())).contains("metrics.csv")) {
            html.append(" · <a href=\"").append(esc(source.href().apply("metrics.csv"))).append("\"><code>metrics.csv</code></a>");
        }
        html.append("</p>\n</section>\n");
        return html.toString();
    }

    /**
     * The metrics: named ones first (up to {@link #METRICS_SHOWN}, the rest behind a toggle), then
     * per-class precision, recall and F1 as one table, class by row.
     */
    static String metrics(Map<String, Object> metrics, Lang lang) {
        Map<String, Map<String, Map<Integer, Object>>> perClass = new LinkedHashMap<>(); // prefix -> measure -> class -> value
        List<Map.Entry<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Object> metric : metrics.entrySet()) {
            Matcher match = Names.PER_CLASS.matcher(metric.getKey());
            if (match.matches()) {
                perClass.computeIfAbsent(match.group(1) == null ? "" : match.group(1), key -> new LinkedHashMap<>())
                        .computeIfAbsent(match.group(2), key -> new TreeMap<>())
                        .put(Integer.parseInt(match.group(3)), metric.getValue());
            } else {
                rows.add(metric);
            }
        }
        StringBuilder html = new StringBuilder("<table class=\"metrics\"><thead><tr><th>").append(say(lang, "measured", "指标"))
                .append("</th><th>").append(say(lang, "value", "数值")).append("</th></tr></thead><tbody>\n");
        for (int i = 0; i < Math.min(rows.size(), METRICS_SHOWN); i++) {
            html.append(metricRow(rows.get(i), lang));
        }
        html.append("</tbody></table>\n");
        if (rows.size() > METRICS_SHOWN) {
            html.append("<details class=\"more-metrics\"><summary>")
                    .append(say(lang, "All " + rows.size() + " measurements", "展开全部 " + rows.size() + " 项指标"))
                    .append("</summary>\n<table class=\"metrics\"><tbody>\n");
            for (int i = METRICS_SHOWN; i < rows.size(); i++) {
                html.append(metricRow(rows.get(i), lang));
            }
            html.append("</tbody></table>\n</details>\n");
        }
        perClass.forEach((prefix, measures) -> {
            List<String> order = List.of("precision", "recall", "f1");
            java.util.SortedSet<Integer> classes = new java.util.TreeSet<>();
            measures.values().forEach(values -> classes.addAll(values.keySet()));
            html.append("<table class=\"metrics per-class\"><caption>")
                    .append(prefix.isEmpty() ? "" : Names.metric(prefix, lang).map(Html::esc).orElse("<code>" + esc(prefix) + "</code>") + " · ")
                    .append(say(lang, "per class, on the test set", "各类别在测试集上的表现"))
                    .append("</caption><thead><tr><th>").append(say(lang, "class", "类别")).append("</th>");
            for (String measure : order) {
                if (measures.containsKey(measure)) {
                    html.append("<th>").append(switch (measure) {
                        case "precision" -> say(lang, "precision", "精确率");
                        case "recall" -> say(lang, "recall", "召回率");
                        default -> "F1";
                    }).append("</th>");
                }
            }
            html.append("</tr></thead><tbody>\n");
            for (int digit : classes) {
                html.append("<tr><th class=\"num\">").append(digit).append("</th>");
                for (String measure : order) {
                    if (measures.containsKey(measure)) {
                        html.append("<td class=\"num\">").append(esc(number(measures.get(measure).get(digit)))).append("</td>");
                    }
                }
                html.append("</tr>\n");
            }
            html.append("</tbody></table>\n");
        });
        return html.toString();
    }

    private static String metricRow(Map.Entry<String, Object> metric, Lang lang) {
        Optional<String> name = Names.metric(metric.getKey(), lang);
        return "<tr><td>" + name.map(Html::esc).orElse("<code class=\"raw-name\">" + esc(metric.getKey()) + "</code>")
                + "</td><td class=\"num\" title=\"" + esc(metric.getKey()) + "\">" + esc(number(metric.getValue())) + "</td></tr>\n";
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
                    .append("</span> <span class=\"claim-text\">").append(withCode(esc(text))).append("</span>");
            Object measured = claim.get("measured");
            if (measured instanceof Map<?, ?> values && !values.isEmpty()) {
                StringBuilder line = new StringBuilder();
                ((Map<String, Object>) values).forEach((name, value) -> line.append(line.length() == 0 ? "" : ", ")
                        .append(Names.metric(name, lang).map(Html::esc).orElse("<code>" + esc(name) + "</code>"))
                        .append(" = ").append(esc(number(value))));
                html.append("<div class=\"measured\">").append(say(lang, "measured: ", "实测：")).append(line).append("</div>");
            }
            Object note = lang.zh() && claim.get("note_zh") != null ? claim.get("note_zh") : claim.get("note");
            if (note != null && !String.valueOf(note).isBlank()) {
                html.append("<div class=\"note\">").append(esc(note)).append("</div>");
            }
            html.append("</li>\n");
        }
        return html.append("</ul>\n").toString();
    }

    /** Command-line options in a sentence ("--seeds 5") set as code. */
    private static String withCode(String escaped) {
        return escaped.replaceAll("(?<![\\w-])(--[a-z][a-z-]*(?: [0-9a-z.]+)?)", "<code>$1</code>");
    }

    /** The newest summary of several seeds: each metric's mean, spread and interval, and its claims. */
    @SuppressWarnings("unchecked")
    private static String series(String experimentId, Path dir, Lang lang) {
        Map<String, Object> summary = SeedSeries.readSummary(dir);
        List<Object> seeds = (List<Object>) summary.getOrDefault("seeds", List.of());
        StringBuilder html = new StringBuilder("<section class=\"series\">\n<h4>")
                .append(say(lang, "Summary of " + seeds.size() + " seeds", seeds.size() + " 个种子的汇总"))
                .append(" · ").append(esc(dir.getFileName())).append("</h4>\n<table class=\"metrics\"><thead><tr><th>")
                .append(say(lang, "measured", "指标")).append("</th><th>").append(say(lang, "mean ± sd", "均值 ± 标准差"))
                .append("</th><th>").append(say(lang, "95% interval", "95% 置信区间")).append("</th></tr></thead><tbody>\n");
        ((Map<String, Object>) summary.getOrDefault("metrics", Map.of())).entrySet().stream()
                .filter(metric -> !Names.PER_CLASS.matcher(metric.getKey()).matches()).limit(METRICS_SHOWN)
                .forEach(metric -> {
                    Map<String, Object> stats = (Map<String, Object>) metric.getValue();
                    html.append("<tr><td>").append(Names.metric(metric.getKey(), lang).map(Html::esc)
                                    .orElse("<code>" + esc(metric.getKey()) + "</code>")).append("</td><td class=\"num\">")
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
                html.append("<a href=\"").append(esc(runHref(experiment.id(), run))).append("\">").append(esc(when(report, run)))
                        .append("</a> · ").append("quick".equals(report.get("mode")) ? say(lang, "quick mode", "快速模式")
                                : say(lang, "full run", "完整运行")).append(" · <code>")
                        .append(esc(command(experiment.id(), report))).append("</code>");
                headline(experiment, report, lang).ifPresent(figure -> html.append(" · ").append(esc(figure)));
            } else {
                html.append(esc(run)).append(" · ").append(say(lang, "not finished (interrupted, or running now)",
                        "未完成（中断了，或正在运行）"));
            }
            html.append("</li>\n");
        }
        return html.append("</ul>\n</details>\n").toString();
    }

    /** The experiment's headline figure in a report, by name: "test accuracy 0.9902" / "测试准确率 0.9902". */
    @SuppressWarnings("unchecked")
    static Optional<String> headline(Experiment experiment, Map<String, Object> report, Lang lang) {
        Map<String, Object> metrics = (Map<String, Object>) report.getOrDefault("metrics", Map.of());
        for (String name : experiment.headlineMetrics()) {
            if (metrics.get(name) instanceof Number value) {
                return Optional.of(Names.metric(name, lang).orElse(name) + " " + number(value));
            }
        }
        return metrics.entrySet().stream().filter(first -> Names.metric(first.getKey(), lang).isPresent()).findFirst()
                .map(first -> Names.metric(first.getKey(), lang).orElseThrow() + " " + number(first.getValue()));
    }

    /** The command that makes this run again: "./dlbank run task/mnist-cnn --quick --epochs 2 --seed 7". */
    @SuppressWarnings("unchecked")
    static String command(String experimentId, Map<String, Object> report) {
        Map<String, Object> user = (Map<String, Object>) report.getOrDefault("user_config", Map.of());
        StringBuilder command = new StringBuilder("./dlbank run ").append(experimentId);
        if (Boolean.TRUE.equals(user.get("quick")) || "quick".equals(report.get("mode"))) {
            command.append(" --quick");
        }
        if (user.get("epochs") != null) {
            command.append(" --epochs ").append(user.get("epochs"));
        }
        if (user.get("batch_size") != null) {
            command.append(" --batch-size ").append(user.get("batch_size"));
        }
        if (user.get("patience") instanceof Number patience && patience.intValue() > 0) {
            command.append(" --patience ").append(patience);
        }
        if (user.get("options") instanceof Map<?, ?> options) {
            options.forEach((key, value) -> command.append(" --").append(key).append(' ').append(value));
        }
        if (report.get("seed") instanceof Number seed && seed.longValue() != 42) {
            command.append(" --seed ").append(seed);
        }
        return command.toString();
    }

    /** When the run finished, in this machine's time zone: "2026-12-07 08:18". */
    private static String when(Map<String, Object> report, String fallback) {
        try {
            return OffsetDateTime.parse(String.valueOf(report.get("finished"))).atZoneSameInstant(ZoneId.systemDefault())
                    .format(WHEN);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static String device(Object device) {
        String text = String.valueOf(device);
        return text.startsWith("cpu") ? "CPU" : text.startsWith("gpu") ? "GPU " + text.replaceAll("[^0-9]", "") : text;
    }

    private static String runLabel(Source source, boolean quick, Lang lang) {
        String what = source.reference() ? say(lang, "reference run", "参考运行") : quick ? say(lang, "your quick run", "你的快速运行")
                : say(lang, "your run", "你的运行");
        return what + (lang.zh() ? "，种子 " : ", seed ") + source.report().get("seed");
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
