package org.recursa.api.compress;

import java.util.Objects;

/**
 * The result of a compressor: the compressed model, possibly of another architecture, and a report.
 *
 * @param model  the compressed model; its weights name every parameter of its architecture with those settings,
 *               with the shapes the architecture builds ({@link CompressionContext#build})
 * @param report what changed
 */
public record Compression(ModelSnapshot model, CompressionReport report) {

    /** Checks for nulls. */
    public Compression {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(report, "report");
    }
}
