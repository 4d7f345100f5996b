package dlbank.experiment.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether the engine can hold bf16 arrays here: a separate JVM casts a small fp32 array to bfloat16
 * and multiplies two of them, because an engine that does not support the type may abort the
 * whole process rather than throw (DESIGN.md records exactly that for DJL 0.36 on this machine).
 */
public final class Bf16Probe {

    /** What the probe JVM did: its exit code (0 = the cast and the product worked) and last line. */
    public record Outcome(int exitCode, String lastLine, double seconds) {
        public boolean worked() {
            return exitCode == 0;
        }
    }

    private Bf16Probe() {}

    /** Runs the probe in a child JVM with this JVM's class path; a minute at most. */
    public static Outcome run() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Bf16Probe.class.getName())).redirectErrorStream(true);
        long begin = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Outcome(-1, "timed out", 60);
        }
        String[] lines = output.strip().split("\n");
        return new Outcome(process.exitValue(), lines[lines.length - 1].strip(), (System.nanoTime() - begin) / 1e9);
    }

    public static void main(String[] args) {
        dlbank.Main.configureRuntime(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(64, 64));
            NDArray half = x.toType(DataType.BFLOAT16, false);
            NDArray product = half.matMul(half);
            System.out.println("bf16 worked: " + product.getDataType());
        }
    }
}
