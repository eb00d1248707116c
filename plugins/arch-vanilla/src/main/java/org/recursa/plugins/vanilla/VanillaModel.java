package org.recursa.plugins.vanilla;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.DecoderModel;

/**
 * The baseline: L pre-norm blocks, each with its own weights, applied once each.
 * <pre>
 *   h_0 = E[x] + P
 *   h_l = Block_l(h_{l-1}),  l = 1..L
 *   logits = W_out LN(h_L)
 * </pre>
 */
final class VanillaModel extends DecoderModel {

    private final List<Block> blocks = new ArrayList<>();

    VanillaModel(ModelSpec spec, Block.Shape shape, int layers, double dropout) {
        this(spec, shape, layers, dropout, new SplittableRandom(spec.seed()));
    }

    private VanillaModel(ModelSpec spec, Block.Shape shape, int layers, double dropout, SplittableRandom init) {
        super(spec, shape, dropout, init);
        // GPT-2 scales residual projections by 1/sqrt(2L) so that the residual stream's variance stays put.
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * layers);
        for (int l = 0; l < layers; l++) {
            blocks.add(Block.create(parameters, "block." + l, shape, projectionStd, init));
        }
    }

    @Override
    protected Body body(Context context, Var x) {
        Var h = x;
        for (Block block : blocks) {
            h = block.apply(context, h);
        }
        return Body.of(h);
    }

    @Override
    protected int[] layers() {
        return new int[] {blocks.size(), blocks.size()};
    }

    @Override
    protected String architecture() {
        return VanillaArchitecture.ID;
    }
}
