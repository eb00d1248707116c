package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;

/**
 * A LoRA per q/k/v projection: the map is the packed projection plus the row blocks {@code B_q A_q}, {@code B_k A_k},
 * {@code B_v A_v}; its parameters have the names and the count the relaxed architecture declares; gradients through
 * a block that uses it match finite differences.
 */
class SplitLoraLinearTest {

    private static final Block.Shape SHAPE = new Block.Shape(4, 2, 6);

    private DataType previous;
    private final SplittableRandom random = new SplittableRandom(20260502);

    @BeforeEach
    void useDouble() {
        previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
    }

    @AfterEach
    void restore() {
        Precision.use(previous);
    }

    @Test
    void itIsThePackedProjectionPlusOneLowRankBlockPerSlice() {
        ParameterSet parameters = new ParameterSet();
        Dense base = Dense.create(parameters, "qkv", 4, 12, 0.5, random);
        SplitLoraLinear split = SplitLoraLinear.create(parameters, "qkv", base, QkvLora.SEPARATE.slices(), 2, random);
        randomize(parameters);
        INDArray[] blocks = new INDArray[3];
        for (int s = 0; s < 3; s++) {
            blocks[s] = split.b(s).value().mmul(split.a(s).value());                  // (4, 4)
        }
        INDArray effective = base.weight().value().add(Nd4j.vstack(blocks));        // (12, 4)
        Var x = GradientCheck.random(random, 1, 5, 4);
        INDArray expected = x.value().mmul(effective.transpose()).addiRowVector(base.bias().value());
        INDArray actual = split.apply(Tape.inference(), x).value();
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(split.slices()).containsExactly("q", "k", "v");
    }

    @Test
    void aSeparateQkvBlockCreatesThreeNamedLorasAndCountsThem() {
        ParameterSet relaxed = new ParameterSet();
        BlockWeights weights = BlockWeights.create(relaxed, "block.1", SHAPE, 0.01, random);
        Block.withSharedWeights(relaxed, "depth.3", SHAPE, weights, 3, QkvLora.SEPARATE, random);
        assertThat(relaxed.all().stream().map(Parameter::name).toList()).containsExactly("block.1.attn.qkv.weight",
                "block.1.attn.proj.weight", "block.1.mlp.up.weight", "block.1.mlp.down.weight", "depth.3.ln1.weight",
                "depth.3.ln1.bias", "depth.3.ln2.weight", "depth.3.ln2.bias", "depth.3.attn.qkv.bias",
                "depth.3.attn.qkv.q.lora_a", "depth.3.attn.qkv.q.lora_b", "depth.3.attn.qkv.k.lora_a",
                "depth.3.attn.qkv.k.lora_b", "depth.3.attn.qkv.v.lora_a", "depth.3.attn.qkv.v.lora_b",
                "depth.3.attn.proj.bias", "depth.3.attn.proj.lora_a", "depth.3.attn.proj.lora_b",
                "depth.3.mlp.up.bias", "depth.3.mlp.up.lora_a", "depth.3.mlp.up.lora_b", "depth.3.mlp.down.bias",
                "depth.3.mlp.down.lora_a", "depth.3.mlp.down.lora_b");
        assertThat(relaxed.get("depth.3.attn.qkv.k.lora_a").shape()).containsExactly(3, 4);
        assertThat(relaxed.get("depth.3.attn.qkv.k.lora_b").shape()).containsExactly(4, 3);
        // q/k/v: 3 r (C + C) instead of r (C + 3C); the other three maps as fused
        long qkv = 3L * 3 * (4 + 4);
        assertThat(SHAPE.loraParameters(3, QkvLora.SEPARATE)).isEqualTo(SHAPE.loraParameters(3) - 3L * (4 + 12) + qkv);
        assertThat(relaxed.count()).isEqualTo(SHAPE.matrixParameters() + SHAPE.vectorParameters()
                + SHAPE.loraParameters(3, QkvLora.SEPARATE));
        assertThat(SHAPE.loraFlopsPerToken(3, QkvLora.SEPARATE))
                .isEqualTo(2 * SHAPE.loraParameters(3, QkvLora.SEPARATE));
        assertThat(SHAPE.loraActivationsPerToken(3, QkvLora.SEPARATE) - SHAPE.loraActivationsPerToken(3))
                .as("two more rank-r products and the 3C row the slices are joined into").isEqualTo(2 * 3 + 12);

        ParameterSet beyondFullRank = new ParameterSet();
        Block.withSharedWeights(beyondFullRank, "depth.0", SHAPE,
                BlockWeights.create(beyondFullRank, "block.0", SHAPE, 0.01, random), 100, QkvLora.SEPARATE, random);
        assertThat(beyondFullRank.get("depth.0.attn.qkv.v.lora_a").shape()).as("capped at the slice's C")
                .containsExactly(4, 4);
        assertThat(beyondFullRank.count()).isEqualTo(SHAPE.matrixParameters() + SHAPE.vectorParameters()
                + SHAPE.loraParameters(100, QkvLora.SEPARATE));
    }

    @Test
    void slicesMustDivideTheOutputsAndTheRankMustFitASlice() {
        ParameterSet parameters = new ParameterSet();
        Dense base = Dense.create(parameters, "m", 4, 10, 0.5, random);
        assertThatThrownBy(() -> SplitLoraLinear.create(parameters, "m", base, List.of("a", "b", "c"), 1, random))
                .hasMessageContaining("3 slices do not divide its 10 outputs");
        assertThatThrownBy(() -> SplitLoraLinear.create(parameters, "m", base, List.of("a", "b"), 5, random))
                .hasMessageContaining("LoRA rank 5 of a slice of m is not in [1, min(4, 5)]");
    }

    @Test
    void gradientsThroughABlockWithSeparateQkvLorasMatchFiniteDifferences() {
        ParameterSet parameters = new ParameterSet();
        BlockWeights weights = BlockWeights.create(parameters, "block.0", SHAPE, 0.01, random);
        Block block = Block.withSharedWeights(parameters, "depth.0", SHAPE, weights, 2, QkvLora.SEPARATE, random);
        randomize(parameters);                                                  // every B non-zero
        Var x = GradientCheck.random(random, 1, 6, SHAPE.width());
        TokenBatch batch = TokenBatch.of(new int[][] {{1, 2, 3}, {4, 5}}, 0);
        List<Var> inputs = new ArrayList<>(parameters.all());
        inputs.add(x);
        GradientCheck.check("block with separate q/k/v LoRAs", GradientCheck.weighted(tape -> block.apply(
                new Context(tape, batch, 0, new SplittableRandom(5)), x), 41), inputs);
    }

    private void randomize(ParameterSet parameters) {
        for (Parameter p : parameters.all()) {
            p.value().assign(GradientCheck.random(random, 0.5, p.shape()).value()
                    .addi(p.name().endsWith("ln1.weight") || p.name().endsWith("ln2.weight") ? 1 : 0));
        }
    }
}
