package org.recursa.plugins.identity;

import java.util.Map;
import org.recursa.api.Config;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.CompressionContext;
import org.recursa.api.compress.CompressionReport;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
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
        return "No-op baseline: returns the model unchanged";
    }

    @Override
    public Compression compress(ModelSnapshot source, Config settings, CompressionContext context) {
        WeightSet weights = source.weights();
        return new Compression(source, CompressionReport.of(weights, weights, "identity: model unchanged ("
                + weights.parameters() + " parameters, " + weights.storageBytes() + " bytes)", Map.of()));
    }
}
