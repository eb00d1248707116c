package org.recursa.plugins.depthsamplers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.TorchReference;

/** Small real models with random weights, and prompts for them. */
final class Models {

    static final int VOCABULARY = 12;
    static final int MAX_LENGTH = 24;

    private Models() {
    }

    /** A built model with weights drawn at a scale that makes its predictions depend on depth and input. */
    static TrainableModel build(TrainableArchitecture architecture, String settings) {
        return build(architecture, settings, 0.5);
    }

    /** As {@link #build(TrainableArchitecture, String)}, weights drawn with {@code std} (0: as initialised). */
    static TrainableModel build(TrainableArchitecture architecture, String settings, double std) {
        Map<String, String> overrides = new HashMap<>(Map.of("d_model", "16", "heads", "2", "ffn", "24"));
        for (String pair : settings.isEmpty() ? new String[0] : settings.split(",")) {
            String[] kv = pair.split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        TrainableModel model = architecture.build(new ModelSpec(VOCABULARY, MAX_LENGTH, 5),
                architecture.schema().resolve(overrides));
        if (std > 0) {
            TorchReference.randomizeWeights(model, 17, std);
        }
        return model;
    }

    /** Prompts of lengths 2..7 over tokens 3..11, ending with the separator. */
    static DecodeRequest request(int rows, int maxNewTokens) {
        SplittableRandom random = new SplittableRandom(23);
        List<int[]> prompts = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int[] prompt = new int[2 + random.nextInt(6)];
            for (int t = 0; t < prompt.length - 1; t++) {
                prompt[t] = 3 + random.nextInt(VOCABULARY - 3);
            }
            prompt[prompt.length - 1] = 1;
            prompts.add(prompt);
        }
        return new DecodeRequest(prompts, maxNewTokens, 2);
    }
}
