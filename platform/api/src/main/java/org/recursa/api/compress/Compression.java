package org.recursa.api.compress;

import java.util.Objects;
import org.recursa.api.model.WeightSet;

/**
 * The result of a compressor: new weights and a report.
 *
 * @param weights the compressed weights
 * @param report  what changed
 */
public record Compression(WeightSet weights, CompressionReport report) {

    /** Checks for nulls. */
    public Compression {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(report, "report");
    }
}
