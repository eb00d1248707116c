package org.recursa.plugins.loopformer;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,blocks=2,loops=3,fourier_dims=8";

    @ParameterizedTest
    @ValueSource(strings = {"", "shortcut=false"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        LoopformerArchitecture architecture = new LoopformerArchitecture();
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(architecture,
                architecture.schema().resolve(settings(TINY + (overrides.isEmpty() ? "" : "," + overrides))));
    }

    private static Map<String, String> settings(String pairs) {
        Map<String, String> settings = new java.util.HashMap<>();
        for (String pair : pairs.split(",")) {
            String[] kv = pair.split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        return settings;
    }
}
