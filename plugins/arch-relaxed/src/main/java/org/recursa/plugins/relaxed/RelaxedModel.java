package org.recursa.plugins.relaxed;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.DecoderModel;
import org.recursa.engine.nn.LayerNorm;
import org.recursa.engine.ops.Activations;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.Dropout;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Linear;
import org.recursa.engine.ops.Norms;

/**
 * Relaxed Recursive Transformer (Bae et al., ICLR 2025), decoder-only. B layers' weight matrices are shared and
 * cycled: depth l = 0..L-1 (L = B x loops) uses shared matrices {@code l mod B} (the CYCLE pattern), relaxed by a
 * LoRA of its own:
 * <pre>
 *   Linear_l(x) = x W_{l mod B}^T + b_l + (x A_l^T) B_l^T    W: (out, in), A_l: (r, in), B_l: (out, r)
 * </pre>
 * (weights stored (out, in) as everywhere in the engine, so {@code W_l ~ W_{l mod B} + B_l A_l}, the LoRA paper's
 * notation.)
 * on the attention's qkv and output projections and the MLP's up and down projections. Layer norms and biases stay
 * per depth (they are vectors; the paper's default does not share norms either), so with full rank a relaxed model
 * reproduces the vanilla model it was initialised from exactly.
 */
final class RelaxedModel extends DecoderModel {

    /** B, loops and the LoRA rank. */
    record Recursion(int shared, int loops, int rank) {

        int depth() {
            return shared * loops;
        }
    }

    /** The four linear maps of a layer, by their parameter-name suffix, with their input and output widths. */
    static final List<String> LINEARS = List.of("attn.qkv", "attn.proj", "mlp.up", "mlp.down");

    private final Recursion recursion;
    private final List<Parameter[]> sharedMatrices = new ArrayList<>();   // per shared layer, in LINEARS order
    private final List<Depth> depths = new ArrayList<>();

    /** What depth l owns: norms, biases and LoRA factors (null at rank 0). */
    record Depth(Parameter[] norm1, Parameter[] norm2, Parameter[] biases, Parameter[] loraA, Parameter[] loraB) {
    }

    RelaxedModel(ModelSpec spec, Block.Shape shape, Recursion recursion, double dropout) {
        this(spec, shape, recursion, dropout, new SplittableRandom(spec.seed()));
    }

    private RelaxedModel(ModelSpec spec, Block.Shape shape, Recursion recursion, double dropout,
                         SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.recursion = recursion;
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * recursion.depth());
        for (int b = 0; b < recursion.shared(); b++) {
            Parameter[] matrices = new Parameter[LINEARS.size()];
            for (int k = 0; k < LINEARS.size(); k++) {
                boolean projection = k == 1 || k == 3;
                matrices[k] = parameters.add("block." + b + "." + LINEARS.get(k) + ".weight",
                        Init.linearWeight(init, projection ? projectionStd : Block.Shape.STD, in(k), out(k)));
            }
            sharedMatrices.add(matrices);
        }
        for (int l = 0; l < recursion.depth(); l++) {
            depths.add(createDepth(l, init));
        }
    }

    private Depth createDepth(int l, SplittableRandom init) {
        String prefix = "depth." + l + ".";
        int width = shape.width();
        Parameter[] norm1 = {parameters.add(prefix + "ln1.weight", Init.constant(1, width)),
                parameters.add(prefix + "ln1.bias", Init.constant(0, width))};
        Parameter[] norm2 = {parameters.add(prefix + "ln2.weight", Init.constant(1, width)),
                parameters.add(prefix + "ln2.bias", Init.constant(0, width))};
        Parameter[] biases = new Parameter[LINEARS.size()];
        Parameter[] loraA = recursion.rank() > 0 ? new Parameter[LINEARS.size()] : null;
        Parameter[] loraB = recursion.rank() > 0 ? new Parameter[LINEARS.size()] : null;
        for (int k = 0; k < LINEARS.size(); k++) {
            biases[k] = parameters.add(prefix + LINEARS.get(k) + ".bias", Init.constant(0, out(k)));
            if (loraA != null) {
                int rank = rank(k);
                // Standard LoRA start: A random, B zero, so an untrained relaxation is the pure recursive model.
                loraA[k] = parameters.add(prefix + LINEARS.get(k) + ".lora_a", Init.linearWeight(init, Block.Shape.STD,
                        in(k), rank));
                loraB[k] = parameters.add(prefix + LINEARS.get(k) + ".lora_b", Init.constant(0, out(k), rank));
            }
        }
        return new Depth(norm1, norm2, biases, loraA, loraB);
    }

    /** Input width of linear k. */
    int in(int k) {
        return k == 3 ? shape.hidden() : shape.width();
    }

    /** Output width of linear k. */
    int out(int k) {
        return switch (k) {
            case 0 -> 3 * shape.width();
            case 2 -> shape.hidden();
            default -> shape.width();
        };
    }

    /** The LoRA rank of linear k: the configured rank, at most full rank. */
    int rank(int k) {
        return Math.min(recursion.rank(), Math.min(in(k), out(k)));
    }

    Recursion recursion() {
        return recursion;
    }

    Parameter sharedMatrix(int block, int k) {
        return sharedMatrices.get(block)[k];
    }

    Depth depth(int l) {
        return depths.get(l);
    }

    @Override
    protected Body body(Context context, Var x) {
        Var h = x;
        for (int l = 0; l < recursion.depth(); l++) {
            h = layer(context, h, l);
        }
        return Body.of(h);
    }

    private Var layer(Context context, Var x, int l) {
        Tape tape = context.tape();
        Depth depth = depths.get(l);
        var batch = context.batch();
        Var normed = Norms.layerNorm(tape, x, depth.norm1()[0], depth.norm1()[1], LayerNorm.EPS);
        Var mixed = Attention.apply(tape, linear(tape, normed, l, 0), batch.batch(), batch.length(), shape.heads(),
                true, batch.keep());
        Var h = Elementwise.add(tape, x, Dropout.apply(tape, linear(tape, mixed, l, 1), context.dropout(),
                context.random()));
        Var hidden = Activations.gelu(tape, linear(tape, Norms.layerNorm(tape, h, depth.norm2()[0],
                depth.norm2()[1], LayerNorm.EPS), l, 2));
        return Elementwise.add(tape, h, Dropout.apply(tape, linear(tape, hidden, l, 3), context.dropout(),
                context.random()));
    }

    /** {@code x W_{l mod B} + b_l + (x A_l) B_l} for linear k of depth l. */
    private Var linear(Tape tape, Var x, int l, int k) {
        Depth depth = depths.get(l);
        Var y = Linear.apply(tape, x, sharedMatrices.get(l % recursion.shared())[k], depth.biases()[k]);
        if (depth.loraA() == null) {
            return y;
        }
        Var low = Linear.apply(tape, Linear.apply(tape, x, depth.loraA()[k], null), depth.loraB()[k], null);
        return Elementwise.add(tape, y, low);
    }

    @Override
    protected int[] layers() {
        return new int[] {recursion.shared(), recursion.depth()};
    }

    /** Standard blocks at every depth plus the LoRA products. */
    @Override
    protected long bodyFlopsPerToken() {
        long lora = 0;
        for (int k = 0; k < LINEARS.size(); k++) {
            lora += recursion.rank() > 0 ? 2L * rank(k) * (in(k) + out(k)) : 0;
        }
        return super.bodyFlopsPerToken() + recursion.depth() * lora;
    }

    @Override
    protected String architecture() {
        return RelaxedArchitecture.ID;
    }
}
