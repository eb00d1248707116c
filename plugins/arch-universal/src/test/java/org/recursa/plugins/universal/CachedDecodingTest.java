package org.recursa.plugins.universal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,recursions=3";

    @ParameterizedTest
    @ValueSource(strings = {"", "act=true", "positions=rope", "positions=sinusoidal,layer_scale=0.1,identity_gate=true"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(new UniversalArchitecture(), TINY + "," + overrides);
    }
}
