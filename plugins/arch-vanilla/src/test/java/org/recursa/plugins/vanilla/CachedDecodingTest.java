package org.recursa.plugins.vanilla;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,layers=2";

    @ParameterizedTest
    @ValueSource(strings = {"", "positions=sinusoidal", "positions=rope", "positions=none"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(new VanillaArchitecture(), TINY + "," + overrides);
    }
}
