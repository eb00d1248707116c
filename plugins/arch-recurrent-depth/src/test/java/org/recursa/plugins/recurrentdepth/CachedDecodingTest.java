package org.recursa.plugins.recurrentdepth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recursa.tck.ArchitectureConformance;

/** Incremental decoding over the key/value cache gives the logits a full recomputation gives. */
class CachedDecodingTest {

    private static final String TINY = "d_model=8,heads=2,ffn=12,recurrent_layers=1,mean_recurrence=2,backprop_depth=2";

    @ParameterizedTest
    @ValueSource(strings = {"", "init_state=zeros", "recurrent_layers=2,positions=rope"})
    void cachedLogitsEqualRecomputedOnes(String overrides) {
        ArchitectureConformance.decodesIncrementallyAsItRecomputes(new RecurrentDepthArchitecture(), TINY + "," + overrides);
    }
}
