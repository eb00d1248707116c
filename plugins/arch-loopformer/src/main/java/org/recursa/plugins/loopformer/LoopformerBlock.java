package org.recursa.plugins.loopformer;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.nn.AttentionScope;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.Dense;
import org.recursa.engine.nn.Mlp;
import org.recursa.engine.nn.SelfAttention;
import org.recursa.engine.ops.Dropout;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Norms;

/**
 * One of LoopFormer's shared blocks: the engine's attention and MLP under AdaLN-zero modulation by the loop's
 * conditioning c, as the authors' {@code LoopFormerBlock}.
 * <pre>
 *   [gate_msa, gate_mlp, scale_msa, scale_mlp] = Linear(SiLU(c))      four (1, C) rows, zero-initialised
 *   x += gate_msa * Attn(RMSNorm(x) * (1 + scale_msa))
 *   x += gate_mlp * MLP(RMSNorm(x) * (1 + scale_mlp))
 * </pre>
 * RMSNorm has no parameters. The authors' one Linear C → 4C, chunked in four, is kept here as four Linear C → C
 * maps ({@code name.modulation.gate_msa}, ...): the same function with a parameter per chunk. Zero modulation makes
 * a fresh block the identity, as in DiT.
 */
final class LoopformerBlock {

    /**
     * The norm's epsilon: PyTorch's {@code nn.RMSNorm(eps=None)}, which the authors use, takes the machine epsilon
     * of the data type, 2^-23 in float32, Recursa's training precision.
     */
    static final double EPS = 0x1p-23;
    /** The four modulation rows, in the authors' chunk order. */
    static final String[] MODULATION = {"gate_msa", "gate_mlp", "scale_msa", "scale_mlp"};

    private final SelfAttention attention;
    private final Mlp mlp;
    private final Dense[] modulation;

    private LoopformerBlock(SelfAttention attention, Mlp mlp, Dense[] modulation) {
        this.attention = attention;
        this.mlp = mlp;
        this.modulation = modulation;
    }

    /** Parameters {@code name.attn.*}, {@code name.mlp.*}, then {@code name.modulation.<row>.*}, in that order. */
    static LoopformerBlock create(ParameterSet parameters, String name, Block.Shape shape, double projectionStd,
                                  SplittableRandom random) {
        SelfAttention attention = SelfAttention.create(parameters, name + ".attn", shape.width(), shape.heads(),
                Block.Shape.STD, projectionStd, random);
        Mlp mlp = Mlp.create(parameters, name + ".mlp", shape.width(), shape.hidden(), Block.Shape.STD,
                projectionStd, random);
        Dense[] modulation = new Dense[MODULATION.length];
        for (int i = 0; i < MODULATION.length; i++) {
            modulation[i] = Dense.create(parameters, name + ".modulation." + MODULATION[i], shape.width(),
                    shape.width(), Block.Shape.STD, random);
            modulation[i].weight().value().assign(0);             // AdaLN-zero
        }
        return new LoopformerBlock(attention, mlp, modulation);
    }

    /**
     * x (B*T, C) to (B*T, C) under the loop's activated conditioning {@code silu} = SiLU(c) (1, C), shared by every
     * token of the batch. A recorded pass reports the output and attention to the context's recorder.
     */
    Var apply(Context context, Var x, Var silu) {
        Tape tape = context.tape();
        Var gateAttention = modulation[0].apply(tape, silu);                   // (1, C) each
        Var gateMlp = modulation[1].apply(tape, silu);
        Var scaleAttention = Elementwise.shift(tape, modulation[2].apply(tape, silu), 1);
        Var scaleMlp = Elementwise.shift(tape, modulation[3].apply(tape, silu), 1);

        Var attentionInput = Elementwise.mulRow(tape, Norms.rmsNorm(tape, x, EPS), scaleAttention);
        Var attended;
        INDArray probabilities = null;
        if (context.recording()) {
            SelfAttention.Attended result = attention.attend(context, attentionInput, AttentionScope.causal());
            attended = result.output();
            probabilities = result.probabilities();
        } else {
            attended = attention.apply(context, attentionInput);
        }
        Var h = Elementwise.add(tape, x, Elementwise.mulRow(tape, dropout(context, attended), gateAttention));

        Var mlpInput = Elementwise.mulRow(tape, Norms.rmsNorm(tape, h, EPS), scaleMlp);
        Var y = Elementwise.add(tape, h, Elementwise.mulRow(tape, dropout(context, mlp.apply(context, mlpInput)),
                gateMlp));
        if (context.recording()) {
            context.record(y, probabilities);
        }
        return y;
    }

    private static Var dropout(Context context, Var branch) {
        return Dropout.apply(context.tape(), branch, context.dropout(), context.random());
    }

    /** Parameters of one block: attention and MLP with their biases (no norms), and the four C → C maps. */
    static long parameters(Block.Shape shape) {
        long width = shape.width();
        return shape.parameters() - 4 * width + MODULATION.length * (width * width + width);
    }

    /** Values kept per token beyond a standard block's: the two modulated inputs and the two gated branches. */
    static long extraActivationsPerToken(Block.Shape shape) {
        return 4L * shape.width();
    }

    /** Multiply-adds of the modulation per sequence: four C → C maps on one row. */
    static long modulationFlopsPerSequence(Block.Shape shape) {
        return 2L * MODULATION.length * shape.width() * shape.width();
    }
}
