package org.recursa.api.compress;

/**
 * What a compression changed, in the units every compressor shares.
 *
 * @param parametersBefore values before
 * @param parametersAfter  values after
 * @param bytesBefore      storage bytes before
 * @param bytesAfter       storage bytes after
 * @param summary          one line saying what was done
 */
public record CompressionReport(long parametersBefore, long parametersAfter, long bytesBefore, long bytesAfter,
                                String summary) {

    /** {@code bytesBefore / bytesAfter}; 1.0 means nothing was saved. */
    public double ratio() {
        return bytesAfter == 0 ? Double.POSITIVE_INFINITY : (double) bytesBefore / bytesAfter;
    }
}
