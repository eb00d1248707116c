package org.recursa.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.run.CompressionRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa compress RUN --compressor ID}: a compressed copy of a run's model, recorded as a run derived from it. */
@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compress a finished run's model (layer tying, fewer recursions, int8, pruning), optionally "
                + "uptrain it, and record it as a new run derived from it (params.parent, params.compressor), "
                + "evaluated on every split with the run's sampler, beside the run's own size and accuracy.")
final class CompressCommand implements Runnable {

    @ParentCommand
    private RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id or a unique prefix of one.")
    private String run;

    @Option(names = "--compressor", required = true, paramLabel = "ID",
            description = "Compressor (see 'recursa extensions --kind compressor').")
    private String compressor;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A compressor setting (e.g. rank=8; the prefix compressor. may be given), or the "
                    + "uptraining: uptrain.steps=N (default 0), uptrain.lr=X (default: the run's train.lr).")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE",
            description = "A tag to add to the run's tags (the new run also gets compress=<compressor>).")
    private Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--note", paramLabel = "TEXT", description = "A note (default: the run's note).")
    private String note;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        RecursaHome home = IndexSession.home(root);
        CompressionRun.Request request = new CompressionRun.Request(compressor, settings, tags, note);
        StoredRun parent = home.runStore().find(run);
        try (RecursaHost host = HostSession.open(root)) {
            CompressionRun.Prepared prepared = CompressionRun.prepare(host, parent, request);
            out.printf(Locale.ROOT, "compressed run %s (%s on %s) with %s%s in %.1f s: %s%n", parent.id(),
                    prepared.source().architecture(), prepared.task().entry().id(), prepared.compressor().entry().id(),
                    prepared.compressor().settings().asMap().isEmpty() ? "" : " "
                            + prepared.compressor().settings().asMap(), prepared.compressSeconds(),
                    prepared.compression().report().summary());
            out.flush();
            CompressionRun.Result result = executeWithInterrupt(prepared, home);
            print(out, parent.id(), prepared.parent().end(), result);
            RunCommand.indexRun(home, result.id(), spec.commandLine().getErr());
        }
    }

    /** Ctrl-C stops uptraining cleanly: the run is written as interrupted before the JVM exits. */
    private CompressionRun.Result executeWithInterrupt(CompressionRun.Prepared prepared, RecursaHome home) {
        PrintStream progress = System.out;
        return StopOnInterrupt.run(stop -> CompressionRun.execute(prepared, home.runStore(), progress,
                System.console() != null, stop));
    }

    /** The size before and after, then per split the parent's row and the compressed run's. */
    private static void print(PrintWriter out, String parentId, FinalRecord parent, CompressionRun.Result result) {
        FinalRecord.Compression saved = result.compression();
        out.println();
        out.printf(Locale.ROOT, "run %s %s%s%nderived from run %s%n", result.id(), result.status(),
                saved.uptrainSteps() == 0 ? "" : String.format(Locale.ROOT, " (uptrained %d steps in %.1f s)",
                        saved.uptrainSteps(), saved.uptrainSeconds()), parentId);
        Table sizes = new Table("MODEL", "PARAMETERS", "WEIGHT BYTES", "CHECKPOINT BYTES", "SMALLER BY");
        sizes.row("parent", saved.parametersBefore(), saved.bytesBefore(), saved.parentCheckpointBytes(), "-");
        sizes.row("compressed", saved.parametersAfter(), saved.bytesAfter(), saved.checkpointBytes(),
                String.format(Locale.ROOT, "%.2fx", saved.checkpointRatio()));
        sizes.print(out);
        if (!saved.measures().isEmpty()) {
            StringBuilder measures = new StringBuilder("compressor measures:");
            saved.measures().forEach((name, value) -> measures.append(' ').append(name).append('=')
                    .append(String.format(Locale.ROOT, "%.4g", value)));
            out.println(measures);
        }
        out.println();
        Table table = new Table("SPLIT", "RUN", "EXAMPLES", "TOKEN ACC", "SEQ ACC", "95% CI", "TOKENS/S",
                "DEPTH/TOKEN", "MODEL CALLS", "FLOPS");
        result.splits().forEach((split, mine) -> {
            FinalRecord.SplitResult theirs = parent.splits().get(split);
            if (theirs == null) {
                table.row(split, "parent", "-", "-", "-", "-", "-", "-", "-", "-");
            } else {
                EvalCommand.row(table, split, "parent", theirs);
            }
            EvalCommand.row(table, "", "compressed", mine);
        });
        table.print(out);
        out.println("parent rows: as the run recorded them; 95% CI: Wilson score interval");
        out.println("run directory: " + result.dir());
        out.flush();
    }
}
