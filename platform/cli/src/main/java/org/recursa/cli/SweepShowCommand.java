package org.recursa.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.recursa.runtime.RecursaHome;
import org.recursa.sweep.Seeds;
import org.recursa.sweep.Stats;
import org.recursa.sweep.Sweep;
import org.recursa.sweep.SweepAggregate;
import org.recursa.sweep.SweepSpec;
import org.recursa.sweep.SweepState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa sweep show ID}: progress, and accuracy across seeds per configuration and split. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a sweep's progress and, per configuration (the seed left out) and split, the mean, "
                + "standard deviation and 95%% t-interval over seeds of sequence and token accuracy, and sequence "
                + "accuracy per feature value.")
final class SweepShowCommand implements Runnable {

    /** Features with fewer or more values get no line (the rule of 'recursa run' and the report). */
    static final int MIN_FEATURE_VALUES = 2;
    static final int MAX_FEATURE_VALUES = 24;

    @ParentCommand
    private SweepCommand sweep;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Sweep id (or a unique prefix).")
    private String id;

    @Override
    public void run() {
        RecursaHome home = RecursaHome.resolve(sweep.root.home(), System.getenv());
        Sweep opened = SweepSession.open(home, id);
        SweepAggregate aggregate = SweepAggregate.of(opened, home.runStore());
        PrintWriter out = spec.commandLine().getOut();
        SweepSpec request = opened.plan().spec();
        out.printf(Locale.ROOT, "sweep %s: task %s, mode %s, sampler %s, created %s%n", opened.id(), request.task(),
                request.mode(), request.sampler(), opened.plan().created().truncatedTo(ChronoUnit.SECONDS));
        out.println("swept:  " + swept(request) + "; seeds " + Seeds.describe(request.seeds()));
        String fixed = (request.arch() == null ? "" : "arch=" + request.arch() + " ") + request.settings().entrySet()
                .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        if (!fixed.isBlank()) {
            out.println("fixed:  " + fixed.strip());
        }
        out.println("points: " + aggregate.counts() + " (of " + aggregate.counts().total() + ")");
        aggregate.notes().forEach(note -> out.println("note:   " + note));
        out.println();
        table(aggregate).print(out);
        out.println();
        out.println("DISTINCT: the fewest..most distinct inputs of a seed's split; PER INPUT: sequence accuracy with "
                + "each distinct input counted once; 95% CI: t-interval of the mean over seeds");
        features(out, aggregate);
        depths(out, aggregate);
        compute(out, aggregate);
        failures(out, opened, aggregate.points());
        out.flush();
    }

    /** Per configuration and split: distinct inputs, then mean, sd and interval of each accuracy over seeds. */
    private static Table table(SweepAggregate aggregate) {
        Table table = new Table("CONFIGURATION", "SEEDS", "SPLIT", "DISTINCT", "SEQ ACC", "SD", "95% CI",
                "PER INPUT", "SD", "95% CI", "TOKEN ACC", "SD", "95% CI");
        for (SweepAggregate.Group group : aggregate.groups()) {
            String seeds = group.runs().size() + "/" + group.points();
            if (group.splits().isEmpty()) {
                table.row(group.config(), seeds, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-");
            }
            boolean first = true;
            for (Map.Entry<String, SweepAggregate.Split> entry : group.splits().entrySet()) {
                SweepAggregate.Split split = entry.getValue();
                List<String> cells = new ArrayList<>(List.of(first ? group.config() : "", first ? seeds : "",
                        entry.getKey(), split.distinctInputs() == null ? "-" : split.distinctInputs().toString()));
                cells.addAll(columns(split.seqAcc()));
                cells.addAll(columns(split.seqAccDistinct()));
                cells.addAll(columns(split.tokenAcc()));
                table.row(cells.toArray(String[]::new));
                first = false;
            }
        }
        return table;
    }

    /** Per configuration, split and inference depth ({@code eval.recursions}): sequence accuracy over seeds. */
    private static void depths(PrintWriter out, SweepAggregate aggregate) {
        if (aggregate.groups().stream().allMatch(g -> g.depths().isEmpty())) {
            return;
        }
        Table table = new Table("CONFIGURATION", "SPLIT", "DEPTH", "SEEDS", "SEQ ACC", "SD", "95% CI", "PER INPUT",
                "SD", "95% CI");
        for (SweepAggregate.Group group : aggregate.groups()) {
            List<String> splits = new ArrayList<>();
            group.depths().values().forEach(bySplit -> bySplit.keySet().stream().filter(s -> !splits.contains(s))
                    .forEach(splits::add));
            for (String split : splits) {
                group.depths().forEach((depth, bySplit) -> {
                    SweepAggregate.Split stats = bySplit.get(split);
                    if (stats != null) {
                        List<String> cells = new ArrayList<>(List.of(group.config(), split, Integer.toString(depth),
                                Integer.toString(stats.seqAcc().n())));
                        cells.addAll(columns(stats.seqAcc()));
                        cells.addAll(columns(stats.seqAccDistinct()));
                        table.row(cells.toArray(String[]::new));
                    }
                });
            }
        }
        out.println();
        out.println("seq acc by inference depth (eval.recursions), over seeds:");
        table.print(out);
    }

    /** Per configuration: training steps, seconds and multiply-adds over seeds, and the share a curriculum saved. */
    private static void compute(PrintWriter out, SweepAggregate aggregate) {
        Table table = new Table("CONFIGURATION", "STEPS", "SECONDS", "SD", "95% CI", "TRAIN FLOPS", "SD",
                "VS FULL DEPTH");
        boolean any = false;
        for (SweepAggregate.Group group : aggregate.groups()) {
            SweepAggregate.Compute compute = group.compute();
            if (compute.seconds() == null) {
                continue;
            }
            any = true;
            table.row(group.config(), String.format(Locale.ROOT, "%.0f", compute.steps().mean()),
                    String.format(Locale.ROOT, "%.0f", compute.seconds().mean()),
                    String.format(Locale.ROOT, "%.0f", compute.seconds().sd()), seconds(compute.seconds()),
                    compute.flops() == null ? "-" : String.format(Locale.ROOT, "%.3g", compute.flops().mean()),
                    compute.flops() == null ? "-" : String.format(Locale.ROOT, "%.2g", compute.flops().sd()),
                    compute.flops() == null ? "-" : String.format(Locale.ROOT, "%.3f",
                            compute.flops().mean() / compute.fullDepthFlops().mean()));
        }
        if (any) {
            out.println();
            out.println("training compute, mean over seeds (VS FULL DEPTH: multiply-adds against the same steps at "
                    + "full depth):");
            table.print(out);
        }
    }

    private static String seconds(Stats stats) {
        return Double.isNaN(stats.half()) ? "-" : String.format(Locale.ROOT, "[%.0f, %.0f]", stats.low(),
                stats.high());
    }

    /** Mean, standard deviation and interval; dashes for a metric no run recorded. */
    private static List<String> columns(Stats stats) {
        return stats == null ? List.of("-", "-", "-")
                : List.of(number(stats.mean()), number(stats.sd()), interval(stats));
    }

    /** Sequence accuracy by feature value, mean ± half-width of the 95% interval, for every split but test-id. */
    private static void features(PrintWriter out, SweepAggregate aggregate) {
        boolean header = false;
        for (SweepAggregate.Group group : aggregate.groups()) {
            for (Map.Entry<String, SweepAggregate.Split> split : group.splits().entrySet()) {
                if (split.getKey().equals("test-id")) {
                    continue;
                }
                for (Map.Entry<String, Map<String, Stats>> feature : split.getValue().byFeature().entrySet()) {
                    int values = feature.getValue().size();
                    if (values < MIN_FEATURE_VALUES || values > MAX_FEATURE_VALUES) {
                        continue;
                    }
                    if (!header) {
                        out.println();
                        out.println("seq acc by feature value, mean ± 95% half-width over seeds:");
                        header = true;
                    }
                    StringBuilder line = new StringBuilder("  " + group.config() + "  " + split.getKey() + "  by "
                            + feature.getKey() + ":");
                    feature.getValue().forEach((value, stats) -> line.append(' ').append(value).append(':')
                            .append(String.format(Locale.ROOT, "%.2f", stats.mean()))
                            .append(Double.isNaN(stats.half()) ? "" : String.format(Locale.ROOT, "±%.2f",
                                    stats.half())));
                    out.println(line);
                }
            }
        }
    }

    private static void failures(PrintWriter out, Sweep sweep, List<SweepState.Point> points) {
        List<SweepState.Point> failed = points.stream().filter(p -> p.state() == SweepState.State.FAILED).toList();
        if (failed.isEmpty()) {
            return;
        }
        out.println();
        out.println("failed points (redone by 'recursa sweep resume " + sweep.id() + "'):");
        for (SweepState.Point point : failed) {
            SweepState.RunRef last = point.last().orElseThrow();
            out.println("  " + point.point().describe() + ": run " + last.id() + " " + last.status().id()
                    + (last.reason() == null ? "" : ": " + last.reason()));
        }
    }

    private static String swept(SweepSpec request) {
        StringBuilder text = new StringBuilder();
        request.grid().forEach(axis -> text.append(text.length() == 0 ? "" : " ").append(axis));
        request.random().forEach(axis -> text.append(text.length() == 0 ? "" : " ").append(axis));
        if (!request.random().isEmpty()) {
            text.append(" (").append(request.trials()).append(" trials, sample seed ").append(request.sampleSeed())
                    .append(')');
        }
        return text.length() == 0 ? "nothing but the seed" : text.toString();
    }

    static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    static String interval(Stats stats) {
        return Double.isNaN(stats.half()) ? "-" : String.format(Locale.ROOT, "[%.4f, %.4f]", stats.low(),
                stats.high());
    }
}
