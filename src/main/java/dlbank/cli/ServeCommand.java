package dlbank.cli;

import dlbank.UserException;
import dlbank.data.DlbankHome;
import dlbank.i18n.Messages;
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
@Command(name = "serve", mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlbankCommand root;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1")
    String host;

    @Mixin
    LanguageOption languageOption;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) {
            throw UserException.usage("error.option.range", "port", 0, 65535, port);
        }
        if (!isLoopback(host)) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("dlbank: " + Messages.get("serve.warning.host", host));
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
        out.println(Messages.get("serve.serving", server.address()));
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
