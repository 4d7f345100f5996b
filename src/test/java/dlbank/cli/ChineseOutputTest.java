package dlbank.cli;

import dlbank.i18n.Language;
import dlbank.i18n.Messages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** --lang zh on every command: the help, the errors, the run summary and the progress lines in Chinese. */
class ChineseOutputTest {

    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");

    @TempDir
    static Path home;

    @BeforeAll
    static void isolate() {
        Cli.isolateIn(home);
    }

    @AfterAll
    static void restore() {
        Cli.restore();
    }

    @Test
    void anErrorIsOneChineseLine() {
        Cli.Outcome unknown = Cli.dlbank("run", "task/mnist-rnn", "--lang", "zh");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.errLines()).hasSize(1);
        assertThat(unknown.err()).startsWith("dlbank: 未知实验 'task/mnist-rnn'；已有：task/and-gate");

        Cli.Outcome option = Cli.dlbank("--lang", "zh", "run", "task/and-gate", "--epoch", "3");
        assertThat(option.errLines()).containsExactly(
                "dlbank: 未知选项：'--epoch', '3'（你是不是想用 --epochs？）；参见 'dlbank run --help'");

        Cli.Outcome device = Cli.dlbank("run", "task/and-gate", "--quick", "--device", "tpu", "--lang=zh");
        assertThat(device.errLines()).containsExactly("dlbank: --device tpu：只能是 auto、cpu 或 gpu");

        Cli.Outcome badLanguage = Cli.dlbank("list", "--lang", "fr");
        assertThat(badLanguage.exitCode()).isEqualTo(2);
        assertThat(badLanguage.errLines()).hasSize(1);
        assertThat(badLanguage.err()).contains("--lang fr");
        assertThat(Messages.language()).as("a command leaves the language as it found it").isEqualTo("en");
    }

    @Test
    void aQuickRunPrintsItsSummaryInChinese() {
        Cli.Outcome run = Cli.dlbank("run", "task/and-gate", "--quick", "--seed", "5", "--lang", "zh", "--out",
                home.resolve("and-gate-zh").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("task/and-gate（快速模式，种子 5，cpu()）-> ")
                .contains("task/and-gate 完成，用时 ")
                .contains("  指标                               数值\n")
                .contains("\n  结论\n")
                .contains("  [成立]        单个神经元能学会 AND（4 行全对）\n                实测：")
                .contains("报告：" + home.resolve("and-gate-zh").resolve("report.json"))
                .doesNotContain("[held]").doesNotContain("measured:").doesNotContain("finished in");
    }

    @Test
    void listAndQuizSpeakChinese() {
        Cli.Outcome list = Cli.dlbank("--lang", "zh", "list");
        assertThat(list.out()).contains("第一部分：概念题").contains("可运行的实验（dlbank run <id>）：")
                .contains("每个实验一个标记：✓ 已有运行结果");
        Cli.Outcome english = Cli.dlbank("list", "--lang", "en");
        assertThat(english.out()).contains("Part 1: concept questions").contains("One mark per experiment");

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("q\n".getBytes(StandardCharsets.UTF_8)));
            Cli.Outcome quiz = Cli.dlbank("quiz", "--topic", "training", "--lang", "zh");
            assertThat(quiz.exitCode()).isZero();
            assertThat(quiz.out()).contains("想好答案后按回车查看（q 退出）> ").contains("本轮答了 0 题，会 0 题。");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void theLanguageIsReadFromTheArgumentsBeforePicocliBuildsTheHelp() {
        String locale = Language.fromEnvironment(System.getenv());
        assertThat(DlbankCommand.languageOf(new String[] {"show", "7", "--lang", "zh"})).isEqualTo("zh");
        assertThat(DlbankCommand.languageOf(new String[] {"--lang=zh", "list"})).isEqualTo("zh");
        assertThat(DlbankCommand.languageOf(new String[] {"--lang", "EN", "list"})).isEqualTo("en");
        assertThat(DlbankCommand.languageOf(new String[] {"list", "--lang", "fr"})).as("picocli reports it")
                .isEqualTo(locale);
        assertThat(DlbankCommand.languageOf(new String[] {"search", "--", "--lang", "zh"})).as("a word, not an option")
                .isEqualTo(locale);
    }

    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        // picocli reads help texts as format strings: a bare "20%" made it warn on stderr and print the raw text.
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String language : List.of("en", "zh")) {
                CommandLine commandLine = new CommandLine(new DlbankCommand());
                commandLine.setResourceBundle(Messages.bundle(DlbankCommand.HELP_BUNDLE, language));
                commandLine.getSubcommands().values().forEach(CommandLine::getUsageMessage);
            }
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }

    @Test
    void theHelpOfEveryCommandIsInChineseWithZh() {
        Cli.Outcome help = Cli.dlbank("run", "--help", "--lang", "zh");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("用法：dlbank run").contains("\n参数：\n").contains("\n选项：\n")
                .contains("实验 id，例如 task/mnist-cnn").contains("95% 置信区间").doesNotContain("Usage:");
        Cli.Outcome english = Cli.dlbank("run", "--help", "--lang", "en");
        assertThat(english.out()).startsWith("Usage: dlbank run").contains("\nOptions:\n")
                .contains("95% interval of every metric");

        for (String language : List.of("en", "zh")) {
            List<String> missing = new ArrayList<>();
            CommandLine commandLine = new CommandLine(new DlbankCommand());
            commandLine.setResourceBundle(Messages.bundle(DlbankCommand.HELP_BUNDLE, language));
            checkHelp(commandLine.getCommandSpec(), language, missing);
            assertThat(missing).as("help texts missing in %s", language).isEmpty();
        }
    }

    /** Every command's description and every option's and parameter's help, from the bundle, in the language. */
    private static void checkHelp(CommandSpec spec, String language, List<String> missing) {
        String[] description = spec.usageMessage().header().length > 0 ? spec.usageMessage().header()
                : spec.usageMessage().description();
        check(spec.qualifiedName() + " description", String.join(" ", description), language, missing);
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec arg : args) {
            check(spec.qualifiedName() + " " + (arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName()
                    : arg.paramLabel()), String.join(" ", arg.description()), language, missing);
        }
        for (CommandLine sub : spec.subcommands().values()) {
            checkHelp(sub.getCommandSpec(), language, missing);
        }
    }

    private static void check(String what, String text, String language, List<String> missing) {
        if (text.isBlank() || (language.equals("zh") && !HAN.matcher(text).find())) {
            missing.add(what + ": '" + text + "'");
        }
    }
}
