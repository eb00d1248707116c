package org.recursa.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options both search commands take. */
final class SearchOptions {

    @Parameters(index = "0", arity = "0..1", defaultValue = "", paramLabel = "FILTER",
            description = "MLflow-style filter, e.g. \"metrics.seq_acc_test_id > 0.5 and params.arch = 'mor'\" "
                    + "(docs/search.md). Empty: everything.")
    String filter;

    @Option(names = "--order-by", paramLabel = "KEY [ASC|DESC]", description = "Sort key(s), e.g. 'metrics.seq_acc_ood DESC'.")
    String orderBy;

    @Option(names = "--max", defaultValue = "20", paramLabel = "N", description = "Most results (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    void validate(picocli.CommandLine line) {
        if (!java.util.List.of("table", "json", "csv").contains(format)) {
            throw new picocli.CommandLine.ParameterException(line,
                    "--format: unknown format '" + format + "'; valid formats: table, json, csv");
        }
        if (max < 1) {
            throw new picocli.CommandLine.ParameterException(line, "--max must be at least 1, got " + max);
        }
    }
}
