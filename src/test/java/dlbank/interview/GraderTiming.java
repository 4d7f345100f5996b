package dlbank.interview;

import dlbank.bank.Bank;
import dlbank.bank.BankEntry;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Times the grader from a cold JVM: JVM start to the first grade (models loaded on the way), then
 * warm grades, and the peak resident memory. Run with the test class path:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dlbank.interview.GraderTiming en|zh}.
 */
public final class GraderTiming {

    private GraderTiming() {}

    public static void main(String[] args) throws Exception {
        String language = args.length > 0 ? args[0] : "en";
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long start = System.currentTimeMillis();
        List<DevSet.Item> items = DevSet.load().stream()
                .filter(item -> item.language().equals(language) && item.kind().equals("good")).toList();
        Bank bank = Bank.load();
        BankEntry entry = bank.find(items.get(0).entryId(), language).orElseThrow();
        GradeResult first = new Grader(language).grade(entry, items.get(0).answer());
        long firstDone = System.currentTimeMillis();
        System.out.printf("%s: JVM start to first grade %d ms (of which in the grader %d ms), score %d%n", language,
                firstDone - jvmStart, firstDone - start, first.score());
        // Warm: every good answer of the language, each graded three times.
        long warmStart = System.nanoTime();
        int graded = 0;
        for (int round = 0; round < 3; round++) {
            for (DevSet.Item item : items) {
                new Grader(language).grade(bank.find(item.entryId(), language).orElseThrow(), item.answer());
                graded++;
            }
        }
        long warmEnd = System.nanoTime();
        // The warm figure leaves out each entry's first grade (its model sentences are embedded once).
        long steady = System.nanoTime();
        for (DevSet.Item item : items) {
            new Grader(language).grade(bank.find(item.entryId(), language).orElseThrow(), item.answer());
        }
        long steadyEnd = System.nanoTime();
        System.out.printf("%s: %d grades in %.0f ms; steady state %.1f ms per answer (%d answers, mean %d characters)%n",
                language, graded, (warmEnd - warmStart) / 1e6, (steadyEnd - steady) / 1e6 / items.size(), items.size(),
                (int) items.stream().mapToInt(item -> item.answer().length()).average().orElse(0));
        String status = Files.readString(Path.of("/proc/self/status"));
        status.lines().filter(line -> line.startsWith("VmHWM") || line.startsWith("VmRSS")).forEach(System.out::println);
        System.out.printf("heap used %d MB%n", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }
}
