package org.recursa.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.Elementwise;

/**
 * The composable block: the parameter names and counts of its compositions (checkpoints and the PyTorch mirrors
 * depend on them), and gradients through its parts, in double precision on tiny shapes.
 */
class BlockTest {

    private static final Block.Shape SHAPE = new Block.Shape(4, 2, 6);
    private static final double DROPOUT = 0.3;

    private DataType previous;
    private TokenBatch batch;                   // B = 2, T = 3, the second row padded
    private final SplittableRandom random = new SplittableRandom(20260417);

    @BeforeEach
    void useDouble() {
        previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
        batch = TokenBatch.of(new int[][] {{1, 2, 3}, {4, 5}}, 0);
    }

    @AfterEach
    void restore() {
        Precision.use(previous);
    }

    @Test
    void eachCompositionCreatesTheNamesAndCountsCheckpointsRelyOn() {
        ParameterSet dense = new ParameterSet();
        Block.create(dense, "block.0", SHAPE, 0.01, random);
        List<String> gpt2 = List.of("block.0.ln1.weight", "block.0.ln1.bias", "block.0.attn.qkv.weight",
                "block.0.attn.qkv.bias", "block.0.attn.proj.weight", "block.0.attn.proj.bias", "block.0.ln2.weight",
                "block.0.ln2.bias", "block.0.mlp.up.weight", "block.0.mlp.up.bias", "block.0.mlp.down.weight",
                "block.0.mlp.down.bias");
        assertThat(names(dense)).containsExactlyElementsOf(gpt2);
        assertThat(dense.count()).isEqualTo(SHAPE.parameters());

        ParameterSet scaled = new ParameterSet();
        Block.createScaled(scaled, "block.0", SHAPE, 0.01, random);
        List<String> sret = new ArrayList<>(gpt2);
        sret.addAll(List.of("block.0.alpha.1", "block.0.alpha.2", "block.0.alpha.3", "block.0.alpha.4"));
        assertThat(names(scaled)).containsExactlyElementsOf(sret);
        assertThat(scaled.count()).isEqualTo(SHAPE.parameters() + Block.Shape.RESIDUAL_COEFFICIENTS);

        ParameterSet relaxed = new ParameterSet();
        BlockWeights weights = BlockWeights.create(relaxed, "block.1", SHAPE, 0.01, random);
        Block.withSharedWeights(relaxed, "depth.3", SHAPE, weights, 3, random);
        assertThat(names(relaxed)).containsExactly("block.1.attn.qkv.weight", "block.1.attn.proj.weight",
                "block.1.mlp.up.weight", "block.1.mlp.down.weight", "depth.3.ln1.weight", "depth.3.ln1.bias",
                "depth.3.ln2.weight", "depth.3.ln2.bias", "depth.3.attn.qkv.bias", "depth.3.attn.qkv.lora_a",
                "depth.3.attn.qkv.lora_b", "depth.3.attn.proj.bias", "depth.3.attn.proj.lora_a",
                "depth.3.attn.proj.lora_b", "depth.3.mlp.up.bias", "depth.3.mlp.up.lora_a", "depth.3.mlp.up.lora_b",
                "depth.3.mlp.down.bias", "depth.3.mlp.down.lora_a", "depth.3.mlp.down.lora_b");
        assertThat(relaxed.get("depth.3.mlp.down.lora_a").shape()).containsExactly(3, 6);
        assertThat(relaxed.get("depth.3.mlp.down.lora_b").shape()).containsExactly(4, 3);
        assertThat(relaxed.get("depth.3.attn.qkv.lora_b").value().sumNumber().doubleValue())
                .as("B starts at zero").isZero();
        assertThat(relaxed.count()).isEqualTo(SHAPE.matrixParameters() + SHAPE.vectorParameters()
                + SHAPE.loraParameters(3));

        ParameterSet beyondFullRank = new ParameterSet();
        Block.withSharedWeights(beyondFullRank, "depth.0", SHAPE,
                BlockWeights.create(beyondFullRank, "block.0", SHAPE, 0.01, random), 100, random);
        assertThat(beyondFullRank.get("depth.0.attn.qkv.lora_a").shape()).as("capped at min(in, out)")
                .containsExactly(4, 4);
        assertThat(beyondFullRank.count()).isEqualTo(SHAPE.matrixParameters() + SHAPE.vectorParameters()
                + SHAPE.loraParameters(100));
    }

    @Test
    void gradientsThroughLoraLinearsScaledResidualsAMaskAndAHookMatchFiniteDifferences() {
        ParameterSet parameters = new ParameterSet();
        BlockWeights weights = BlockWeights.create(parameters, "block.0", SHAPE, 0.01, random);
        Map<BlockLinear, LinearMap> maps = new EnumMap<>(BlockLinear.class);
        for (BlockLinear linear : BlockLinear.values()) {
            String name = "depth.0." + linear.path();
            maps.put(linear, LoraLinear.create(parameters, name, SharedLinear.create(parameters, name,
                    weights.get(linear)), linear.rank(SHAPE, 2), random));
        }
        Block block = Block.of(LayerNorm.create(parameters, "depth.0.ln1", SHAPE.width()),
                SelfAttention.of(maps.get(BlockLinear.QKV), maps.get(BlockLinear.PROJ), SHAPE.heads()),
                Residual.scaled(parameters, "depth.0", 1), LayerNorm.create(parameters, "depth.0.ln2", SHAPE.width()),
                Mlp.of(maps.get(BlockLinear.UP), maps.get(BlockLinear.DOWN)),
                Residual.scaled(parameters, "depth.0", 3));
        randomize(parameters);                                     // LoRA B non-zero, coefficients away from 1
        Var x = GradientCheck.random(random, 1, 6, SHAPE.width());
        INDArray mask = diagonalAndFirstKey(x.value());
        Function<Tape, Var> loss = GradientCheck.weighted(tape -> block.apply(context(tape), x,
                AttentionScope.masked(mask).withQkvHook(qkv -> Elementwise.scale(tape, qkv, 1.5))), 31);
        List<Var> inputs = new ArrayList<>(parameters.all());
        inputs.add(x);
        GradientCheck.check("block with LoRA, scaled residuals, mask and hook", loss, inputs);
    }

    @Test
    void aSharedWeightSumsTheGradientsOfEveryDepthThatUsesIt() {
        ParameterSet tied = new ParameterSet();
        BlockWeights shared = BlockWeights.create(tied, "block.0", SHAPE, 0.01, random);
        List<Block> tiedDepths = List.of(Block.withSharedWeights(tied, "depth.0", SHAPE, shared, 2, random),
                Block.withSharedWeights(tied, "depth.1", SHAPE, shared, 2, random));
        randomize(tied);
        ParameterSet untied = new ParameterSet();
        BlockWeights first = BlockWeights.create(untied, "block.0", SHAPE, 0.01, random);
        BlockWeights second = BlockWeights.create(untied, "block.1", SHAPE, 0.01, random);
        List<Block> untiedDepths = List.of(Block.withSharedWeights(untied, "depth.0", SHAPE, first, 2, random),
                Block.withSharedWeights(untied, "depth.1", SHAPE, second, 2, random));
        for (Parameter p : untied.all()) {
            p.value().assign(tied.get(p.name().replace("block.1.", "block.0.")).value());
        }
        Var x = GradientCheck.random(random, 1, 6, SHAPE.width());
        backward(tiedDepths, x);
        backward(untiedDepths, x);
        for (BlockLinear linear : BlockLinear.values()) {
            INDArray atFirst = first.get(linear).grad();
            INDArray atSecond = second.get(linear).grad();
            assertThat(atFirst.sub(atSecond).norm2Number().doubleValue()).as(linear + ": the depths differ")
                    .isGreaterThan(1e-3);
            INDArray sum = atFirst.add(atSecond);
            assertThat(shared.get(linear).grad().sub(sum).amaxNumber().doubleValue()).as(linear.path())
                    .isLessThan(1e-12 * Math.max(1, sum.amaxNumber().doubleValue()));
        }
        Function<Tape, Var> loss = GradientCheck.weighted(tape -> chain(tiedDepths, tape, x), 33);
        GradientCheck.check("shared weights at two depths", loss,
                List.of(shared.get(BlockLinear.QKV), shared.get(BlockLinear.PROJ), shared.get(BlockLinear.UP),
                        shared.get(BlockLinear.DOWN)));
    }

    @Test
    void aMaskedScopeDecidesWhichKeysAQuerySees() {
        ParameterSet parameters = new ParameterSet();
        Dense qkv = Dense.create(parameters, "attn.qkv", 4, 12, 0.5, random);
        Dense proj = Dense.create(parameters, "attn.proj", 4, 4, 0.5, random);
        SelfAttention attention = SelfAttention.of(qkv, proj, SHAPE.heads());
        Var x = GradientCheck.random(random, 1, 6, 4);
        Tape tape = Tape.inference();
        INDArray values = qkv.apply(tape, x).value().get(NDArrayIndex.all(), NDArrayIndex.interval(8, 12));
        INDArray alone = proj.apply(tape, Var.constant(values)).value();     // each query sees only its own key
        INDArray onlyItself = Nd4j.valueArrayOf(new long[] {2, 3, 3}, Attention.MASKED, DataType.DOUBLE);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                onlyItself.putScalar(new long[] {b, i, i}, 0);
            }
        }
        INDArray masked = attention.apply(context(tape), x, AttentionScope.masked(onlyItself)).value();
        assertThat(masked.sub(alone).amaxNumber().doubleValue()).isLessThan(1e-12);
        INDArray causal = attention.apply(context(tape), x, AttentionScope.causal()).value();
        assertThat(causal.sub(alone).amaxNumber().doubleValue()).as("the default attends to earlier keys")
                .isGreaterThan(1e-6);
    }

    @Test
    void aQkvHookReplacesWhatAttentionSees() {
        ParameterSet parameters = new ParameterSet();
        Dense proj = Dense.create(parameters, "attn.proj", 4, 4, 0.5, random);
        proj.bias().value().assign(GradientCheck.random(random, 1, 4).value());
        SelfAttention attention = SelfAttention.of(Dense.create(parameters, "attn.qkv", 4, 12, 0.5, random), proj,
                SHAPE.heads());
        Tape tape = Tape.inference();
        List<long[]> seen = new ArrayList<>();
        Var out = attention.apply(context(tape), GradientCheck.random(random, 1, 6, 4),
                AttentionScope.causal().withQkvHook(packed -> {
                    seen.add(packed.shape());
                    return Elementwise.scale(tape, packed, 0);       // values zero: only the bias is left
                }));
        assertThat(seen).singleElement().satisfies(shape -> assertThat(shape).containsExactly(6, 12));
        INDArray bias = proj.bias().value();
        for (int row = 0; row < 6; row++) {
            assertThat(out.value().getRow(row).sub(bias).amaxNumber().doubleValue()).isLessThan(1e-15);
        }
    }

    private Context context(Tape tape) {
        return new Context(tape, batch, DROPOUT, new SplittableRandom(5));       // the same dropout masks each pass
    }

    private void backward(List<Block> depths, Var x) {
        Tape tape = Tape.training();
        tape.backward(GradientCheck.weighted(t -> chain(depths, t, x), 33).apply(tape));
    }

    private Var chain(List<Block> depths, Tape tape, Var x) {
        Context context = context(tape);
        Var h = x;
        for (Block depth : depths) {
            h = depth.apply(context, h);
        }
        return h;
    }

    /** Causal, each query sees its own key and the first one, never padding: stricter than the default. */
    private INDArray diagonalAndFirstKey(INDArray like) {
        INDArray mask = Attention.mask(like, 2, 3, true, batch.keep());
        mask.putScalar(new long[] {0, 2, 1}, Attention.MASKED);
        return mask;
    }

    private void randomize(ParameterSet parameters) {
        for (Parameter p : parameters.all()) {
            p.value().assign(GradientCheck.random(random, 0.5, p.shape()).value().addi(p.name().contains("alpha")
                    || p.name().endsWith("ln1.weight") || p.name().endsWith("ln2.weight") ? 1 : 0));
        }
    }

    private static List<String> names(ParameterSet parameters) {
        return parameters.all().stream().map(Parameter::name).toList();
    }
}
