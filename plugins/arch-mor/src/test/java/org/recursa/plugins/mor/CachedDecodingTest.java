package org.recursa.plugins.mor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,recursions=3,aux_weight=0.1";

    @ParameterizedTest
    @ValueSource(strings = {"", "kv=share", "router=token", "router=token,kv=share", "base_depth=2"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(new MorArchitecture(), TINY + "," + overrides);
    }
}
