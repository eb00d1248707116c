package org.recursa.plugins.compressors;

import java.util.HashMap;
import java.util.Map;
import org.recursa.api.compress.ModelSnapshot;
import org.recursa.plugins.loopformer.LoopformerArchitecture;
import org.recursa.plugins.mor.MorArchitecture;
import org.recursa.plugins.recurrentdepth.RecurrentDepthArchitecture;
import org.recursa.plugins.relaxed.RelaxedArchitecture;
import org.recursa.plugins.sliced.SlicedArchitecture;
import org.recursa.plugins.universal.UniversalArchitecture;
import org.recursa.plugins.vanilla.VanillaArchitecture;
import org.recursa.tck.CompressionHarness;

/** Tiny trained-looking models of the first-party architectures, and a context that builds them. */
final class Models {

    static final int[][] PROBE = {{3, 4, 5, 6, 1, 2}, {5, 3, 1}};

    private Models() {
    }

    /** A context over every first-party architecture, without uptraining. */
    static CompressionHarness harness() {
        return CompressionHarness.tiny(new VanillaArchitecture(), new UniversalArchitecture(),
                new RelaxedArchitecture(), new MorArchitecture(), new RecurrentDepthArchitecture(),
                new LoopformerArchitecture(), new SlicedArchitecture());
    }

    /** A model of {@code architecture}, width 8 with 2 heads and an FFN of 12, plus {@code settings}. */
    static ModelSnapshot snapshot(CompressionHarness harness, String architecture, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("d_model", "8", "heads", "2", "ffn", "12"));
        all.putAll(settings);
        return harness.snapshot(architecture, all, 11);
    }
}
