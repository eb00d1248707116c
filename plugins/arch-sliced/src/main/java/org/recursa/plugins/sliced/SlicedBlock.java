package org.recursa.plugins.sliced;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.Dense;
import org.recursa.engine.nn.LayerNorm;
import org.recursa.engine.nn.Mlp;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.Dropout;
import org.recursa.engine.ops.Elementwise;

/**
 * SReT's block: pre-norm attention and MLP with a learnable coefficient on each side of both residual sums,
 * all initialised to 1.
 * <pre>
 *   h = a1 x + a2 Attn(LN1(x); mask)
 *   y = a3 h + a4 MLP(LN2(h))
 * </pre>
 */
final class SlicedBlock {

    private final LayerNorm norm1;
    private final Dense qkv;
    private final Dense proj;
    private final LayerNorm norm2;
    private final Mlp mlp;
    private final Parameter[] alpha;
    private final int heads;

    private SlicedBlock(LayerNorm norm1, Dense qkv, Dense proj, LayerNorm norm2, Mlp mlp, Parameter[] alpha, int heads) {
        this.norm1 = norm1;
        this.qkv = qkv;
        this.proj = proj;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.alpha = alpha;
        this.heads = heads;
    }

    static SlicedBlock create(ParameterSet parameters, String name, Block.Shape shape, double projectionStd,
                              SplittableRandom random) {
        int width = shape.width();
        LayerNorm norm1 = LayerNorm.create(parameters, name + ".ln1", width);
        Dense qkv = Dense.create(parameters, name + ".attn.qkv", width, 3 * width, Block.Shape.STD, random);
        Dense proj = Dense.create(parameters, name + ".attn.proj", width, width, projectionStd, random);
        LayerNorm norm2 = LayerNorm.create(parameters, name + ".ln2", width);
        Mlp mlp = Mlp.create(parameters, name + ".mlp", width, shape.hidden(), Block.Shape.STD, projectionStd, random);
        return new SlicedBlock(norm1, qkv, proj, norm2, mlp, coefficients(parameters, name, 4), shape.heads());
    }

    /** Scalars {@code name.alpha.1..n}, initialised to 1 (rank 1, so no weight decay). */
    static Parameter[] coefficients(ParameterSet parameters, String name, int count) {
        Parameter[] scalars = new Parameter[count];
        for (int i = 0; i < count; i++) {
            scalars[i] = parameters.add(name + ".alpha." + (i + 1), Init.constant(1.0, 1));
        }
        return scalars;
    }

    /** x (B*T, C) to (B*T, C), attending under {@code mask} (B, T, T). */
    Var apply(Context context, Var x, INDArray mask) {
        var tape = context.tape();
        var batch = context.batch();
        Var mixed = Attention.apply(tape, qkv.apply(tape, norm1.apply(tape, x)), batch.batch(), batch.length(),
                heads, mask);
        Var attended = Dropout.apply(tape, proj.apply(tape, mixed), context.dropout(), context.random());
        Var h = Elementwise.add(tape, Elementwise.scaleBy(tape, x, alpha[0]), Elementwise.scaleBy(tape, attended, alpha[1]));
        Var transformed = Dropout.apply(tape, mlp.apply(context, norm2.apply(tape, h)), context.dropout(),
                context.random());
        return Elementwise.add(tape, Elementwise.scaleBy(tape, h, alpha[2]), Elementwise.scaleBy(tape, transformed, alpha[3]));
    }
}
