package ${package};

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.RecurrentDecoderModel;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.train.ForwardOptions;

/**
 * The loop, between the engine's embeddings and its final norm and head ({@link RecurrentDecoderModel}):
 * <pre>
 *   x   = E[tokens] + P                      (B*T, C), the embedded input
 *   h_1 = Block(x)
 *   h_t = Block(h_{t-1} + x),  t = 2..N       the same weights at every step
 * </pre>
 * Injecting x at every step (as in Yang et al., "Looped Transformers are Better at Learning Learning Algorithms")
 * keeps the input in view however deep the loop runs, so the model can be run deeper than it was trained.
 */
final class ${className}Model extends RecurrentDecoderModel {

    /** The deepest pass the host may ask for when it explores depth at test time. */
    static final int MAX_DEPTH = 64;

    private final Block block;
    private final int loops;

    ${className}Model(ModelSpec spec, Block.Shape shape, int loops, double dropout) {
        this(spec, shape, loops, dropout, new SplittableRandom(spec.seed()));
    }

    private ${className}Model(ModelSpec spec, Block.Shape shape, int loops, double dropout, SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.loops = loops;
        // GPT-2 scales the residual projections' init by the number of residual additions: here loops, not layers.
        this.block = Block.create(parameters, "block", shape, Block.Shape.STD / Math.sqrt(2.0 * loops), init);
    }

    @Override
    protected Body body(Context context, Var x) {
        return body(context, x, ForwardOptions.DEFAULT);
    }

    /** {@code options} set the depth; under every-step supervision each step's state is returned too. */
    @Override
    protected Body body(Context context, Var x, ForwardOptions options) {
        int depth = options.depthOr(loops);
        List<Var> steps = new ArrayList<>();
        Var h = x;
        for (int t = 1; t <= depth; t++) {
            Var input = t == 1 ? x : Elementwise.add(context.tape(), h, x);
            // Each application is a step of its own: its key/value cache when decoding, "recursion.<t>" for probes.
            h = block.apply(context.at("recursion", t), input);
            if (options.supervision() != null) {
                steps.add(h);
            }
        }
        return new Body(h, List.of(), null, Map.of(), steps, List.of());
    }

    @Override
    public int defaultDepth() {
        return loops;
    }

    @Override
    public int maxDepth() {
        return MAX_DEPTH;
    }

    @Override
    protected long stepFlopsPerToken() {
        return shape.flopsPerToken(spec.maxLength());
    }

    /** One set of block weights, applied {@code loops} times. */
    @Override
    protected int[] layers() {
        return new int[] {1, loops};
    }

    @Override
    protected String architecture() {
        return ${className}Architecture.ID;
    }
}
