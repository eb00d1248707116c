package org.recursa.api.compress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.recursa.api.model.WeightSet;

/**
 * What a compression changed, in the units every compressor shares, and the figures of its own method.
 *
 * @param parametersBefore values before ({@link WeightSet#parameters()} of the source)
 * @param parametersAfter  values after
 * @param bytesBefore      storage bytes before ({@link WeightSet#storageBytes()} of the source)
 * @param bytesAfter       storage bytes after
 * @param summary          one line saying what was done
 * @param measures         the method's own figures by name, e.g. {@code sparsity} or {@code max_abs_error}
 *                         (since 0.2.0)
 */
public record CompressionReport(long parametersBefore, long parametersAfter, long bytesBefore, long bytesAfter,
                                String summary, Map<String, Double> measures) {

    /** Checks the sizes and the summary; copies the measures, keeping their order. */
    public CompressionReport {
        Objects.requireNonNull(summary, "summary");
        if (parametersBefore < 0 || parametersAfter < 0 || bytesBefore < 0 || bytesAfter < 0) {
            throw new IllegalArgumentException("negative size in a compression report");
        }
        measures = Collections.unmodifiableMap(new LinkedHashMap<>(measures));
    }

    /**
     * The report of a compression from {@code before} to {@code after}: their parameters and storage bytes.
     *
     * @since 0.2.0
     */
    public static CompressionReport of(WeightSet before, WeightSet after, String summary,
                                       Map<String, Double> measures) {
        return new CompressionReport(before.parameters(), after.parameters(), before.storageBytes(),
                after.storageBytes(), summary, measures);
    }

    /** {@code bytesBefore / bytesAfter}; 1.0 means nothing was saved. */
    public double ratio() {
        return bytesAfter == 0 ? Double.POSITIVE_INFINITY : (double) bytesBefore / bytesAfter;
    }
}
