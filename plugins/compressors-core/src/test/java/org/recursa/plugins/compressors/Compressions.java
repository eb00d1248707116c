package org.recursa.plugins.compressors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.recursa.api.Config;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.Compressor;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.tck.CompressionHarness;

/**
 * A compression as the host runs one, with the cheap part of {@link org.recursa.tck.CompressorConformance#verify}:
 * accepted, source untouched, report sizes those of the weights, weights loadable into their architecture. The full
 * conformance (which also re-verifies the target architecture, gradients included) runs once per compressor; on a
 * shared two-core machine it costs minutes per call.
 */
final class Compressions {

    private Compressions() {
    }

    static Compression run(Compressor compressor, ModelSnapshot source, Map<String, String> settings,
                           CompressionHarness harness) {
        Config config = compressor.schema().resolve(settings);
        assertThat(compressor.unsupportedReason(source, config, harness.uptraining())).isEmpty();
        Map<String, Object> sourceSettings = source.settings();
        int tensors = source.weights().tensors().size();
        Compression result = compressor.compress(source, config, harness);
        assertThat(source.settings()).isEqualTo(sourceSettings);
        assertThat(source.weights().tensors()).hasSize(tensors);
        assertThat(result.report().bytesAfter()).isEqualTo(result.model().weights().storageBytes());
        assertThat(result.report().parametersAfter()).isEqualTo(result.model().weights().parameters());
        assertThat(result.report().bytesBefore()).isEqualTo(source.weights().storageBytes());
        harness.load(result.model());   // throws on a missing, extra or misshapen weight
        return result;
    }
}
