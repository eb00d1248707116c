package org.recursa.engine.train;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Observes one forward pass: receives the residual stream at the start of the body and after every block
 * application, with each block's attention, for mechanistic probes ({@code recursa probe}, docs/probes.md). The
 * host passes one to {@link TrainableModel#forward(org.recursa.engine.Tape, org.recursa.engine.TokenBatch, Recorder)};
 * models built on the engine's {@code DecoderModel} and {@code Block} report to it without code of their own, and
 * name their steps through {@code Context.at}. A pass without a recorder computes exactly what it computed before,
 * at the same cost.
 *
 * <p>Everything a step carries is a copy on the Java heap in the batch's own layout (rows {@code b * T + t}), so a
 * recorder may keep it; it is called on the thread of the pass, in the order of the computation.
 *
 * <p>The host implements this interface and models only call it ({@code @ProviderType}): a method added to it is a
 * minor change for architectures.
 *
 * @since 1.1.0
 */
@ProviderType
public interface Recorder {

    /** The name of the step before the first block: token plus position embeddings. */
    String EMBED = "embed";

    /** Receives one step. */
    void step(Step step);

    /**
     * One recorded state of the residual stream.
     *
     * @param name      {@link #EMBED}, then what the architecture calls the block application: {@code layer.3}
     *                  (the third application of the pass, the default), {@code recursion.2}, {@code layer.first};
     *                  unique within a pass ({@code #2} is appended to a name used twice)
     * @param order     0 for {@link #EMBED}, then 1, 2, ... in the order of the block applications
     * @param hidden    (B*T) rows of C values: the residual stream after the block (rows of tokens the block did
     *                  not compute are zero)
     * @param attention [B][H][T][T] attention probabilities of the block's heads, query by key, in positions of the
     *                  batch (zero where the block did not compute); null for {@link #EMBED}
     * @param active    B*T flags: the tokens this step computed and whose state counts — real tokens, less those an
     *                  architecture's routing or halting left out of it (a halted ACT position, a token MoR did not
     *                  route into the recursion)
     */
    record Step(String name, int order, float[][] hidden, float[][][][] attention, boolean[] active) {
    }
}
