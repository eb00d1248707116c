package org.recursa.engine.train;

import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.model.Model;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;

/**
 * A model the host can train: parameters and a differentiable forward pass, returned by
 * {@link TrainableArchitecture#build}. The host's trainer adds the task's cross-entropy over
 * {@link Forward#logits()} to the auxiliary losses, back-propagates through the tape and updates
 * {@link #parameters()} with AdamW; evaluation and decoding call {@link #forward} with an inference tape.
 *
 * <p>{@link #parameters()} must return the same set on every call, holding every weight the forward pass reads
 * (a weight outside it is never trained nor checkpointed); parameter names are the checkpoint's keys.
 */
@ConsumerType
public interface TrainableModel extends Model {

    /** Every trainable parameter. */
    ParameterSet parameters();

    /**
     * Runs the model on a batch. Ops record their backward passes on {@code tape} when it is a training tape.
     *
     * @param tape  where backward passes go; {@link Tape#inference()} for evaluation
     * @param batch right-padded token ids
     */
    Forward forward(Tape tape, TokenBatch batch);

    /**
     * Runs the model on a batch and reports its hidden states and attention to {@code recorder}, for probes. The
     * result must equal {@link #forward(Tape, TokenBatch)}'s. The default reports nothing; models built on the
     * engine's {@code DecoderModel} report every block application.
     *
     * @param recorder receives the steps of the pass, or null for none
     * @since 1.1.0
     */
    default Forward forward(Tape tape, TokenBatch batch, Recorder recorder) {
        return forward(tape, batch);
    }
}
