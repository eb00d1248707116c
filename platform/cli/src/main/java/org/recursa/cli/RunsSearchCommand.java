package org.recursa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.recursa.index.RunIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa runs search FILTER}: runs matching an MLflow-style filter. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List runs matching a filter, e.g. \"metrics.seq_acc_test_id > 0.5\" --order-by \"metrics.seq_acc_ood DESC\".")
final class RunsSearchCommand implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @ParentCommand
    private RunsCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private SearchOptions options;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        IndexQueries.Results results = IndexQueries.run(spec.commandLine(), parent.root, true, options);
        RunIndex.Hits hits = results.hits();
        List<JsonNode> runs = results.sources();
        switch (options.format) {
            case "json" -> Formats.printJsonArray(out, runs);
            case "csv" -> csv(out, runs);
            default -> table(out, runs, hits);
        }
        out.flush();
    }

    private void table(PrintWriter out, List<JsonNode> runs, RunIndex.Hits hits) {
        if (runs.isEmpty()) {
            out.println("no runs match");
            return;
        }
        String extra = sortMetric();
        Table table = extra == null
                ? new Table("RUN", "STATUS", "TASK", "ARCH", "MODE", "STARTED", "SEQ_ACC_TEST_ID", "SEQ_ACC_OOD")
                : new Table("RUN", "STATUS", "TASK", "ARCH", "MODE", "STARTED", "SEQ_ACC_TEST_ID", "SEQ_ACC_OOD",
                        extra.toUpperCase(java.util.Locale.ROOT));
        for (JsonNode run : runs) {
            List<Object> row = new ArrayList<>(List.of(run.path("run_id").asText(), run.path("status").asText(),
                    run.path("task").asText(), run.path("arch").asText(), run.at("/params/mode").asText("io"),
                    TIME.format(Instant.ofEpochMilli(run.path("start_time").asLong())),
                    Formats.number(run.at("/metrics/seq_acc_test_id")), Formats.number(run.at("/metrics/seq_acc_ood"))));
            if (extra != null) {
                row.add(Formats.number(run.path("metrics").get(extra)));
            }
            table.row(row.toArray());
        }
        table.print(out);
        out.printf("%d of %s%d runs%n", runs.size(), hits.totalExact() ? "" : "at least ", hits.total());
    }

    /** The first order-by metric when it is not already a column. */
    private String sortMetric() {
        String orderBy = options.orderBy;
        if (orderBy == null || !orderBy.trim().startsWith("metrics.")) {
            return null;
        }
        String metric = orderBy.trim().substring("metrics.".length()).split("[\\s,]+")[0];
        return metric.equals("seq_acc_test_id") || metric.equals("seq_acc_ood") ? null : metric;
    }

    private static void csv(PrintWriter out, List<JsonNode> runs) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        for (JsonNode run : runs) {
            run.path("params").fieldNames().forEachRemaining(params::add);
            run.path("metrics").fieldNames().forEachRemaining(metrics::add);
        }
        List<String> header = new ArrayList<>(List.of("run_id", "status", "task", "arch", "start_time", "end_time"));
        params.forEach(p -> header.add("params." + p));
        metrics.forEach(m -> header.add("metrics." + m));
        out.println(Formats.csv(header));
        for (JsonNode run : runs) {
            List<String> row = new ArrayList<>();
            for (String field : List.of("run_id", "status", "task", "arch", "start_time", "end_time")) {
                row.add(run.path(field).asText());
            }
            params.forEach(p -> row.add(run.path("params").path(p).asText("")));
            metrics.forEach(m -> row.add(run.path("metrics").has(m) ? run.path("metrics").get(m).asText() : ""));
            out.println(Formats.csv(row));
        }
    }
}
