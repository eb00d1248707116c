package org.recursa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.recursa.runstore.DamagedRunException;
import org.recursa.runstore.StoredRun;
import org.recursa.index.RunSummary;
import org.recursa.runtime.RecursaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa runs compare RUN...}: what each run is (task, architecture, sampler, and the run it was derived
 * from), the other params that differ, then every metric side by side.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare runs: task, arch, sampler and parent of each, the other params that differ, and the "
                + "metrics side by side.")
final class RunsCompareCommand implements Runnable {

    /** Params shown even when every run has the same value: they say what each run is. */
    private static final List<String> IDENTITY = List.of("task", "arch", "sampler");

    @ParentCommand
    private RunsCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "RUN", description = "Two or more run ids (or unique prefixes).")
    private List<String> runs;

    @Override
    public void run() {
        List<RunSummary> summaries = new ArrayList<>();
        for (String id : runs) {
            try {
                StoredRun run = IndexSession.run(parent.root, id);
                summaries.add(RunSummary.of(run.summary(), run.dir()));
            } catch (DamagedRunException e) {
                throw new RecursaException(e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> header = new ArrayList<>(List.of("PARAM"));
        summaries.forEach(s -> header.add(s.id()));
        Table params = new Table(header.toArray(String[]::new));
        TreeSet<String> keys = new TreeSet<>();
        summaries.forEach(s -> keys.addAll(s.params().keySet()));
        List<String> shown = new ArrayList<>(IDENTITY);
        shown.add("parent");
        keys.removeAll(shown);
        shown.addAll(keys);
        int differing = 0;
        for (String key : shown) {
            List<String> values = summaries.stream().map(s -> s.params().getOrDefault(key, "-")).toList();
            boolean differs = values.stream().distinct().count() > 1;
            if (differs || IDENTITY.contains(key)) {
                List<Object> row = new ArrayList<>(List.of(key));
                row.addAll(values);
                params.row(row.toArray());
                differing += differs ? 1 : 0;
            }
        }
        params.print(out);
        if (differing == 0) {
            out.println("(the runs have the same params)");
        }
        out.println();
        header.set(0, "METRIC");
        Table metrics = new Table(header.toArray(String[]::new));
        TreeSet<String> names = new TreeSet<>();
        summaries.forEach(s -> names.addAll(s.metrics().keySet()));
        for (String name : names) {
            List<Object> row = new ArrayList<>(List.of(name));
            summaries.forEach(s -> row.add(s.metrics().containsKey(name)
                    ? Formats.number(Formats.JSON.getNodeFactory().numberNode(s.metrics().get(name))) : "-"));
            metrics.row(row.toArray());
        }
        metrics.print(out);
        out.flush();
    }
}
