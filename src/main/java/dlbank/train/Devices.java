package dlbank.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dlbank.UserException;

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
}
