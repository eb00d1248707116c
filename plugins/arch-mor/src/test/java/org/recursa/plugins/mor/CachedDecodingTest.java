package org.recursa.plugins.mor;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,recursions=3,aux_weight=0.1";

    @ParameterizedTest
    @ValueSource(strings = {"", "kv=share", "router=token", "router=token,kv=share", "base_depth=2"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        MorArchitecture architecture = new MorArchitecture();
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
