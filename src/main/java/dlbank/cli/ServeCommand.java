package dlbank.cli;

import dlbank.data.DlbankHome;
import dlbank.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code dlbank serve}: the bank as a local web page, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the bank as a web page on this machine: answers in Chinese or English, runs with live "
                + "progress and their results, a pad to draw digits for the MNIST model, the quiz. Ctrl-C stops it.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlbankCommand root;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 takes any free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only). Any other address lets "
                    + "other machines read your runs and start training on yours.")
    String host;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) {
            throw dlbank.UserException.usage("--port must lie in 0..65535, not " + port);
        }
        if (!isLoopback(host)) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("dlbank: warning: --host " + host + " makes the page reachable from other machines: anyone who "
                    + "reaches it can read your runs and answers and start training on this machine. "
                    + "Use 127.0.0.1 unless you mean it.");
            err.flush();
        }
        WebServer server = WebServer.start(new WebServer.Settings(host, port, languageOption.resolve(), root.dataHome(),
                DlbankHome.path().resolve("quiz.json")));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dlbank-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        out.println("dlbank: serving the bank at " + server.address() + " (Ctrl-C stops it)");
        out.flush();
        stopped.await();
        return 0;
    }

    /** 127.0.0.1, ::1, localhost: the machine itself. */
    static boolean isLoopback(String host) {
        try {
            return !host.isBlank() && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
