package dlbank.cli;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;
import dlbank.bank.TextWidth;
import dlbank.experiment.Experiment;
import dlbank.experiment.ExperimentRegistry;
import dlbank.experiment.ExperimentStatus;
import dlbank.i18n.Messages;
import dlbank.report.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dlbank list}: the bank's entries by part, with their experiments, and the runnable experiments. */
@Command(name = "list", mixinStandardHelpOptions = true)
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String language = languageOption.resolve();
        int width = Terminal.width();
        int part = 0;
        List<BankEntry> entries = Bank.load().entries(language);
        int idWidth = Math.max(30, entries.stream().mapToInt(entry -> entry.id().length()).max().orElse(0));
        for (BankEntry entry : entries) {
            if (entry.part() != part) {
                part = entry.part();
                out.println();
                out.println(Messages.get(part == 1 ? "list.part1" : "list.part2"));
            }
            out.printf("  %2d  %-" + idWidth + "s %-3s %s%n", entry.number(), entry.id(), experimentMarks(entry.experiments()),
                    pad(entry.title(), width - 11 - idWidth).stripTrailing());
        }
        out.println();
        out.println(Messages.get("list.runnable"));
        int experimentWidth = ExperimentRegistry.all().stream().mapToInt(experiment -> experiment.id().length()).max().orElse(18);
        for (Experiment experiment : ExperimentRegistry.all()) {
            String last = RunDirectory.latestFinished(experiment.id()).map(dir -> Messages.get("list.last-run", dir.getFileName()))
                    .orElseGet(() -> Messages.get("list.no-run"));
            out.printf("  %-" + experimentWidth + "s %s (%s)%n", experiment.id(), experiment.title(), last);
        }
        out.println();
        out.println(Messages.get("list.legend"));
        return 0;
    }

    /** One mark per experiment behind the entry, in order. */
    private static String experimentMarks(List<String> ids) {
        StringBuilder marks = new StringBuilder();
        for (String id : ids) {
            marks.append(ExperimentStatus.of(id).mark());
        }
        return marks.toString();
    }

    /** Cuts or pads to a display width (Chinese characters take two columns). */
    static String pad(String text, int width) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int w = TextWidth.of(codePoint);
            if (used + w > width - 1 && i + Character.charCount(codePoint) < text.length()) {
                out.append('…');
                used++;
                break;
            }
            out.appendCodePoint(codePoint);
            used += w;
            i += Character.charCount(codePoint);
        }
        return out + " ".repeat(Math.max(0, width - used));
    }
}
