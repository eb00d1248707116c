package org.example.pondernet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

/** The TCK, on a tiny model (every check) and at the default width (the checks that need no backward pass). */
class PonderNetArchitectureTest {

    private final PonderNetArchitecture architecture = new PonderNetArchitecture();

    @Test
    void meetsTheArchitectureConformanceKit(@TempDir Path scratch) throws Exception {
        // A large beta and a low prior make the KL term and the later steps' weights matter in the gradient check.
        ArchitectureConformance.verify(architecture, Map.of("d_model", "8", "heads", "2", "ffn", "12",
                "max_steps", "3", "lambda_p", "0.4", "beta", "0.5"), scratch);
    }

    @Test
    void meetsTheModelChecksAtTheDefaultsAndAtMoreSteps(@TempDir Path scratch) throws Exception {
        ArchitectureConformance.verifyModels(architecture, Map.of(), scratch);
        ArchitectureConformance.verifyModels(architecture, Map.of("max_steps", "12", "lambda_p", "0.1",
                "halt_threshold", "0.8"), scratch);
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture, Map.of("d_model", "16", "heads", "2"),
                Map.of("max_steps", "2"));
    }

    @Test
    void decodingHaltsAtTheMedianOfTheHaltingDistribution() {
        // At initialisation lambda_n is about lambda_p = 0.25: cumulative mass 0.25, 0.44, 0.58, so step 3.
        TrainableModel model = ArchitectureConformance.build(architecture, architecture.schema().resolve(
                Map.of("d_model", "8", "heads", "2", "ffn", "12", "max_steps", "6", "lambda_p", "0.25")), 1);
        TokenBatch batch = TokenBatch.of(new int[][] {{4, 5, 6, 1, 4}, {5, 1}}, 0);
        Forward forward = model.forward(Tape.inference(), batch);
        assertThat(forward.depth()).containsExactly(3, 3, 3, 3, 3, 3, 3, 0, 0, 0);
        assertThat(forward.stats().get("halt_step")).isEqualTo(3.0);
        // The prior truncated to 6 steps has mean sum_n n g_n; a fresh model's halting distribution is close to it.
        assertThat(forward.stats().get("expected_step")).isCloseTo(forward.stats().get("prior_step"),
                org.assertj.core.data.Offset.offset(0.1));
        assertThat(forward.auxLosses()).extracting(Forward.NamedLoss::name).containsExactly("normaliser", "kl");
        assertThat(forward.supervised()).extracting(Forward.Supervised::name).containsExactly("expected");
    }

    @Test
    void decodingStopsEarlyWithTheLogitsOfTheFullPass() {
        TrainableModel model = ArchitectureConformance.build(architecture, architecture.schema().resolve(
                Map.of("d_model", "8", "heads", "2", "ffn", "12", "max_steps", "8", "lambda_p", "0.5")), 2);
        org.recursa.tck.TorchReference.randomizeWeights(model, 3, 0.5);
        int[][] rows = {{4, 5, 6, 1, 4}, {5, 1}, {6}};
        float[][] early = model.nextTokenLogits(rows);
        Forward full = model.forward(Tape.inference(), TokenBatch.of(rows, 0));
        for (int b = 0; b < rows.length; b++) {
            assertThat(early[b]).containsExactly(full.logits().value().getRow(b * 5L + rows[b].length - 1)
                    .toFloatVector());
        }
    }
}
