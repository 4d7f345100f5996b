package dlbank.cli;

import dlbank.bank.Bank;
import dlbank.bank.BankSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dlbank search WORDS}: entries that contain every word, in Chinese or English; title matches first. */
@Command(name = "search", mixinStandardHelpOptions = true)
final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "WORD")
    List<String> words;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String language = languageOption.resolve();
        String query = String.join(" ", words);
        List<BankSearch.Hit> hits = new BankSearch(Bank.load()).search(query, language);
        if (hits.isEmpty()) {
            out.println(language.equals("zh") ? "没有找到包含 “" + query + "” 的题目。" : "No entry contains \"" + query + "\".");
            return 1;
        }
        for (BankSearch.Hit hit : hits) {
            out.printf("  %2d  %-30s %s%s%n", hit.entry().number(), hit.entry().id(), hit.entry().title(),
                    hit.titleMatch() ? "" : "  (" + hit.occurrences() + (language.equals("zh") ? " 处)"
                            : hit.occurrences() == 1 ? " mention)" : " mentions)"));
        }
        out.println(language.equals("zh") ? "用 dlbank show <编号或 id> 查看。" : "Read one with: dlbank show <number or id>");
        return 0;
    }
}
