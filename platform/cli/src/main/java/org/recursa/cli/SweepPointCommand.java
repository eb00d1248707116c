package org.recursa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.UsageException;
import org.recursa.sweep.PointCommand;
import org.recursa.sweep.SweepStore;
import org.recursa.sweep.UnknownSweepException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa sweep run-point ID POINT}: what a sweep executor starts for one point (hidden). Holds the point's
 * lock and runs it as {@code recursa run} in this process unless it has finished ({@link PointCommand}).
 */
@Command(name = PointCommand.NAME, hidden = true,
        description = "Run one point of a sweep in this process (started by the sweep's executor).")
final class SweepPointCommand implements Callable<Integer> {

    @ParentCommand
    private SweepCommand sweep;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID")
    private String id;

    @Parameters(index = "1", paramLabel = "POINT")
    private String point;

    @Override
    public Integer call() {
        RecursaHome home = RecursaHome.resolve(sweep.root.home(), System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return PointCommand.execute(SweepStore.at(home.sweeps()).open(id), point, home.runStore(), out, args -> {
                List<String> command = new ArrayList<>(List.of("--home", home.root().toString()));
                if (sweep.root.verbose()) {
                    command.add("--verbose");
                }
                command.addAll(args);
                return Main.run(command.toArray(String[]::new), out, err);
            });
        } catch (UnknownSweepException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
