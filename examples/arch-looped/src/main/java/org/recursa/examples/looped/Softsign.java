package org.recursa.examples.looped;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/**
 * An op of the plugin's own, {@code y = x / (1 + |x|)}: what the training SPI asks of one is to compute the value,
 * record a backward pass on the tape, and add each input's gradient with {@link Var#accumulate}.
 */
final class Softsign {

    private Softsign() {
    }

    /** Element-wise softsign; {@code dy/dx = 1 / (1 + |x|)^2}. */
    static Var apply(Tape tape, Var x) {
        INDArray denominator = Transforms.abs(x.value(), true).addi(1);
        Var out = new Var(x.value().div(denominator), tape.needsGrad(x));
        tape.record(() -> x.accumulate(out.grad().div(denominator).divi(denominator)), x);
        return out;
    }
}
