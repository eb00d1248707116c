package org.recursa.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.recursa.runtime.RecursaHome;
import org.recursa.sweep.Sweep;
import org.recursa.sweep.SweepException;
import org.recursa.sweep.SweepState;
import org.recursa.sweep.SweepStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa sweep list}: every sweep with how its points stand. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the sweeps in $RECURSA_HOME/sweeps with how many points are done, running, pending and "
                + "failed.")
final class SweepListCommand implements Runnable {

    @ParentCommand
    private SweepCommand sweep;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        RecursaHome home = RecursaHome.resolve(sweep.root.home(), System.getenv());
        SweepStore store = SweepStore.at(home.sweeps());
        List<Sweep> sweeps = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                sweeps.add(store.open(id));
            } catch (SweepException unreadable) {
                spec.commandLine().getErr().println("recursa: skipped sweep " + id + ": " + unreadable.getMessage());
            }
        }
        if (sweeps.isEmpty()) {
            spec.commandLine().getOut().println("no sweeps in " + store.root());
            spec.commandLine().getOut().flush();
            return;
        }
        Instant oldest = sweeps.stream().map(s -> s.plan().created()).min(Comparator.naturalOrder()).orElseThrow();
        Map<String, Map<String, List<SweepState.RunRef>>> runs = SweepState.runs(home.runStore(), oldest);
        Table table = new Table("SWEEP", "TASK", "CREATED", "POINTS", "DONE", "RUNNING", "PENDING", "FAILED");
        for (Sweep each : sweeps) {
            SweepState.Counts counts = SweepState.counts(SweepState.of(each, runs.getOrDefault(each.id(), Map.of())));
            table.row(each.id(), each.plan().spec().task(), each.plan().created().truncatedTo(ChronoUnit.SECONDS),
                    counts.total(), counts.done(),
                    counts.running(), counts.pending(), counts.failed());
        }
        table.print(spec.commandLine().getOut());
    }
}
