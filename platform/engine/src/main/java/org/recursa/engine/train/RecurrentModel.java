package org.recursa.engine.train;

import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;

/**
 * A model whose depth, the number of recursions it applies per token, is a knob of each pass rather than a fixed
 * part of its weights: the host trains it under a depth curriculum, supervises every recursion step, and evaluates
 * it at depths it was not trained at (test-time depth scaling). Architectures built on the engine's
 * {@code RecurrentDecoderModel} get everything but the body's loop.
 *
 * @since 1.2.0
 */
@ConsumerType
public interface RecurrentModel extends TrainableModel {

    /** The depth it trains and decodes at unless asked otherwise: T, the mean recurrence, the number of loops. */
    int defaultDepth();

    /**
     * The deepest pass it can run; deeper requests are refused by the host before any pass. Depths above
     * {@link #defaultDepth} are test-time depth scaling.
     */
    int maxDepth();

    /**
     * Runs the model on a batch as {@code options} say. With {@link ForwardOptions#DEFAULT} it equals
     * {@link #forward(Tape, TokenBatch)}.
     */
    Forward forward(Tape tape, TokenBatch batch, ForwardOptions options);

    /** A model sharing these parameters whose every pass (evaluation, decoding) runs at {@code depth}. */
    TrainableModel atDepth(int depth);

    /** Forward multiply-adds per token at maximum length when run at {@code depth}; for reporting FLOPs saved. */
    long flopsPerToken(int depth);
}
