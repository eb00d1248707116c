package org.recursa.engine.ops;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.Gradients;

/** Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p). */
public final class Dropout {

    private Dropout() {
    }

    /**
     * @param p      drop probability in [0, 1); 0 returns {@code x} itself
     * @param random the seeded source of the mask, so that runs are reproducible
     */
    public static Var apply(Tape tape, Var x, double p, SplittableRandom random) {
        if (p == 0 || !tape.recording()) {
            return x;
        }
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        float keep = (float) (1 / (1 - p));
        float[] mask = new float[(int) x.value().length()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() < p ? 0f : keep;
        }
        INDArray m = Nd4j.create(mask, x.shape()).castTo(x.value().dataType());
        Var out = new Var(x.value().mul(m), tape.needsGrad(x));
        tape.record(() -> {
            Gradients.adopt(x, out.grad().mul(m));
            Gradients.release(out);
        }, x);
        return out;
    }
}
