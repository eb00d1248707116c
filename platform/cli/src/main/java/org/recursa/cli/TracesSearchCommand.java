package org.recursa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.recursa.index.RunIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa traces search FILTER}: evaluated examples matching a filter over artifact fields. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List evaluated examples matching a filter, e.g. \"task = 'binary-successor' and "
                + "verdict = 'wrong' and carry_chain >= 6 and run.params.arch = 'universal'\".")
final class TracesSearchCommand implements Runnable {

    @ParentCommand
    private TracesCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private SearchOptions options;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        IndexQueries.Results results = IndexQueries.run(spec.commandLine(), parent.root, false, options);
        RunIndex.Hits hits = results.hits();
        List<JsonNode> records = results.sources();
        switch (options.format) {
            case "json" -> Formats.printJsonArray(out, records);
            case "csv" -> csv(out, records);
            default -> table(out, records, hits);
        }
        out.flush();
    }

    private static void table(PrintWriter out, List<JsonNode> records, RunIndex.Hits hits) {
        if (records.isEmpty()) {
            out.println("no artifacts match");
            return;
        }
        Table table = new Table("RUN", "SPLIT", "EXAMPLE", "VERDICT", "FEATURES", "INPUT", "EXPECTED", "PREDICTED");
        for (JsonNode r : records) {
            table.row(r.path("run").asText(), r.path("split").asText(), r.path("example").asText(),
                    r.path("verdict").asText(), features(r.path("features")), Formats.tokens(r.path("input"), 40),
                    Formats.tokens(r.path("expected"), 40), Formats.tokens(r.path("predicted"), 40));
        }
        table.print(out);
        out.printf("%d of %s%d examples%n", records.size(), hits.totalExact() ? "" : "at least ", hits.total());
    }

    private static String features(JsonNode features) {
        List<String> parts = new ArrayList<>();
        features.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + f.getValue().asText()));
        return String.join(",", parts);
    }

    private static void csv(PrintWriter out, List<JsonNode> records) {
        out.println(Formats.csv(List.of("run", "task", "arch", "mode", "split", "example", "verdict", "features", "input",
                "expected", "predicted", "explanation")));
        for (JsonNode r : records) {
            out.println(Formats.csv(List.of(r.path("run").asText(), r.path("task").asText(), r.path("arch").asText(),
                    r.path("mode").asText(), r.path("split").asText(), r.path("example").asText(),
                    r.path("verdict").asText(), features(r.path("features")), Formats.tokens(r.path("input"), 10_000),
                    Formats.tokens(r.path("expected"), 10_000), Formats.tokens(r.path("predicted"), 10_000),
                    r.path("explanation").asText())));
        }
    }
}
