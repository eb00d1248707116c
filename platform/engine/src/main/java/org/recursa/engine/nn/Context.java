package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.ops.Attention;

/**
 * What every layer of one forward pass shares: the tape, the batch, dropout, and the batch's causal padding
 * mask, built once per pass instead of once per layer.
 */
public final class Context {

    private final Tape tape;
    private final TokenBatch batch;
    private final double dropout;
    private final SplittableRandom random;
    private final boolean rotary;
    private INDArray causalMask;

    /**
     * @param tape    where backward passes go
     * @param batch   the token batch (B, T, padding)
     * @param dropout drop probability for residual branches during training
     * @param random  the source of dropout masks
     */
    public Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random) {
        this(tape, batch, dropout, random, false);
    }

    /**
     * @param rotary whether attention rotates queries and keys by position ({@link PositionEncoding#ROPE}); the
     *               batch's column index is then each token's position
     * @since 0.4.0
     */
    public Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random, boolean rotary) {
        this.tape = tape;
        this.batch = batch;
        this.dropout = dropout;
        this.random = random;
        this.rotary = rotary;
    }

    /**
     * Whether attention applies rotary position embeddings to its queries and keys.
     *
     * @since 0.4.0
     */
    public boolean rotary() {
        return rotary;
    }

    /** Where backward passes go. */
    public Tape tape() {
        return tape;
    }

    /** The token batch. */
    public TokenBatch batch() {
        return batch;
    }

    /** Drop probability for residual branches during training. */
    public double dropout() {
        return dropout;
    }

    /** The source of dropout masks. */
    public SplittableRandom random() {
        return random;
    }

    /**
     * The (B, T, T) additive mask of causal attention that ignores padding ({@link Attention#mask}), made on first
     * use and shared by every layer of this pass; callers must not modify it.
     *
     * @param like an array of the data type the mask should have
     */
    public INDArray causalMask(INDArray like) {
        if (causalMask == null || causalMask.dataType() != like.dataType()) {
            causalMask = Attention.mask(like, batch.batch(), batch.length(), true, batch.keep());
        }
        return causalMask;
    }
}
