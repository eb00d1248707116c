package org.recursa.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Define-by-run reverse-mode autodiff: ops run eagerly and push their backward pass here; {@link #backward}
 * replays them in reverse order. A tape is used for one forward/backward pass and then dropped.
 *
 * <p>A tape made with {@link #inference()} records nothing, for evaluation and decoding.
 */
public final class Tape {

    private final boolean recording;
    private final List<Runnable> backwards = new ArrayList<>();

    private Tape(boolean recording) {
        this.recording = recording;
    }

    /** A tape that records backward passes, for training. */
    public static Tape training() {
        return new Tape(true);
    }

    /** A tape that records nothing, for evaluation. */
    public static Tape inference() {
        return new Tape(false);
    }

    /** Whether backward passes are being recorded. */
    public boolean recording() {
        return recording;
    }

    /**
     * Records a backward pass when recording and when any of {@code inputs} needs a gradient.
     *
     * @param backward adds the gradients of the op's inputs, reading its output's gradient
     * @param inputs   the op's inputs
     */
    public void record(Runnable backward, Var... inputs) {
        if (!recording) {
            return;
        }
        for (Var input : inputs) {
            if (input != null && input.requiresGrad()) {
                backwards.add(backward);
                return;
            }
        }
    }

    /** Whether the op with these inputs produces an output that needs a gradient. */
    public boolean needsGrad(Var... inputs) {
        if (!recording) {
            return false;
        }
        for (Var input : inputs) {
            if (input != null && input.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Back-propagates from a scalar: sets its gradient to one and runs every recorded backward pass in reverse.
     *
     * @param loss a scalar produced by ops on this tape
     */
    public void backward(Var loss) {
        if (!recording) {
            throw new IllegalStateException("backward() on an inference tape; use Tape.training()");
        }
        if (loss.value().length() != 1) {
            throw new IllegalArgumentException("backward() needs a scalar loss, got shape "
                    + java.util.Arrays.toString(loss.shape()));
        }
        INDArray one = loss.value().ulike().assign(1);
        loss.accumulate(one);
        for (int i = backwards.size() - 1; i >= 0; i--) {
            backwards.get(i).run();
        }
        backwards.clear();
    }
}
