package org.recursa.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.run.Reevaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa eval RUN}: evaluate a run's checkpoint again with a sampler, recorded as a run derived from it. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a finished run's checkpoint again with a sampler on the examples it evaluated, "
                + "recorded as a new run derived from it (params.parent), beside the run's own figures.")
final class EvalCommand implements Runnable {

    @ParentCommand
    private RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id or a unique prefix of one.")
    private String run;

    @Option(names = "--sampler", defaultValue = "greedy", paramLabel = "ID",
            description = "Sampler to decode with (see 'recursa extensions --kind sampler'; default: "
                    + "${DEFAULT-VALUE}).")
    private String sampler;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A sampler setting, e.g. sampler.temperature=0.7 (the prefix may be left out).")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the sampler's random choices (default: the run's seed, which reproduces its own "
                    + "evaluation). The examples are always the run's.")
    private Long seed;

    @Option(names = "--tag", paramLabel = "KEY=VALUE",
            description = "A tag to add to the run's tags (the new run also gets eval=<sampler>).")
    private Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--note", paramLabel = "TEXT", description = "A note (default: the run's note).")
    private String note;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        RecursaHome home = IndexSession.home(root);
        Reevaluation.Request request = new Reevaluation.Request(sampler, settings, seed, tags, note);
        StoredRun parent = home.runStore().find(run);
        try (RecursaHost host = HostSession.open(root)) {
            Reevaluation.Prepared prepared = Reevaluation.prepare(host, parent, request);
            out.printf(Locale.ROOT, "evaluating run %s (%s on %s) with sampler %s%s, seed %d%n", parent.id(),
                    prepared.architecture().entry().id(), prepared.task().entry().id(), prepared.sampler().entry().id(),
                    prepared.sampler().settings().asMap().isEmpty() ? "" : " " + prepared.sampler().settings()
                            .asMap(), prepared.seed());
            out.flush();
            Reevaluation.Result result = Reevaluation.execute(prepared, home.runStore(), line -> {
                out.println(line);
                out.flush();
            });
            print(out, parent.id(), prepared.parent().end(), result);
            RunCommand.indexRun(home, result.id(), spec.commandLine().getErr());
        }
    }

    /** Per split, the parent's row and the new run's: accuracy, speed, depth and cost. */
    private static void print(PrintWriter out, String parentId, FinalRecord parent, Reevaluation.Result result) {
        out.println();
        out.printf(Locale.ROOT, "run %s finished (%.1f s)%nderived from run %s%n", result.id(), result.seconds(),
                parentId);
        Table table = new Table("SPLIT", "RUN", "EXAMPLES", "TOKEN ACC", "SEQ ACC", "95% CI", "TOKENS/S",
                "DEPTH/TOKEN", "MODEL CALLS", "FLOPS");
        result.splits().forEach((split, mine) -> {
            FinalRecord.SplitResult theirs = parent.splits().get(split);
            if (theirs == null) {
                table.row(split, "parent", "-", "-", "-", "-", "-", "-", "-", "-");
            } else {
                row(table, split, "parent", theirs);
            }
            row(table, "", "eval", mine);
        });
        table.print(out);
        out.println("95% CI: Wilson score interval; DEPTH/TOKEN: mean recursions per generated token ('-': the "
                + "sampler recorded none)");
        out.println("run directory: " + result.dir());
        out.flush();
    }

    static void row(Table table, String split, String who, FinalRecord.SplitResult result) {
        FinalRecord.Decoding decoding = result.decoding();
        table.row(split, who, result.examples(), RunCommand.fraction(result.tokenAcc()),
                RunCommand.fraction(result.seqAcc()), RunCommand.interval(result.seqAccIntervalOrDerived()),
                decoding == null ? "-" : String.format(Locale.ROOT, "%.1f", decoding.tokensPerS()),
                decoding == null || decoding.avgDepth() == null ? "-"
                        : String.format(Locale.ROOT, "%.2f", decoding.avgDepth()),
                decoding == null ? "-" : Long.toString(decoding.modelCalls()),
                decoding == null || decoding.flops() == null ? "-"
                        : String.format(Locale.ROOT, "%.3g", decoding.flops().doubleValue()));
    }
}
