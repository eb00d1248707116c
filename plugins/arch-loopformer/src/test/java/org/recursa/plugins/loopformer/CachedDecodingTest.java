package org.recursa.plugins.loopformer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,blocks=2,loops=3,fourier_dims=8";

    @ParameterizedTest
    @ValueSource(strings = {"", "shortcut=false"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(new LoopformerArchitecture(), TINY + "," + overrides);
    }
}
