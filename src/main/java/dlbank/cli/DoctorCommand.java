package dlbank.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dlbank.i18n.Messages;
import dlbank.report.Machine;
import dlbank.train.ConvBackwardProbe;
import dlbank.train.StepGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dlbank doctor}: what this machine runs (Java, DJL, libtorch, oneDNN, the CPU's instruction
 * sets, the thread settings), and whether its engine has the first-use NaN in convolution backward.
 * The probe runs in a child JVM with oneDNN's verbose log on, which names oneDNN's version and the
 * kernels it picked; without a child, it runs here and those two lines say "unknown".
 */
@Command(name = "doctor", mixinStandardHelpOptions = true)
final class DoctorCommand implements Callable<Integer> {

    private static final Pattern ONEDNN_VERSION = Pattern.compile("oneDNN v([0-9.]+) \\(commit ([0-9a-f]{8})");
    private static final Pattern ONEDNN_ISA = Pattern.compile("onednn_verbose,.*info,cpu,isa:(.*)$");
    /** exec lines of convolution primitives: the propagation kind and the implementation that ran. */
    private static final Pattern CONVOLUTION = Pattern.compile(
            "onednn_verbose,.*primitive,exec,cpu,convolution,([^,]+),(backward_data|forward_training|backward_weights)");

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "2")
    int rounds;

    @Option(names = "--deep")
    boolean deep;

    /**
     * The probe again under engine settings that tell causes apart, for a machine that has the bug:
     * with oneDNN's primitive cache off every call builds its kernel anew (a bug in building or first
     * running a kernel then shows in every round); capped ISAs and one thread change the kernel and
     * its blocking.
     */
    private static final List<Map<String, String>> DEEP_VARIANTS = List.of(
            Map.of("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "0"),
            Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"),
            Map.of("ONEDNN_MAX_CPU_ISA", "AVX2"),
            Map.of("OMP_NUM_THREADS", "1"));

    /** What the child JVM reported. */
    record Probe(ConvBackwardProbe.Outcome outcome, String onednn, String isa, Set<String> backwardKernels) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (rounds < 1 || rounds > 20) {
            throw dlbank.UserException.usage("error.doctor.rounds", rounds);
        }
        Map<String, Object> machine = Machine.describe();
        row(out, "Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        row(out, "DJL", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        row(out, "libtorch", engine.getEngineName() + " " + engine.getVersion() + ", "
                + String.join(" ", JniUtils.getFeatures()));
        Probe probe = probe(Map.of());
        row(out, "oneDNN", probe.onednn() + (probe.isa() == null ? "" : "; " + probe.isa()));
        row(out, "CPU", machine.get("cpu") + (machine.containsKey("cpu_family")
                ? ", " + Messages.get("doctor.family", machine.get("cpu_family")) : "") + ", "
                + Messages.get("doctor.cores", machine.get("cores")));
        @SuppressWarnings("unchecked")
        List<String> instructionSets = (List<String>) machine.get("instruction_sets");
        row(out, Messages.get("doctor.isa"), String.join(" ", instructionSets));
        if (machine.containsKey("memory_gb")) {
            row(out, Messages.get("doctor.memory"), machine.get("memory_gb") + " GB");
        }
        row(out, Messages.get("doctor.threads"), Messages.get("doctor.threads.value", JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(), env("OMP_NUM_THREADS"), env("MKL_NUM_THREADS")));
        row(out, Messages.get("doctor.kernels"), probe.backwardKernels().isEmpty()
                ? Messages.get("doctor.unknown") : String.join(", ", probe.backwardKernels()));
        ConvBackwardProbe.Outcome outcome = probe.outcome();
        row(out, Messages.get("doctor.probe"), Messages.get("doctor.probe.value", outcome.cases(), outcome.rounds(),
                outcome.notFinite().size()));
        if (deep) {
            for (Map<String, String> variant : DEEP_VARIANTS) {
                String setting = variant.entrySet().iterator().next().getKey() + "=" + variant.values().iterator().next();
                try {
                    Probe other = probeInChild(variant);
                    ConvBackwardProbe.Outcome o = other.outcome();
                    row(out, Messages.get("doctor.probe"), Messages.get("doctor.deep.value", setting,
                            String.join(", ", other.backwardKernels()), o.notFinite().size(), o.cases(),
                            o.notFinite().stream().map(c -> c.filters() + "x" + c.size() + "x" + c.batch() + "@" + c.round())
                                    .reduce((a, b) -> a + " " + b).orElse("-")));
                } catch (IOException | RuntimeException e) {
                    row(out, Messages.get("doctor.probe"), setting + ": " + dlbank.UserException.reason(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        out.println(outcome.healthy()
                ? Messages.get("doctor.verdict.healthy")
                : Messages.get("doctor.verdict.bug", outcome.notFinite().size(), outcome.cases(),
                        outcome.firstUseOnly() ? Messages.get("doctor.first-round") : Messages.get("doctor.later-rounds")));
        if (StepGuard.NanInjection.current().active()) {
            out.println(Messages.get("doctor.injected"));
        }
        out.flush();
        return 0;
    }

    private static void row(PrintWriter out, String label, Object value) {
        out.println(label + " ".repeat(Math.max(1, 13 - dlbank.bank.TextWidth.of(label))) + value);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null ? Messages.get("doctor.unset") : value;
    }

    /** The probe in a child JVM with ONEDNN_VERBOSE=1; here, without the log, if no child can start. */
    private Probe probe(Map<String, String> environment) {
        try {
            return probeInChild(environment);
        } catch (IOException | RuntimeException e) {
            return new Probe(ConvBackwardProbe.run(rounds), Messages.get("doctor.unknown"), null, Set.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(ConvBackwardProbe.run(rounds), Messages.get("doctor.unknown"), null, Set.of());
        }
    }

    private Probe probeInChild(Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String property : List.of("ai.djl.offline", "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConvBackwardProbe.class.getName(),
                Integer.toString(rounds)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ONEDNN_VERBOSE", "1");
        builder.environment().put("DLBANK_INJECT_NAN", StepGuard.NanInjection.current().spec());
        builder.environment().putAll(environment);
        Process child = builder.start();
        String onednn = null;
        String isa = null;
        Set<String> kernels = new LinkedHashSet<>();
        ConvBackwardProbe.Outcome outcome = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Matcher version = ONEDNN_VERSION.matcher(line);
                Matcher isaLine = ONEDNN_ISA.matcher(line);
                Matcher convolution = CONVOLUTION.matcher(line);
                if (version.find()) {
                    onednn = version.group(1) + " (commit " + version.group(2) + ")";
                } else if (isaLine.find()) {
                    isa = isaLine.group(1).trim();
                } else if (convolution.find() && convolution.group(2).equals("backward_data")) {
                    kernels.add(convolution.group(1));
                } else if (outcome == null && line.startsWith("probe ")) {
                    outcome = ConvBackwardProbe.parse(line);
                }
            }
        }
        if (!child.waitFor(120, TimeUnit.SECONDS) || child.exitValue() != 0 || outcome == null) {
            child.destroyForcibly();
            throw new IOException("the probe's child JVM did not finish");
        }
        return new Probe(outcome, onednn == null ? Messages.get("doctor.unknown") : onednn, isa, kernels);
    }
}
