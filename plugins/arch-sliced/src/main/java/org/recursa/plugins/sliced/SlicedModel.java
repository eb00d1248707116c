package org.recursa.plugins.sliced;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Var;
import org.recursa.engine.nn.AttentionScope;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.DecoderModel;
import org.recursa.engine.nn.LayerNorm;
import org.recursa.engine.nn.Mlp;
import org.recursa.engine.nn.Residual;

/**
 * Sliced Recursive Transformer (Shen, Liu, Xing, ECCV 2022), decoder-only. Each of B shared blocks is applied
 * {@code loops} times in a row, and every application is followed by its own non-shared layer (NLL):
 * <pre>
 *   for b in 0..B-1, l in 0..loops-1:
 *       h = a1 h + a2 Attn_b(LN1(h); l = 0: causal attention in groups1 contiguous slices (1: full),
 *                                    l > 0: causal group attention over a permutation in G groups)
 *       h = a3 h + a4 MLP_b(LN2(h))                                 Block.createScaled: a1..a4 belong to block b
 *       h = c1 h + c2 MLP_{b,l}(LN_{b,l}(h))                       NLL: c1, c2 learnable, initialised to 1
 * </pre>
 * Group attention uses a fresh random grouping of the positions while training ({@code shuffle}): one per attention
 * call as SReT ({@code regroup=call}) or one per pass ({@code regroup=pass}), drawn from the pass's own stream
 * (seeded by the model, the step and the batch's tokens, so a batch run twice groups alike); at
 * inference one fixed grouping is used, so decoding is deterministic (SReT reshuffles at
 * evaluation too, which a causal decoder cannot do without changing earlier tokens' outputs between steps).
 * That inference grouping comes from a fixed seed, not the model's, so that it travels with any checkpoint.
 */
final class SlicedModel extends DecoderModel {

    /** The recursion's shape. */
    record Recursion(int blocks, int loops, int groups, boolean shuffle, boolean regroupEachCall, int groups1,
                     int nllHidden) {
    }

    private static final long INFERENCE_GROUPING_SEED = 0x5e7L;

    private final Recursion recursion;
    private final List<Block> blocks = new ArrayList<>();
    private final List<LayerNorm> nllNorms = new ArrayList<>();
    private final List<Mlp> nllMlps = new ArrayList<>();
    private final List<Residual> nllResiduals = new ArrayList<>();
    private final GroupMask inferenceGroups;

    SlicedModel(ModelSpec spec, Block.Shape shape, Recursion recursion, double dropout) {
        this(spec, shape, recursion, dropout, new SplittableRandom(spec.seed()));
    }

    private SlicedModel(ModelSpec spec, Block.Shape shape, Recursion recursion, double dropout, SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.recursion = recursion;
        int applications = recursion.blocks() * recursion.loops();
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * applications);
        for (int b = 0; b < recursion.blocks(); b++) {
            blocks.add(Block.createScaled(parameters, "block." + b, shape, projectionStd, init));
        }
        for (int k = 0; k < applications; k++) {
            nllNorms.add(LayerNorm.create(parameters, "nll." + k + ".ln", shape.width()));
            nllMlps.add(Mlp.create(parameters, "nll." + k + ".mlp", shape.width(), recursion.nllHidden(),
                    Block.Shape.STD, projectionStd, init));
            nllResiduals.add(Residual.scaled(parameters, "nll." + k, 1));
        }
        // Not from the model seed: a checkpoint must decode the same in any model it is loaded into.
        this.inferenceGroups = GroupMask.random(spec.maxLength(), recursion.groups(),
                new SplittableRandom(INFERENCE_GROUPING_SEED));
    }

    @Override
    protected Body body(Context context, Var x) {
        var tape = context.tape();
        AttentionScope first = recursion.groups1() > 1
                ? GroupMask.contiguous(spec.maxLength(), recursion.groups1()).scope() : AttentionScope.causal();
        // The pass's first grouping is drawn before anything else, as it always was; with regroup=call every later
        // grouped attention call of a training pass draws its own (SReT), with regroup=pass they share it.
        AttentionScope grouped = groupedScope(context, x);
        boolean regroup = recursion.groups() > 1 && recursion.regroupEachCall() && recursion.shuffle()
                && context.tape().recording();
        int groupedCalls = 0;
        Var h = x;
        int k = 0;
        for (Block block : blocks) {
            for (int loop = 0; loop < recursion.loops(); loop++, k++) {
                if (loop > 0 && regroup && groupedCalls++ > 0) {
                    grouped = groupedScope(context, x);
                }
                h = block.apply(context, h, loop == 0 ? first : grouped);
                Var refined = nllMlps.get(k).apply(context, nllNorms.get(k).apply(tape, h));
                h = nllResiduals.get(k).apply(tape, h, refined);
            }
        }
        return Body.of(h);
    }

    private AttentionScope groupedScope(Context context, Var x) {
        return recursion.groups() > 1 ? groups(context).scope() : AttentionScope.causal();
    }

    /** A fresh grouping when shuffling in training, else the fixed one. */
    private GroupMask groups(Context context) {
        boolean training = context.tape().recording();
        return training && recursion.shuffle()
                ? GroupMask.random(spec.maxLength(), recursion.groups(), context.random())
                : inferenceGroups;
    }

    @Override
    protected int[] layers() {
        return new int[] {recursion.blocks(), recursion.blocks() * recursion.loops()};
    }

    /**
     * Blocks with group attention on recursive applications, plus the NLLs. Each group is computed as a sequence
     * of its own, padded to the largest group (ceil(T/G) positions): scores and mixing cost that many keys per
     * query.
     */
    @Override
    protected long bodyFlopsPerToken() {
        int length = spec.maxLength();
        long width = shape.width();
        long perBlock = shape.flopsPerToken(length) - 2L * 2 * length * width;       // projections only
        long applications = (long) recursion.blocks() * recursion.loops();
        long grouped = (long) recursion.blocks() * (recursion.loops() - 1);
        long attention = 2L * 2 * width * ((applications - grouped) * GroupMask.longest(length, recursion.groups1())
                + grouped * GroupMask.longest(length, recursion.groups()));
        long nll = applications * 2L * 2 * width * recursion.nllHidden();
        return applications * perBlock + attention + nll;
    }

    @Override
    protected String architecture() {
        return SlicedArchitecture.ID;
    }
}
