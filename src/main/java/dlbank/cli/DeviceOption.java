package dlbank.cli;

import ai.djl.Device;
import dlbank.train.Devices;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu} for the commands that compute. */
final class DeviceOption {

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto",
            description = "Where to compute (default: ${DEFAULT-VALUE}: a GPU when a CUDA build of the PyTorch natives"
                    + " is on the class path, else the CPU).")
    String device;

    Device resolve() {
        return Devices.resolve(device);
    }
}
