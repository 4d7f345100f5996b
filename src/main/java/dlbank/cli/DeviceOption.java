package dlbank.cli;

import ai.djl.Device;
import dlbank.train.Devices;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu} for the commands that compute. */
final class DeviceOption {

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto")
    String device;

    Device resolve() {
        return Devices.resolve(device);
    }
}
