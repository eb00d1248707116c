package org.recursa.plugins.relaxed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Parameter;
import org.recursa.engine.Precision;
import org.recursa.engine.train.TrainableModel;
import org.recursa.tck.ArchitectureConformance;

/**
 * {@code lora_qkv=separate}: a LoRA per q, k and v projection, as the paper's models have them, on the engine's
 * packed q/k/v projection. Conformance, the parameters it creates and counts, and the per-projection SVD initialisation: full
 * rank reproduces the vanilla model, lower rank is each projection's best rank-r approximation (Eckart-Young,
 * against singular values from LAPACK rather than the initialiser's own Jacobi SVD), both in double precision.
 */
class SeparateQkvLoraTest {

    private static final Map<String, String> TINY = Map.of("d_model", "8", "heads", "2", "ffn", "12",
            "shared_layers", "2", "loops", "2", "lora_rank", "2", "lora_qkv", "separate");
    private static final int WIDTH = 8;
    private static final int[][] PROBE = {{3, 4, 5, 6, 1, 2}, {5, 3, 1}};
    private static final List<String> SLICES = List.of("q", "k", "v");
    private final RelaxedArchitecture architecture = new RelaxedArchitecture();

    @TempDir
    Path scratch;

    @Test
    void conformsWithSeparateQkvLoras() throws Exception {
        ArchitectureConformance.verify(architecture, with(Map.of("shared_layers", "1")), scratch);
    }

    @Test
    void estimatesExactlyTheParametersItBuilds() {
        ArchitectureConformance.estimatesMatchTheBuiltModel(architecture, TINY,
                with(Map.of("d_model", "16", "heads", "4", "ffn", "20", "shared_layers", "1", "loops", "3",
                        "lora_rank", "5")),
                with(Map.of("lora_rank", "100")),                                  // capped at C per slice
                with(Map.of("lora_rank", "0")));
        // Per depth the q/k/v LoRA is 3 r (C + C) instead of r (C + 3C): 2 r C more, at r = 2 and C = 8.
        ModelSpec spec = new ModelSpec(ArchitectureConformance.VOCABULARY, ArchitectureConformance.MAX_LENGTH, 1);
        long separate = architecture.parameterCount(spec, architecture.schema().resolve(TINY)).getAsLong();
        long fused = architecture.parameterCount(spec, architecture.schema().resolve(with(Map.of("lora_qkv",
                "fused")))).getAsLong();
        assertThat(separate - fused).isEqualTo(4L * 2 * 2 * WIDTH);
        assertThat(build(TINY).info().flopsPerToken()).as("every factor is one multiply-add per token")
                .isEqualTo(build(with(Map.of("lora_qkv", "fused"))).info().flopsPerToken() + 2 * (separate - fused));
    }

    @Test
    void namesTheThreeLorasOfEachDepthAndKeepsTheFusedNames() {
        List<String> separate = names(build(TINY), "depth.1.attn.qkv.");
        assertThat(separate).containsExactly("depth.1.attn.qkv.bias", "depth.1.attn.qkv.q.lora_a",
                "depth.1.attn.qkv.q.lora_b", "depth.1.attn.qkv.k.lora_a", "depth.1.attn.qkv.k.lora_b",
                "depth.1.attn.qkv.v.lora_a", "depth.1.attn.qkv.v.lora_b");
        assertThat(build(TINY).parameters().get("depth.1.attn.qkv.v.lora_b").shape()).containsExactly(WIDTH, 2);
        assertThat(names(build(with(Map.of("lora_qkv", "fused"))), "depth.1.attn.qkv."))
                .containsExactly("depth.1.attn.qkv.bias", "depth.1.attn.qkv.lora_a", "depth.1.attn.qkv.lora_b");
        assertThat(architecture.schema().defaults().getString("lora_qkv")).isEqualTo("fused");
    }

    @Test
    void fullRankReproducesTheVanillaQkvWeightsAndOutputs() throws Throwable {
        inDoublePrecision(this::fullRankReproducesTheVanillaModel);
    }

    @Test
    void lowRankIsEachProjectionsBestApproximation() throws Throwable {
        inDoublePrecision(this::lowRankIsTheBestApproximationOfEachProjection);
    }

    private void fullRankReproducesTheVanillaModel() throws Exception {
        Path checkpoint = VanillaFixture.checkpoint(scratch, 4);
        TrainableModel vanilla = VanillaFixture.load(checkpoint);
        for (String selection : new String[] {"stepwise", "average"}) {
            TrainableModel relaxed = build(with(Map.of("lora_rank", Integer.toString(WIDTH), "init", selection,
                    "init_from", checkpoint.toString(), "norms_from", "depth")));
            for (int l = 0; l < 4; l++) {
                INDArray effective = shared(relaxed, l).add(effectiveLora(relaxed, l));
                INDArray expected = vanilla.parameters().get("block." + l + ".attn.qkv.weight").value();
                assertThat(effective.sub(expected).amaxNumber().doubleValue()).as(selection + ", depth " + l)
                        .isLessThan(1e-9);
            }
            float[][] expected = vanilla.nextTokenLogits(PROBE);
            float[][] actual = relaxed.nextTokenLogits(PROBE);
            for (int row = 0; row < PROBE.length; row++) {
                for (int v = 0; v < expected[row].length; v++) {
                    assertThat(actual[row][v]).as(selection).isCloseTo(expected[row][v], within(1e-5f));
                }
            }
        }
    }

    private void lowRankIsTheBestApproximationOfEachProjection() throws Exception {
        Path checkpoint = VanillaFixture.checkpoint(scratch, 4);
        TrainableModel vanilla = VanillaFixture.load(checkpoint);
        int rank = 3;
        Map<String, String> average = Map.of("lora_rank", Integer.toString(rank), "init", "average",
                "init_from", checkpoint.toString());
        TrainableModel relaxed = build(with(average));
        TrainableModel fused = build(with(Map.of("lora_qkv", "fused", "lora_rank", Integer.toString(rank),
                "init", "average", "init_from", checkpoint.toString())));
        for (int l = 0; l < 4; l++) {
            INDArray vanillaWeight = vanilla.parameters().get("block." + l + ".attn.qkv.weight").value();
            INDArray residual = vanillaWeight.sub(shared(relaxed, l));
            double separateError = 0;
            for (int s = 0; s < SLICES.size(); s++) {
                INDArray block = residual.get(NDArrayIndex.interval(s * WIDTH, (s + 1) * WIDTH), NDArrayIndex.all());
                INDArray a = lora(relaxed, l, SLICES.get(s), "a");
                double error = squaredNorm(block.sub(product(relaxed, l, SLICES.get(s))));
                String what = "depth " + l + ", " + SLICES.get(s);
                assertThat(error).as(what + ": squared error = the tail singular values squared")
                        .isCloseTo(tailSquared(block, rank), within(1e-9));
                assertThat(a.mmul(a.transpose()).sub(Nd4j.eye(rank)).amaxNumber().doubleValue())
                        .as(what + ": A = V_r^T has orthonormal rows").isLessThan(1e-9);
                separateError += error;
            }
            INDArray fusedProduct = lora(fused, l, null, "b").mmul(lora(fused, l, null, "a"));
            // The fused rank-r approximation, cut into row blocks, is a rank-r candidate for each block.
            assertThat(separateError).as("depth " + l).isLessThan(squaredNorm(residual.sub(fusedProduct)));
        }
    }

    private static void inDoublePrecision(Executable test) throws Throwable {
        DataType previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        try {
            test.execute();
        } finally {
            Precision.use(previous);
        }
    }

    /** The sum of the squared singular values of m beyond the first r, from LAPACK's eigenvalues of m^T m. */
    private static double tailSquared(INDArray m, int rank) {
        double[] eigenvalues = Eigen.symmetricGeneralizedEigenvalues(m.transpose().mmul(m), false)
                .toDoubleVector();
        java.util.Arrays.sort(eigenvalues);                                      // ascending
        double tail = 0;
        for (int i = 0; i < eigenvalues.length - rank; i++) {
            tail += Math.max(0, eigenvalues[i]);
        }
        return tail;
    }

    private static double squaredNorm(INDArray m) {
        double norm = m.norm2Number().doubleValue();
        return norm * norm;
    }

    private static INDArray shared(TrainableModel relaxed, int depth) {
        return relaxed.parameters().get("block." + depth % 2 + ".attn.qkv.weight").value();
    }

    /** The row blocks [B_q A_q; B_k A_k; B_v A_v] of depth l, (3C, C). */
    private static INDArray effectiveLora(TrainableModel relaxed, int depth) {
        return Nd4j.vstack(SLICES.stream().map(s -> product(relaxed, depth, s)).toArray(INDArray[]::new));
    }

    /** B_s A_s of depth l's slice s, (C, C). */
    private static INDArray product(TrainableModel relaxed, int depth, String slice) {
        return lora(relaxed, depth, slice, "b").mmul(lora(relaxed, depth, slice, "a"));
    }

    /** {@code depth.<l>.attn.qkv[.<slice>].lora_<factor>}. */
    private static INDArray lora(TrainableModel model, int depth, String slice, String factor) {
        String name = "depth." + depth + ".attn.qkv." + (slice == null ? "" : slice + ".") + "lora_" + factor;
        return model.parameters().get(name).value();
    }

    private static List<String> names(TrainableModel model, String prefix) {
        return model.parameters().all().stream().map(Parameter::name).filter(n -> n.startsWith(prefix)).toList();
    }

    private Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(TINY);
        settings.putAll(overrides);
        return settings;
    }

    private TrainableModel build(Map<String, String> settings) {
        return ArchitectureConformance.build(architecture, architecture.schema().resolve(settings), 1);
    }
}
