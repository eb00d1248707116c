package org.recursa.engine;

import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.model.Model;

/**
 * A model the runtime's trainer can train: parameters and a differentiable forward pass. Architectures built
 * on the engine return one from {@code Architecture.build}.
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
}
