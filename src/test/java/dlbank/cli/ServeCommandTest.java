package dlbank.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dlbank serve}'s refusals before it serves; the page itself is tested in dlbank.web. */
class ServeCommandTest {

    @AfterEach
    void restore() {
        Cli.restore();
    }

    @Test
    void aPortInUseIsOneLineAndExitCode2(@TempDir Path home) throws Exception {
        Cli.isolateIn(home);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Outcome outcome = Cli.dlbank("serve", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(outcome.exitCode()).isEqualTo(2);
            assertThat(outcome.errLines()).singleElement().asString()
                    .startsWith("dlbank: cannot serve on 127.0.0.1:" + taken.getLocalPort())
                    .endsWith("choose another --port or --host");
        }
        Cli.Outcome badPort = Cli.dlbank("serve", "--port", "70000");
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.errLines()).containsExactly("dlbank: --port must lie in 0..65535, not 70000");
    }

    @Test
    void anAddressOtherThanLoopbackIsWarnedAbout(@TempDir Path home) {
        Cli.isolateIn(home);
        // 192.0.2.1 is a documentation address that no machine has: the warning comes, then the bind fails.
        Cli.Outcome outcome = Cli.dlbank("serve", "--host", "192.0.2.1", "--port", "0");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.errLines()).hasSize(2);
        assertThat(outcome.errLines().get(0)).startsWith("dlbank: warning: --host 192.0.2.1 makes the page reachable "
                + "from other machines");
        assertThat(outcome.errLines().get(1)).startsWith("dlbank: cannot serve on 192.0.2.1:0");
    }

    @Test
    void onlyLoopbackAddressesCountAsThisMachine() {
        assertThat(ServeCommand.isLoopback("127.0.0.1")).isTrue();
        assertThat(ServeCommand.isLoopback("::1")).isTrue();
        assertThat(ServeCommand.isLoopback("localhost")).isTrue();
        assertThat(ServeCommand.isLoopback("0.0.0.0")).isFalse();
        assertThat(ServeCommand.isLoopback("")).isFalse();
    }
}
