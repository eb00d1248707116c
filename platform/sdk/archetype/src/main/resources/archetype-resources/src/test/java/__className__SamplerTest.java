package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.SpecialTokens;
import org.recursa.tck.SamplerConformance;
import org.recursa.tck.TableModel;

class ${className}SamplerTest {

    private final ${className}Sampler sampler = new ${className}Sampler();
    private final Config defaults = sampler.schema().defaults();

    /** The sampler TCK: the stop token, the length limits, determinism for a seed, well-formed outputs. */
    @Test
    void passesTheSamplerConformanceKit() {
        SamplerConformance.verify(sampler, defaults);
        // On a flat distribution every token survives min-p, so seeds must matter.
        TableModel flat = TableModel.chain(SamplerConformance.VOCABULARY, 16, last -> -1);
        SamplerConformance.differentSeedsDiffer(sampler, defaults, flat, request(new int[] {3, 4}), 10);
    }

    @Test
    void minPOfOneIsGreedy() {
        Config greedy = sampler.schema().resolve(Map.of("min_p", "1"));
        SamplerConformance.agreesWithGreedy(sampler, greedy, randomTable(5), request(new int[] {3}, new int[] {7, 8}));
    }

    @Test
    void drawsOnlyTokensAboveTheCutOff() {
        // probabilities 0.6, 0.3, 0.1 for tokens 3, 4, 5: with min_p 0.4, 5 (0.1 / 0.6 < 0.4) is never drawn
        float[] logits = new float[SamplerConformance.VOCABULARY];
        Arrays.fill(logits, -100f);
        logits[3] = (float) Math.log(0.6);
        logits[4] = (float) Math.log(0.3);
        logits[5] = (float) Math.log(0.1);
        SplittableRandom random = new SplittableRandom(1);
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            drawn.add(${className}Sampler.draw(logits, 0, SpecialTokens.STANDARD.pad(), 0.4, 1.0, random));
        }
        assertThat(drawn).containsExactlyInAnyOrder(3, 4);
    }

    /** A model whose next-token logits are random (seeded) and depend on the last token only. */
    private static TableModel randomTable(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] table = new float[SamplerConformance.VOCABULARY][SamplerConformance.VOCABULARY];
        for (float[] row : table) {
            for (int v = 0; v < row.length; v++) {
                row[v] = (float) (3 * random.nextGaussian());
            }
        }
        return TableModel.of(table, 16);
    }

    private static DecodeRequest request(int[]... prompts) {
        return new DecodeRequest(List.of(prompts), 6, SamplerConformance.STOP, 11, SpecialTokens.STANDARD);
    }
}
