package org.recursa.plugins.sliced;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,blocks=2,loops=2,groups=2,nll_hidden=6,shuffle=false";

    @ParameterizedTest
    @ValueSource(strings = {"", "groups1=2", "groups=1"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(new SlicedArchitecture(), TINY + "," + overrides);
    }
}
