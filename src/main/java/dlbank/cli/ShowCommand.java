package dlbank.cli;

import dlbank.UserException;
import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.bank.TerminalMarkdown;
import dlbank.experiment.ExperimentRegistry;
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
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a question and its answer, followed by the latest measured results of its experiments.")
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Entry id (concept/cnn), its last part (cnn) or its number (5).")
    String id;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String language = languageOption.resolve();
        Bank bank = Bank.load();
        BankEntry entry = bank.find(id, language).orElseThrow(() -> UserException.usage(
                "no entry '" + id + "' in the bank; 'dlbank list' shows the " + bank.ids().size() + " entries"));
        int width = Terminal.width();
        TerminalMarkdown renderer = new TerminalMarkdown(width, Terminal.interactive());
        String header = "# " + entry.number() + ". " + entry.title() + "\n\n`" + entry.id() + "` · " + entry.topic() + "\n\n";
        out.print(renderer.render(header + entry.body()));
        out.println();
        out.print(renderer.render(measured(entry, language.equals("zh"))));
        out.flush();
        return 0;
    }

    /** The latest saved results of each experiment behind the entry, as Markdown. */
    @SuppressWarnings("unchecked")
    static String measured(BankEntry entry, boolean zh) {
        StringBuilder md = new StringBuilder(zh ? "## 实测结果（本机）\n\n" : "## Measured on this machine\n\n");
        for (String experimentId : entry.experiments()) {
            if (ExperimentRegistry.find(experimentId).isEmpty()) {
                md.append(zh ? "- `" + experimentId + "`：尚未实现（not yet available）。\n"
                        : "- `" + experimentId + "`: not yet available.\n");
                continue;
            }
            Optional<Path> run = RunDirectory.latestFinished(experimentId);
            if (run.isEmpty()) {
                md.append(zh ? "- `" + experimentId + "`：还没有运行记录。运行 `dlbank run " + experimentId + "`。\n"
                        : "- `" + experimentId + "`: no saved run yet. Run `dlbank run " + experimentId + "`.\n");
                continue;
            }
            Map<String, Object> report = RunDirectory.readReport(run.get());
            md.append("\n### ").append(experimentId).append(" (").append(report.get("mode")).append(", ")
                    .append(run.get().getFileName()).append(")\n\n");
            Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");
            md.append("| metric | value |\n|---|---|\n");
            metrics.entrySet().stream().limit(8).forEach(metric -> md.append("| ").append(metric.getKey()).append(" | ")
                    .append(RunSummary.format(((Number) metric.getValue()).doubleValue())).append(" |\n"));
            md.append('\n');
            for (Map<String, Object> claim : (List<Map<String, Object>>) report.get("claims")) {
                Boolean held = (Boolean) claim.get("held");
                String verdict = held == null ? (zh ? "未检验" : "not checked") : held ? (zh ? "成立" : "held")
                        : (zh ? "不成立" : "NOT held");
                Object text = zh && claim.get("text_zh") != null ? claim.get("text_zh") : claim.get("text");
                md.append("- **").append(verdict).append("**: ").append(text).append('\n');
            }
            md.append('\n').append(zh ? "报告：" : "report: ").append(run.get().resolve("report.json")).append('\n');
        }
        return md.toString();
    }
}
