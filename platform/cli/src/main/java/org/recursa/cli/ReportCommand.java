package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recursa.report.Report;
import org.recursa.report.ReportWriter;
import org.recursa.report.SweepReportWriter;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;
import org.recursa.sweep.SweepAggregate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code recursa report RUN... [--out DIR]}: an HTML page with charts comparing runs; {@code recursa report --sweep
 * ID}: a sweep's accuracy across seeds, with error bars.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write an HTML report with learning curves, accuracy by OOD size/depth/carry chain, and "
                + "recursion-depth heat maps (PNG and SVG charts) for one or more runs; with --sweep, the accuracy of "
                + "every configuration of a sweep across seeds (mean and 95%% interval as error bars).")
final class ReportCommand implements Runnable {

    @ParentCommand
    private RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "RUN", description = "Run ids (or unique prefixes).")
    private List<String> runs = new ArrayList<>();

    @Option(names = "--sweep", paramLabel = "ID", description = "Report a sweep (id or unique prefix) instead of runs.")
    private String sweep;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ./recursa-report).")
    private Path out = Path.of("recursa-report");

    @Override
    public void run() {
        if (runs.isEmpty() == (sweep == null)) {
            throw new ParameterException(spec.commandLine(), runs.isEmpty() ? "give run ids or --sweep ID"
                    : "give run ids or --sweep ID, not both");
        }
        Report report;
        try {
            if (sweep != null) {
                RecursaHome home = IndexSession.home(root);
                report = SweepReportWriter.write(SweepAggregate.of(SweepSession.open(home, sweep), home.runStore()),
                        out.toAbsolutePath());
            } else {
                List<StoredRun> stored = new ArrayList<>();
                runs.forEach(id -> stored.add(IndexSession.run(root, id)));
                report = ReportWriter.write(stored, out.toAbsolutePath());
            }
        } catch (IllegalArgumentException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        PrintWriter printer = spec.commandLine().getOut();
        printer.println("wrote " + report.files().size() + " files to " + out.toAbsolutePath());
        printer.println("open " + out.toAbsolutePath().resolve("index.html"));
        printer.flush();
    }
}
