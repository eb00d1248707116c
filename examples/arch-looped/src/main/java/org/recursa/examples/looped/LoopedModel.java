package org.recursa.examples.looped;

import java.util.SplittableRandom;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.model.WeightSet;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Embedding;
import org.recursa.engine.ops.Linear;
import org.recursa.engine.ops.Norms;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;

/**
 * Embeddings, one pre-norm layer applied {@code loops} times with the same weights, a final norm and a head:
 * <pre>
 *   x = x + Attn(LN1(x));  x = x + Down(softsign(Up(LN2(x))))     (loops times)
 * </pre>
 */
final class LoopedModel implements TrainableModel {

    private static final double STD = 0.02;
    private static final double EPS = 1e-5;

    /** Widths, heads and loops. */
    record Shape(int width, int heads, int hidden, int loops) {

        /** Embeddings, one layer, the final norm and the head. */
        long parameters(ModelSpec spec) {
            long layer = 4L * width + (3L * width * width + 3L * width) + (width * width + width)
                    + (hidden * (long) width + hidden) + (width * (long) hidden + width);
            return (long) spec.vocabularySize() * width + (long) spec.maxLength() * width + layer + 2L * width
                    + (long) spec.vocabularySize() * width + spec.vocabularySize();
        }
    }

    private final ModelSpec spec;
    private final Shape shape;
    private final ParameterSet parameters = new ParameterSet();
    private final Parameter tokens;
    private final Parameter positions;
    private final Parameter[] norm1;
    private final Parameter[] qkv;
    private final Parameter[] proj;
    private final Parameter[] norm2;
    private final Parameter[] up;
    private final Parameter[] down;
    private final Parameter[] finalNorm;
    private final Parameter[] head;

    LoopedModel(ModelSpec spec, Shape shape) {
        this.spec = spec;
        this.shape = shape;
        SplittableRandom init = new SplittableRandom(spec.seed());
        int width = shape.width();
        double projectionStd = STD / Math.sqrt(2.0 * shape.loops());
        tokens = parameters.add("embed.tokens", Init.normal(init, STD, spec.vocabularySize(), width));
        positions = parameters.add("embed.positions", Init.normal(init, STD, spec.maxLength(), width));
        norm1 = norm("layer.ln1", width);
        qkv = linear("layer.attn.qkv", width, 3 * width, STD, init);
        proj = linear("layer.attn.proj", width, width, projectionStd, init);
        norm2 = norm("layer.ln2", width);
        up = linear("layer.mlp.up", width, shape.hidden(), STD, init);
        down = linear("layer.mlp.down", shape.hidden(), width, projectionStd, init);
        finalNorm = norm("final_norm", width);
        head = linear("head", width, spec.vocabularySize(), STD, init);
    }

    private Parameter[] norm(String name, int width) {
        return new Parameter[] {parameters.add(name + ".weight", Init.constant(1, width)),
                parameters.add(name + ".bias", Init.constant(0, width))};
    }

    private Parameter[] linear(String name, int in, int out, double std, SplittableRandom init) {
        return new Parameter[] {parameters.add(name + ".weight", Init.linearWeight(init, std, in, out)),
                parameters.add(name + ".bias", Init.constant(0, out))};
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public Forward forward(Tape tape, TokenBatch batch) {
        if (batch.length() > spec.maxLength()) {
            throw new IllegalArgumentException("sequence length " + batch.length() + " exceeds the model's maximum "
                    + spec.maxLength());
        }
        Var x = Elementwise.addTiled(tape, Embedding.apply(tape, tokens, batch.ids()),
                Embedding.apply(tape, positions, Embedding.range(batch.length())));
        for (int loop = 0; loop < shape.loops(); loop++) {
            Var normed = Norms.layerNorm(tape, x, norm1[0], norm1[1], EPS);
            Var mixed = Attention.apply(tape, Linear.apply(tape, normed, qkv[0], qkv[1]), batch.batch(),
                    batch.length(), shape.heads(), true, batch.keep());
            x = Elementwise.add(tape, x, Linear.apply(tape, mixed, proj[0], proj[1]));
            Var hidden = Softsign.apply(tape, Linear.apply(tape, Norms.layerNorm(tape, x, norm2[0], norm2[1], EPS),
                    up[0], up[1]));
            x = Elementwise.add(tape, x, Linear.apply(tape, hidden, down[0], down[1]));
        }
        Var logits = Linear.apply(tape, Norms.layerNorm(tape, x, finalNorm[0], finalNorm[1], EPS), head[0], head[1]);
        return Forward.of(logits);
    }

    @Override
    public ModelInfo info() {
        long width = shape.width();
        long layerFlops = 2 * (4 * width * width + 2 * width * shape.hidden() + 2L * spec.maxLength() * width);
        return new ModelInfo(LoopedArchitecture.ID, spec.vocabularySize(), spec.maxLength(), parameters.count(), 1,
                shape.loops(), shape.loops() * layerFlops + 2 * width * spec.vocabularySize());
    }

    @Override
    public float[][] nextTokenLogits(int[][] sequences) {
        if (sequences.length == 0) {
            return new float[0][];
        }
        TokenBatch batch = TokenBatch.of(sequences, Vocabulary.PAD_ID);
        Var logits = forward(Tape.inference(), batch).logits();
        float[][] next = new float[sequences.length][];
        for (int b = 0; b < sequences.length; b++) {
            next[b] = logits.value().getRow((long) b * batch.length() + sequences[b].length - 1).toFloatVector();
        }
        return next;
    }

    @Override
    public WeightSet weights() {
        return parameters.toWeightSet();
    }
}
