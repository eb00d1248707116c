package org.recursa.plugins.identity;

import org.recursa.api.Config;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.CompressionReport;
import org.recursa.api.compress.Compressor;
import org.recursa.api.model.WeightSet;

/**
 * The no-op compressor. Every compression report is read against this baseline: the same model, the same
 * evaluation, nothing removed.
 */
public final class IdentityCompressor implements Compressor {

    /** Creates the compressor; it holds no state. */
    public IdentityCompressor() {
    }

    @Override
    public String id() {
        return "identity";
    }

    @Override
    public String description() {
        return "No-op baseline: returns the weights unchanged";
    }

    @Override
    public Compression compress(WeightSet weights, Config settings) {
        long parameters = weights.parameters();
        long bytes = weights.storageBytes();
        return new Compression(new WeightSet(weights.tensors()), new CompressionReport(parameters, parameters, bytes,
                bytes, "identity: weights unchanged (" + parameters + " parameters, " + bytes + " bytes)"));
    }
}
