package dlbank.cli;

import dlbank.UserException;
import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.bank.TerminalMarkdown;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.SeedSeries;
import dlbank.report.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code dlbank show ID}: one entry rendered for the terminal, then the latest measured results. */
@Command(name = "show", mixinStandardHelpOptions = true)
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID")
    String id;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String language = languageOption.resolve();
        Bank bank = Bank.load();
        BankEntry entry = bank.find(id, language).orElseThrow(() -> UserException.usage(
                "error.show.unknown", id, bank.ids().size()));
        int width = Terminal.width();
        TerminalMarkdown renderer = new TerminalMarkdown(width, Terminal.interactive());
        String header = "# " + entry.number() + ". " + entry.title() + "\n\n`" + entry.id() + "` · " + entry.topic() + "\n\n";
        out.print(renderer.render(header + entry.body()));
        out.println();
        out.print(renderer.render(measured(entry, language.equals("zh"))));
        out.flush();
        return 0;
    }

    /**
     * The saved results of each experiment behind the entry, as Markdown: the newest summary of
     * several seeds if there is one, then the newest run with the experiment's default settings (or,
     * failing that, the newest run, with its settings named).
     */
    @SuppressWarnings("unchecked")
    static String measured(BankEntry entry, boolean zh) {
        StringBuilder md = new StringBuilder(zh ? "## 实测结果（本机）\n\n" : "## Measured on this machine\n\n");
        for (String experimentId : entry.experiments()) {
            if (ExperimentRegistry.find(experimentId).isEmpty()) {
                md.append(zh ? "- `" + experimentId + "`：尚未实现（not yet available）。\n"
                        : "- `" + experimentId + "`: not yet available.\n");
                continue;
            }
            Optional<Path> series = SeedSeries.latestFinished(experimentId);
            series.ifPresent(dir -> readable(dir.resolve(SeedSeries.SUMMARY_FILE), () -> seriesSection(md, experimentId, dir, zh)));
            Optional<Path> run = RunDirectory.latestShown(experimentId);
            if (run.isEmpty()) {
                if (series.isEmpty()) {
                    md.append(zh ? "- `" + experimentId + "`：还没有运行记录。运行 `dlbank run " + experimentId + "`。\n"
                            : "- `" + experimentId + "`: no saved run yet. Run `dlbank run " + experimentId + "`.\n");
                }
                continue;
            }
            readable(run.get().resolve(RunDirectory.REPORT_FILE), () -> runSection(md, experimentId, run.get(), zh));
        }
        return md.toString();
    }

    /**
     * Renders a section from a file that a person or a bad disk may have changed: a field of the wrong
     * type or a missing one is one line naming the file, not an internal error.
     */
    private static void readable(Path file, Runnable section) {
        try {
            section.run();
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw UserException.input("error.report.malformed", file, UserException.reason(e));
        }
    }

    @SuppressWarnings("unchecked")
    private static void runSection(StringBuilder md, String experimentId, Path run, boolean zh) {
        Map<String, Object> report = RunDirectory.readReport(run);
        md.append("\n### ").append(experimentId).append(" (").append(zh ? "单次运行 " : "one run, ")
                .append(run.getFileName()).append(", ").append(settings(report, zh)).append(")\n\n");
        Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");
        md.append(zh ? "| 指标 | 数值 |\n|---|---|\n" : "| metric | value |\n|---|---|\n");
        metrics.entrySet().stream().limit(8).forEach(metric -> md.append("| ").append(metric.getKey()).append(" | ")
                .append(metric.getValue() instanceof Number number ? RunSummary.format(number.doubleValue())
                        : String.valueOf(metric.getValue())).append(" |\n"));
        md.append('\n');
        for (Map<String, Object> claim : (List<Map<String, Object>>) report.get("claims")) {
            md.append("- **").append(verdict((Boolean) claim.get("held"), zh)).append("**: ")
                    .append(text(claim, zh)).append('\n');
        }
        md.append('\n').append(zh ? "报告：" : "report: ").append(run.resolve("report.json")).append('\n');
    }

    /** What the run's settings were: "default settings, seed 42", or what differed. */
    @SuppressWarnings("unchecked")
    private static String settings(Map<String, Object> report, boolean zh) {
        if (Boolean.TRUE.equals(report.get("default_setting"))) {
            return (zh ? "默认设置，种子 " : "default settings, seed ") + report.get("seed");
        }
        Map<String, Object> user = (Map<String, Object>) report.getOrDefault("user_config", Map.of());
        List<String> changed = new java.util.ArrayList<>();
        if (Boolean.TRUE.equals(user.get("quick"))) {
            changed.add(zh ? "快速模式" : "quick mode");
        }
        for (String key : List.of("epochs", "batch_size", "patience")) {
            Object value = user.get(key);
            if (value != null && !(value instanceof Number number && number.intValue() == 0 && key.equals("patience"))) {
                changed.add(key + " " + value);
            }
        }
        if (user.get("options") instanceof Map<?, ?> options) {
            options.forEach((key, value) -> changed.add(key + " " + value));
        }
        return (zh ? "非默认设置：" : "not the default settings: ") + String.join(", ", changed)
                + (zh ? "，种子 " : ", seed ") + report.get("seed");
    }

    @SuppressWarnings("unchecked")
    private static void seriesSection(StringBuilder md, String experimentId, Path dir, boolean zh) {
        Map<String, Object> summary = SeedSeries.readSummary(dir);
        List<Object> seeds = (List<Object>) summary.get("seeds");
        md.append("\n### ").append(experimentId).append(zh ? "（" + seeds.size() + " 个种子的汇总，" : " (summary of "
                + seeds.size() + " seeds, ").append(dir.getFileName()).append(zh ? "）\n\n" : ")\n\n");
        md.append(zh ? "| 指标 | 均值 ± 标准差 | 95% 置信区间 |\n|---|---|---|\n"
                : "| metric | mean ± sd | 95% interval |\n|---|---|---|\n");
        ((Map<String, Object>) summary.get("metrics")).entrySet().stream().limit(8).forEach(metric -> {
            Map<String, Object> stats = (Map<String, Object>) metric.getValue();
            md.append("| ").append(metric.getKey()).append(" | ").append(number(stats.get("mean"))).append(" ± ")
                    .append(number(stats.get("sd"))).append(" | [").append(number(stats.get("ci95_low"))).append(", ")
                    .append(number(stats.get("ci95_high"))).append("] |\n");
        });
        md.append('\n');
        for (Map<String, Object> claim : (List<Map<String, Object>>) summary.get("claims")) {
            md.append("- **").append(verdict((Boolean) claim.get("held"), zh)).append("**: ").append(text(claim, zh)).append('\n');
        }
        for (Map<String, Object> tally : (List<Map<String, Object>>) summary.get("per_seed_claims")) {
            md.append("- **").append(tally.get("held_in")).append(zh ? " / " : " of ").append(tally.get("checked_in"))
                    .append(zh ? " 个种子成立" : " seeds").append("**: ").append(text(tally, zh)).append('\n');
        }
        md.append('\n').append(zh ? "汇总：" : "summary: ").append(dir.resolve(SeedSeries.SUMMARY_FILE)).append('\n');
    }

    private static String verdict(Boolean held, boolean zh) {
        return held == null ? (zh ? "未检验" : "not checked") : held ? (zh ? "成立" : "held") : (zh ? "不成立" : "NOT held");
    }

    private static Object text(Map<String, Object> claim, boolean zh) {
        return zh && claim.get("text_zh") != null ? claim.get("text_zh") : claim.get("text");
    }

    private static String number(Object value) {
        return value instanceof Number number ? String.format("%.4f", number.doubleValue()) : "-";
    }
}
