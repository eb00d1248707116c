package org.recursa.engine.nn;

import java.util.SplittableRandom;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;

/**
 * What every layer of one forward pass shares.
 *
 * @param tape    where backward passes go
 * @param batch   the token batch (B, T, padding)
 * @param dropout drop probability for residual branches during training
 * @param random  the source of dropout masks
 */
public record Context(Tape tape, TokenBatch batch, double dropout, SplittableRandom random) {
}
