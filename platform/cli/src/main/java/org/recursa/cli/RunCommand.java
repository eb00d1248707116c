package org.recursa.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recursa.api.task.Mode;
import org.recursa.api.task.Split;
import org.recursa.runstore.FinalRecord;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.run.Breakdown;
import org.recursa.runtime.run.Experiment;
import org.recursa.runtime.run.RunRequest;
import org.recursa.runtime.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa run}: train an architecture on a task, evaluate every split, record the run. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train an architecture on a task, evaluate every split, and record the run in $RECURSA_HOME/runs.")
final class RunCommand implements Runnable {

    @ParentCommand
    private RecursaCommand root;

    @Spec
    private CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "ID", description = "Task id (see 'recursa extensions').")
    private String task;

    @Option(names = "--arch", required = true, paramLabel = "ID", description = "Architecture id.")
    private String arch;

    @Option(names = "--sampler", defaultValue = "greedy", paramLabel = "ID",
            description = "Sampler used for evaluation (default: ${DEFAULT-VALUE}).")
    private String sampler;

    @Option(names = "--mode", defaultValue = "io", paramLabel = "io|trace",
            description = "Train on the final answer (io) or on the reduction trace, one step at a time (trace); "
                    + "default: ${DEFAULT-VALUE}.")
    private String mode;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (same as --set train.steps=N).")
    private Integer steps;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A setting of train, arch, task or sampler, e.g. arch.d_model=64 or max_length=12.")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag to record with the run (searchable as tags.KEY).")
    private Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--note", paramLabel = "TEXT", description = "A free-text note (searchable as tags.note).")
    private String note;

    @Override
    public void run() {
        Map<String, String> all = new LinkedHashMap<>(settings);
        if (steps != null) {
            all.put("train.steps", Integer.toString(steps));
        }
        PrintWriter out = spec.commandLine().getOut();
        RecursaHome home = RecursaHome.resolve(root.home(), System.getenv());
        RunRequest request = new RunRequest(task, arch, sampler, all, seed, parseMode(), tags, note);
        try (RecursaHost host = HostSession.open(root)) {
            Experiment.Prepared prepared = Experiment.prepare(host, request);
            int threads = prepared.train().getInt("threads");
            out.printf(Locale.ROOT, "training %s on %s: %,d parameters, %d unique / %d effective layers, %d %s%n",
                    arch, task, prepared.model().info().parameters(), prepared.model().info().uniqueLayers(),
                    prepared.model().info().effectiveLayers(), threads, threads == 1 ? "thread" : "threads");
            out.flush();
            Experiment.Result result;
            try {
                result = executeWithInterrupt(prepared, home);
            } catch (java.io.UncheckedIOException e) {
                throw cannotWrite(home, e.getCause());
            }
            printSummary(out, prepared, result);
            indexRun(home, result.id(), spec.commandLine().getErr());
        }
    }

    /** One line naming the file that could not be written, or at least the runs directory. */
    private static org.recursa.runtime.RecursaException cannotWrite(RecursaHome home, java.io.IOException e) {
        return new org.recursa.runtime.RecursaException(IoMessages.writing("cannot write the run", home.runs(), e), e);
    }

    /** Ctrl-C stops training cleanly: the run is written as interrupted before the JVM exits. */
    private Experiment.Result executeWithInterrupt(Experiment.Prepared prepared, RecursaHome home) {
        PrintStream progress = System.out;
        return StopOnInterrupt.run(stop -> Experiment.execute(prepared, home.runStore(), progress,
                System.console() != null, stop));
    }

    /** Indexes the finished run now; when another process holds the index, the next search catches up. */
    static void indexRun(RecursaHome home, String id, PrintWriter err) {
        try (org.recursa.index.RunIndex index = org.recursa.index.LuceneRunIndex.open(home.index(),
                java.time.Duration.ofSeconds(10), () -> { })) {
            index.index(home.runStore(), id);
        } catch (org.recursa.index.IndexBusyException e) {
            err.println("recursa: the index is busy; the run will be indexed by the next 'recursa runs search'");
            err.flush();
        } catch (RuntimeException e) {
            // The run itself is complete on disk; the index is derived and catches up on the next search.
            err.println("recursa: the run is recorded but could not be indexed (" + e.getMessage()
                    + "); 'recursa index rebuild' will retry");
            err.flush();
        }
    }

    private Mode parseMode() {
        try {
            return Mode.of(mode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--mode: " + e.getMessage());
        }
    }

    private static void printSummary(PrintWriter out, Experiment.Prepared prepared, Experiment.Result result) {
        out.println();
        out.printf(Locale.ROOT, "run %s %s after %d steps (%.1f s)%n", result.id(), result.status(), result.steps(),
                result.seconds());
        out.printf(Locale.ROOT, "training set: %,d examples, %,d distinct inputs; no evaluation input is a training "
                + "input%n", prepared.training().size(), prepared.training().distinctInputs());
        Map<String, Split> splits = new LinkedHashMap<>();
        prepared.bound().task().splits(prepared.bound().config()).forEach(split -> splits.put(split.name(), split));
        boolean trace = prepared.bound().mode() == Mode.TRACE;
        List<String> header = new ArrayList<>(List.of("SPLIT", "OOD", "EXAMPLES", "DISTINCT", "TOKEN ACC", "SEQ ACC",
                "95% CI", "PER INPUT", "95% CI"));
        if (trace) {
            header.add("VALID TRACE");
        }
        Table table = new Table(header.toArray(String[]::new));
        for (Evaluation.Result split : result.splits()) {
            boolean ood = splits.containsKey(split.split()) && splits.get(split.split()).outOfDistribution();
            int distinct = split.distinctInputs();
            double perInput = split.distinctSequenceAccuracy();
            List<Object> row = new ArrayList<>(List.of(split.split(), ood ? "yes" : "no", split.examples(), distinct,
                    fraction(split.tokenAccuracy()), fraction(split.sequenceAccuracy()),
                    interval(FinalRecord.Interval.wilson(split.sequenceAccuracy() * split.examples(),
                            split.examples())),
                    fraction(perInput), interval(FinalRecord.Interval.wilson(perInput * distinct, distinct))));
            if (trace) {
                Double valid = split.traceValid();
                row.add(valid == null ? "-" : fraction(valid));
            }
            table.row(row.toArray());
        }
        if (!table.isEmpty()) {
            table.print(out);
            out.println("95% CI: Wilson score interval; PER INPUT: sequence accuracy with each distinct input counted "
                    + "once");
            printBreakdowns(out, result);
        }
        printDepths(out, result);
        printTraining(out, result.training());
        out.println("run directory: " + result.dir());
        out.flush();
    }

    static String fraction(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** An interval as {@code [0.973, 0.998]}. */
    static String interval(FinalRecord.Interval interval) {
        return String.format(Locale.ROOT, "[%.3f, %.3f]", interval.low(), interval.high());
    }

    /** The accuracy of every split at each inference depth of {@code eval.recursions}, when any was asked. */
    private static void printDepths(PrintWriter out, Experiment.Result result) {
        if (result.depths() == null) {
            return;
        }
        Table table = new Table("DEPTH", "SPLIT", "EXAMPLES", "DISTINCT", "SEQ ACC", "95% CI", "PER INPUT", "95% CI");
        result.depths().forEach((depth, splits) -> splits.forEach((split, r) -> table.row(depth, split, r.examples(),
                r.distinctInputs(), fraction(r.seqAcc()), interval(r.seqAccInterval()), fraction(r.seqAccDistinct()),
                interval(r.seqAccDistinctInterval()))));
        out.println("accuracy at other inference depths (eval.recursions), on the same examples:");
        table.print(out);
    }

    /** Training compute, and under a depth curriculum the steps per depth and the share saved against full depth. */
    private static void printTraining(PrintWriter out, FinalRecord.Training training) {
        if (training == null || training.depthStages() == null) {
            return;
        }
        StringBuilder stages = new StringBuilder();
        training.depthStages().forEach((depth, steps) -> stages.append(String.format(Locale.ROOT, " %s:%d", depth,
                steps)));
        out.printf(Locale.ROOT, "depth curriculum: steps per depth%s; training %.3g multiply-adds, %.1f%% fewer than "
                + "at full depth%n", stages, training.flops(),
                100 * (1 - training.flops() / training.fullDepthFlops()));
    }

    /** Sequence accuracy by feature value for every split but test-id, where the shortcuts show. */
    private static void printBreakdowns(PrintWriter out, Experiment.Result result) {
        for (Evaluation.Result split : result.splits()) {
            if (split.split().equals(Split.TEST_ID)) {
                continue;
            }
            Map<String, Map<Integer, Breakdown.Cell>> breakdown = Breakdown.of(split);
            for (String feature : Breakdown.printable(breakdown, 24)) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s seq acc by %-12s",
                        split.split(), feature));
                breakdown.get(feature).forEach((value, cell) -> line.append(String.format(Locale.ROOT, " %d:%.2f",
                        value, cell.sequenceAccuracy())));
                out.println(line);
            }
        }
    }
}
