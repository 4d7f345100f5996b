package dlbank.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dlbank.UserException;

import java.util.function.Supplier;

/** Turns the {@code --device} option into a DJL device. */
public final class Devices {

    private Devices() {}

    /**
     * "auto" takes the first GPU when a CUDA build of the PyTorch natives is on the class path and
     * sees one, else the CPU; "gpu" insists on a GPU; "cpu" forces the CPU.
     */
    public static Device resolve(String option) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (option.toLowerCase()) {
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw UserException.usage("error.device.no-gpu");
                }
                yield Device.gpu();
            }
            default -> throw UserException.usage("error.device.unknown", option);
        };
    }

    /**
     * Runs {@code work} with libtorch's grad mode off on this thread, and restores it after.
     *
     * <p>Grad mode is a per-thread switch in libtorch. DJL turns it off on the thread that loads the
     * engine and turns it on only while a {@code GradientCollector} is open; every other thread starts
     * with libtorch's default, on. Under it, in-place updates of weights outside a collector (hand-made
     * optimizer steps, weight surgery) fail with "a leaf Variable that requires grad is being used in
     * an in-place operation", and inference records graphs it never uses. A run must behave the same
     * on the command line's main thread and on the page's worker thread, so both go through here.
     */
    public static <T> T withoutGradMode(Supplier<T> work) {
        Engine.getInstance(); // loads the natives that JniUtils calls into
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(before);
        }
    }
}
