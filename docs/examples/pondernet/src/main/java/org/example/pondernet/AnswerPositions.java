package org.example.pondernet;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.TokenBatch;

/**
 * The positions whose next token the task loss counts. The API fixes the stream a model sees, {@code input SEP output
 * EOS} right-padded ({@link Vocabulary}), and the host's loss covers the output and EOS: the positions from the first
 * SEP up to the one before the row's last token. A row without SEP counts every position that has a next token.
 *
 * <p>The model needs them because its halting weights differ per position while {@code Forward.Supervised} weights
 * are constants: the part of its loss that does not depend on the target (the mixture's normaliser) and the KL term
 * are averaged here, over the rows the host's cross-entropy averages over.
 */
final class AnswerPositions {

    private AnswerPositions() {
    }

    /** (B*T, 1): 1 where the task loss counts the next token, else 0, in the batch's data type. */
    static INDArray of(TokenBatch batch) {
        float[] mask = new float[batch.ids().length];
        for (int b = 0; b < batch.batch(); b++) {
            int length = batch.lengths()[b];
            int start = 0;
            for (int t = 0; t < length; t++) {
                if (batch.ids()[b * batch.length() + t] == Vocabulary.SEP_ID) {
                    start = t;
                    break;
                }
            }
            for (int t = start; t < length - 1; t++) {
                mask[b * batch.length() + t] = 1f;
            }
        }
        return Nd4j.create(mask, new long[] {mask.length, 1}, 'c').castTo(batch.keep().dataType());
    }
}
