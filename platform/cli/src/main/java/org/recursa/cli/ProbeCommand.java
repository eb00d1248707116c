package org.recursa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.recursa.runstore.ProbeRecord;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.probe.Probe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa probe RUN}: linear probes of a finished run's hidden states per layer or recursion. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Fit linear probes that read the task's per-token features (e.g. carry chain, depth) from a "
                + "finished run's hidden state after every layer or recursion; print their held-out accuracy or R² "
                + "and record them in the run directory for 'recursa report'.")
final class ProbeCommand implements Runnable {

    @ParentCommand
    private RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id or a unique prefix of one.")
    private String run;

    @Option(names = "--split", defaultValue = "test-id", paramLabel = "SPLIT",
            description = "Split whose examples are regenerated and probed (default: ${DEFAULT-VALUE}).")
    private String split;

    @Option(names = "--examples", paramLabel = "N",
            description = "Examples to probe (default: as many as the run evaluated per split); a quarter are held "
                    + "out for scoring.")
    private Integer examples;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        RecursaHome home = IndexSession.home(root);
        try (RecursaHost host = HostSession.open(root)) {
            Probe.Prepared prepared = Probe.prepare(host, home.runStore(), run, split, examples);
            out.printf(Locale.ROOT, "probing run %s (%s on %s), split %s: %d examples%n", prepared.run().id(),
                    prepared.config().architecture().id(), prepared.config().task().id(), split,
                    prepared.examples().size());
            out.flush();
            Probe.Result result = Probe.execute(prepared, home.runStore());
            print(out, result.record());
            out.println("wrote " + result.file());
            out.flush();
        }
    }

    /** One row per recorded step, one column per feature; the last row is what the metric gives without a state. */
    private static void print(PrintWriter out, ProbeRecord record) {
        out.printf(Locale.ROOT, "fitted on the tokens of %d examples, scored on the tokens of %d held-out ones%n",
                record.trainExamples(), record.testExamples());
        String[] header = new String[record.targets().size() + 2];
        header[0] = "STEP";
        header[1] = "TOKENS";
        for (int i = 0; i < record.targets().size(); i++) {
            ProbeRecord.Target target = record.targets().get(i);
            header[i + 2] = target.name() + (target.metric().equals("r2") ? " (R²)" : " (acc)");
        }
        Table table = new Table(header);
        for (String step : record.steps()) {
            Object[] row = new Object[header.length];
            row[0] = step;
            int tokens = 0;
            for (int i = 0; i < record.targets().size(); i++) {
                ProbeRecord.Score score = record.targets().get(i).scores().get(step);
                row[i + 2] = score == null ? "-" : format(score.value());
                tokens = Math.max(tokens, score == null ? 0 : score.trainTokens() + score.testTokens());
            }
            row[1] = tokens;
            table.row(row);
        }
        Object[] baseline = new Object[header.length];
        baseline[0] = "(baseline)";
        baseline[1] = "";
        for (int i = 0; i < record.targets().size(); i++) {
            baseline[i + 2] = format(record.targets().get(i).baseline());
        }
        table.row(baseline);
        table.print(out);
    }

    private static String format(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
