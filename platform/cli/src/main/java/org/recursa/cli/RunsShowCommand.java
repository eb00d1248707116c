package org.recursa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.recursa.index.RunSummary;
import org.recursa.runstore.DamagedRunException;
import org.recursa.runstore.FinalRecord;
import org.recursa.runstore.ProbeRecord;
import org.recursa.runstore.Provenance;
import org.recursa.runstore.RunConfig;
import org.recursa.runstore.StoredRun;
import org.recursa.runtime.RecursaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa runs show RUN}: everything recorded about one run, read through the run store. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a run: status, provenance (bundles, versions, settings, platform), metrics and files.")
final class RunsShowCommand implements Runnable {

    @ParentCommand
    private RunsCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id or a unique prefix of one.")
    private String run;

    @Override
    public void run() {
        StoredRun stored = IndexSession.run(parent.root, run);
        RunSummary summary;
        RunConfig config;
        Optional<FinalRecord> end;
        try {
            summary = RunSummary.of(stored.summary(), stored.dir());
            config = stored.config();
            end = stored.end();
        } catch (DamagedRunException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("run       %s%nstatus    %s%s%ndirectory %s%n", summary.id(), summary.status(),
                summary.reason() == null ? "" : " (" + summary.reason() + ")", stored.dir());
        if (config.parent() != null) {
            out.printf("parent    %s%n", config.parent());
        }
        out.printf("task      %s (%s %s), mode %s%n", summary.task(), config.task().bundle(), config.task().version(),
                config.mode());
        out.printf("arch      %s (%s %s)%n", summary.arch(), config.architecture().bundle(),
                config.architecture().version());
        if (config.sampler() != null) {
            out.printf("sampler   %s (%s %s)%n", config.sampler().id(), config.sampler().bundle(),
                    config.sampler().version());
        }
        if (config.compressor() != null) {
            out.printf("compressor %s (%s %s) %s%n", config.compressor().id(), config.compressor().bundle(),
                    config.compressor().version(), config.compressor().settings());
        }
        out.printf("seed      %s%nplatform  %s%nformat    %d%n", config.seed(), config.platform(), config.format());
        provenance(out, config.provenance());
        section(out, "params", summary.params());
        end.ifPresent(record -> splits(out, record));
        section(out, "metrics", summary.metrics());
        if (!summary.tags().isEmpty()) {
            section(out, "tags", summary.tags());
        }
        out.println("artifacts");
        stored.artifacts().forEach((split, file) -> out.printf("  %-24s %s%n", split, file.path()));
        stored.checkpoint().ifPresent(file -> out.printf("checkpoint%n  %s%n", file));
        probes(out, stored);
        out.flush();
    }

    /** The splits {@code recursa probe} recorded, with what each probe covers. */
    private static void probes(PrintWriter out, StoredRun stored) {
        Map<String, ProbeRecord> probes;
        try {
            probes = stored.probes();
        } catch (DamagedRunException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        if (probes.isEmpty()) {
            return;
        }
        out.println("probes");
        probes.forEach((split, record) -> out.printf("  %-24s %d steps x %d features, %d examples, %s%n", split,
                record.steps().size(), record.targets().size(), record.examples(), record.createdAt()));
    }

    /** The build, and every bundle with its hash abbreviated; {@code config.json} has them in full. */
    private static void provenance(PrintWriter out, Provenance provenance) {
        if (provenance == null) {
            out.println("built by  not recorded (the run predates provenance)");
            return;
        }
        Provenance.Platform platform = provenance.platform();
        if (platform != null) {
            String commit = platform.commit() == null || platform.commit().equals(Provenance.UNKNOWN) ? "unknown"
                    : platform.commit().substring(0, Math.min(12, platform.commit().length()));
            out.printf("built by  recursa %s (commit %s%s)%n", platform.version(), commit,
                    Boolean.TRUE.equals(platform.dirty()) ? ", with uncommitted changes" : "");
        }
        out.printf("bundles   %d started (sha256 abbreviated)%n", provenance.bundles().size());
        for (Provenance.Bundle bundle : provenance.bundles()) {
            String sha = bundle.sha256() == null ? Provenance.UNKNOWN
                    : bundle.sha256().substring(0, Math.min(12, bundle.sha256().length()));
            out.printf("  %-40s %-16s %s%s%n", bundle.symbolicName(), bundle.version(), sha,
                    bundle.supplies().isEmpty() ? "" : "  " + String.join(", ", bundle.supplies()));
        }
    }

    /**
     * Every evaluated split: examples, distinct inputs, accuracy per example and per distinct input with their
     * Wilson 95% intervals. Runs recorded before distinct inputs show {@code -} for them; their per-example interval
     * is computed from the recorded accuracy.
     */
    private static void splits(PrintWriter out, FinalRecord end) {
        if (end.splits().isEmpty()) {
            return;
        }
        out.println("splits");
        Table table = new Table("  SPLIT", "EXAMPLES", "DISTINCT", "TOKEN ACC", "SEQ ACC", "95% CI", "PER INPUT",
                "95% CI");
        end.splits().forEach((name, split) -> table.row("  " + name, split.examples(),
                split.distinctInputs() == null ? "-" : split.distinctInputs(),
                String.format(Locale.ROOT, "%.4f", split.tokenAcc()),
                String.format(Locale.ROOT, "%.4f", split.seqAcc()),
                RunCommand.interval(split.seqAccIntervalOrDerived()),
                split.seqAccDistinct() == null ? "-" : String.format(Locale.ROOT, "%.4f", split.seqAccDistinct()),
                split.seqAccDistinctInterval() == null ? "-" : RunCommand.interval(split.seqAccDistinctInterval())));
        table.print(out);
    }

    private static void section(PrintWriter out, String title, Map<String, ?> values) {
        out.println(title);
        values.forEach((k, v) -> out.printf("  %-28s %s%n", k, v instanceof Double d ? Formats.number(
                Formats.JSON.getNodeFactory().numberNode(d)) : v));
    }
}
