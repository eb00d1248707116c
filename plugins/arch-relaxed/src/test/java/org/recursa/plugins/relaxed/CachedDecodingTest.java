package org.recursa.plugins.relaxed;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,shared_layers=2,loops=2,lora_rank=2";

    @ParameterizedTest
    @ValueSource(strings = {"", "lora_rank=0"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(new RelaxedArchitecture(), TINY + "," + overrides);
    }
}
