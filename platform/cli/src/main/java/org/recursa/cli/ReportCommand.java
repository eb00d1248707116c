package org.recursa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recursa.report.Report;
import org.recursa.report.ReportWriter;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa report RUN... [--out DIR]}: an HTML page with charts comparing runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write an HTML report with learning curves, accuracy by OOD size/depth/carry chain, and "
                + "recursion-depth heat maps (PNG and SVG charts) for one or more runs.")
final class ReportCommand implements Runnable {

    @ParentCommand
    private RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run ids (or unique prefixes).")
    private List<String> runs;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ./recursa-report).")
    private Path out = Path.of("recursa-report");

    @Override
    public void run() {
        List<StoredRun> stored = new ArrayList<>();
        runs.forEach(id -> stored.add(IndexSession.run(root, id)));
        Report report;
        try {
            report = ReportWriter.write(stored, out.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        PrintWriter printer = spec.commandLine().getOut();
        printer.println("wrote " + report.files().size() + " files to " + out.toAbsolutePath());
        printer.println("open " + out.toAbsolutePath().resolve("index.html"));
        printer.flush();
    }
}
