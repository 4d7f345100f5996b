package dlbank.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What machine a run ran on, for report.json and {@code dlbank doctor}: the CPU's model and the
 * instruction sets that decide which engine kernels run, the cores and the memory. Read from
 * /proc on Linux; elsewhere the fields say "unknown".
 */
public final class Machine {

    /** The instruction-set flags worth naming: they choose oneDNN's and ATen's kernels. */
    private static final List<String> NOTABLE_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
            "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_tile", "avx_vnni");

    private Machine() {}

    /**
     * {summary, cpu, cpu_family, cores, memory_gb, instruction_sets, os}, as report.json keeps it; the
     * summary is one line for readers of a report made elsewhere: "AMD EPYC, 2 cores, 24 GB, Linux 6.1.0".
     */
    public static Map<String, Object> describe() {
        Map<String, Object> machine = new LinkedHashMap<>();
        Map<String, String> cpu = cpuInfo();
        Optional<Long> memory = memoryGigabytes();
        machine.put("summary", cpu.getOrDefault("model name", System.getProperty("os.arch")) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + memory.map(gb -> gb + " GB, ").orElse("")
                + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("cpu", cpu.getOrDefault("model name", "unknown"));
        if (cpu.containsKey("cpu family")) {
            machine.put("cpu_family", cpu.get("cpu family"));
        }
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        memory.ifPresent(gigabytes -> machine.put("memory_gb", gigabytes));
        machine.put("instruction_sets", instructionSets(cpu.getOrDefault("flags", "")));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return machine;
    }

    /** The notable flags among a /proc/cpuinfo "flags" line, in a fixed order. */
    static List<String> instructionSets(String flags) {
        TreeSet<String> present = new TreeSet<>(Arrays.asList(flags.trim().split("\\s+")));
        return NOTABLE_FLAGS.stream().filter(present::contains).toList();
    }

    /** The first processor's fields of /proc/cpuinfo; empty where there is none. */
    static Map<String, String> cpuInfo() {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.isBlank()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is closed to us: the caller says "unknown".
        }
        return fields;
    }

    private static Optional<Long> memoryGigabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Optional.of(Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
                }
            }
        } catch (IOException | RuntimeException e) {
            // As above.
        }
        return Optional.empty();
    }

    /** One line for a report's "machine": its summary (or the text of a report that kept a line). */
    public static String summary(Object machine) {
        if (machine instanceof Map<?, ?> fields && fields.get("summary") != null) {
            return fields.get("summary").toString();
        }
        return machine == null ? null : machine.toString();
    }
}
