package org.recursa.plugins.relaxed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Parameter;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.BlockLinear;
import org.recursa.engine.nn.BlockWeights;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.QkvLora;
import org.recursa.engine.nn.RecurrentDecoderModel;
import org.recursa.engine.nn.Recurrence;
import org.recursa.engine.nn.StepState;
import org.recursa.engine.train.ForwardOptions;

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
 * reproduces the vanilla model it was initialised from exactly. Each depth is the engine's block over the shared
 * matrices ({@link Block#withSharedWeights}): parameters {@code block.<b>.attn.qkv.weight} for the shared matrices,
 * {@code depth.<l>.ln1.weight}, {@code depth.<l>.attn.qkv.bias}, {@code depth.<l>.attn.qkv.lora_a} per depth.
 * With {@link QkvLora#SEPARATE} the packed q/k/v projection has a LoRA per projection instead, as the paper's models
 * have on {@code q_proj}, {@code k_proj} and {@code v_proj}: {@code depth.<l>.attn.qkv.q.lora_a} (r, C),
 * {@code depth.<l>.attn.qkv.q.lora_b} (C, r), and likewise {@code k} and {@code v}.
 */
final class RelaxedModel extends RecurrentDecoderModel {

    /** B, loops, the LoRA rank and how the q/k/v projection is relaxed. */
    record Recursion(int shared, int loops, int rank, QkvLora qkvLora) {

        int depth() {
            return shared * loops;
        }
    }

    private final Recursion recursion;
    private final List<BlockWeights> sharedWeights = new ArrayList<>();
    private final List<Block> depths = new ArrayList<>();

    RelaxedModel(ModelSpec spec, Block.Shape shape, Recursion recursion, double dropout) {
        this(spec, shape, recursion, dropout, new SplittableRandom(spec.seed()));
    }

    private RelaxedModel(ModelSpec spec, Block.Shape shape, Recursion recursion, double dropout,
                         SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.recursion = recursion;
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * recursion.depth());
        for (int b = 0; b < recursion.shared(); b++) {
            sharedWeights.add(BlockWeights.create(parameters, "block." + b, shape, projectionStd, init));
        }
        // Standard LoRA start: A random, B zero, so an untrained relaxation is the pure recursive model.
        for (int l = 0; l < recursion.depth(); l++) {
            depths.add(Block.withSharedWeights(parameters, "depth." + l, shape,
                    sharedWeights.get(l % recursion.shared()), recursion.rank(), recursion.qkvLora(), init));
        }
    }

    /**
     * The LoRA rank of one linear map: the configured rank, at most full rank; also of each q/k/v slice's LoRA, as
     * a (C, C) slice has the same full rank as the packed (3C, C) matrix.
     */
    int rank(BlockLinear linear) {
        return linear.rank(shape, recursion.rank());
    }

    Recursion recursion() {
        return recursion;
    }

    Parameter sharedMatrix(int block, BlockLinear linear) {
        return sharedWeights.get(block).get(linear);
    }

    @Override
    protected Body body(Context context, Var x) {
        return body(context, x, ForwardOptions.DEFAULT);
    }

    /**
     * The first {@code loops} loops of the B shared blocks, each block application with its own depth's norms, biases
     * and LoRA; a loop deeper than trained has none of its own, so the model runs at most its trained loops. Under
     * every-step supervision, the state after each loop is a step.
     */
    @Override
    protected Body body(Context context, Var x, ForwardOptions options) {
        int loops = options.depthOr(recursion.loops());
        List<Var> steps = new ArrayList<>();
        Var h = x;
        for (int l = 0; l < loops * recursion.shared(); l++) {
            h = depths.get(l).apply(context.at(stepName(l / recursion.shared(), l % recursion.shared())), h);
            if (options.supervision() != null && (l + 1) % recursion.shared() == 0) {
                steps.add(h);
            }
        }
        return new Body(h, List.of(), null, Map.of(), steps, List.of());
    }

    /** The name of block b's application in loop {@code loop} (from 0): its recorder step and cache slot. */
    private static String stepName(int loop, int block) {
        return "recursion." + (loop + 1) + ".layer." + (block + 1);
    }

    @Override
    protected Recurrence recurrence(ForwardOptions options) {
        return new Recurrence() {
            @Override
            public StepState enter(Context context, Var x) {
                return StepState.of(x.value(), Map.of());
            }

            /** Each loop has its own norms, biases and LoRA: tokens are stepped per depth. */
            @Override
            public StepState step(Context context, StepState state, int[] depth) {
                return Recurrence.perDepth(context, state, depth, (group, states, loop) -> {
                    Var h = Var.constant(states.latent());
                    for (int b = 0; b < recursion.shared(); b++) {
                        h = depths.get(loop * recursion.shared() + b).apply(group.at(stepName(loop, b)), h);
                    }
                    return states.withLatent(h.value());
                });
            }

            @Override
            public Var exit(Context context, StepState state) {
                return Var.constant(state.latent());
            }
        };
    }

    @Override
    public int defaultDepth() {
        return recursion.loops();
    }

    @Override
    public int maxDepth() {
        return recursion.loops();
    }

    @Override
    protected int[] layers() {
        return new int[] {recursion.shared(), recursion.depth()};
    }

    /** One loop: B standard blocks plus their LoRA products. */
    @Override
    protected long stepFlopsPerToken() {
        return recursion.shared() * (shape.flopsPerToken(spec.maxLength()) + shape.loraFlopsPerToken(recursion.rank(),
                recursion.qkvLora()));
    }

    @Override
    protected String architecture() {
        return RelaxedArchitecture.ID;
    }
}
