package org.recursa.engine.train;

/**
 * How the host asks a {@link RecurrentModel} to run one pass: at which depth, with which steps supervised, at which
 * training step, recorded or not.
 *
 * @param depth       recursions to apply per token; 0 for the model's {@link RecurrentModel#defaultDepth default}. A
 *                    model that samples its depth while training (recurrent-depth) takes it as the mean to sample
 *                    around; an inference pass applies exactly this many
 * @param supervision which recursion steps the task loss supervises: null for the final output only; otherwise the
 *                    model returns the output of every step in {@link Forward#supervised()}, weighted as it says
 * @param step        the 0-based training step, from which a model draws what it samples per step (so that a
 *                    resumed run draws what an uninterrupted one would); -1 outside training
 * @param recorder    receives the steps of the pass for probes, or null
 * @since 1.2.0
 */
public record ForwardOptions(int depth, Supervision supervision, int step, Recorder recorder) {

    /** The model's default depth, the final output supervised, outside training, not recorded. */
    public static final ForwardOptions DEFAULT = new ForwardOptions(0, null, -1, null);

    /** Checks the depth and step. */
    public ForwardOptions {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be 0 (the model's default) or positive, got " + depth);
        }
        if (step < -1) {
            throw new IllegalArgumentException("step must be -1 (not training) or a 0-based step, got " + step);
        }
    }

    /** An inference pass at {@code depth}. */
    public static ForwardOptions atDepth(int depth) {
        return new ForwardOptions(depth, null, -1, null);
    }

    /** These options, recorded by {@code recorder}. */
    public ForwardOptions recordedBy(Recorder recorder) {
        return new ForwardOptions(depth, supervision, step, recorder);
    }

    /** The depth to run: {@link #depth()}, or {@code defaultDepth} when it is 0. */
    public int depthOr(int defaultDepth) {
        return depth == 0 ? defaultDepth : depth;
    }
}
