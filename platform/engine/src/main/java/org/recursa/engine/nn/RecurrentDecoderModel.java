package org.recursa.engine.nn;

import java.util.Set;
import java.util.SplittableRandom;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.model.Capability;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.model.WeightSet;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.Recorder;
import org.recursa.engine.train.TrainableModel;

/**
 * A {@link DecoderModel} whose body loops: everything {@link RecurrentModel} asks for except the loop itself, which a
 * subclass writes in {@link #body(Context, org.recursa.engine.Var, ForwardOptions)}, running
 * {@code options.depthOr(defaultDepth())} steps and, when {@code options.supervision()} is set, returning every step's
 * state in {@link Body#steps()}.
 *
 * @since 0.7.0
 */
@ConsumerType
public abstract class RecurrentDecoderModel extends DecoderModel implements RecurrentModel {

    /** As {@link DecoderModel#DecoderModel}. */
    protected RecurrentDecoderModel(ModelSpec spec, Block.Shape shape, double dropout, SplittableRandom init) {
        super(spec, shape, dropout, init);
    }

    /** Forward multiply-adds per token of one recursion step of the body at maximum length. */
    protected abstract long stepFlopsPerToken();

    /** Forward multiply-adds per token of the body outside its recursion steps (prelude, coda); 0 by default. */
    protected long fixedFlopsPerToken() {
        return 0;
    }

    /**
     * Forward multiply-adds per token of the body at maximum length when run at {@code depth}: by default the fixed
     * part plus {@code depth} equal steps; a body whose steps differ in cost (routing) overrides this.
     */
    protected long bodyFlopsPerToken(int depth) {
        return fixedFlopsPerToken() + stepFlopsPerToken() * depth;
    }

    @Override
    protected final long bodyFlopsPerToken() {
        return bodyFlopsPerToken(defaultDepth());
    }

    @Override
    public final long flopsPerToken(int depth) {
        return bodyFlopsPerToken(depth) + 2L * shape.width() * spec.vocabularySize();
    }

    /** A key/value cache and a depth that can be set ({@link #atDepth}). */
    @Override
    protected Set<Capability> capabilities() {
        Set<Capability> capabilities = super.capabilities();
        capabilities.add(Capability.RECURRENT_DEPTH);
        if (recurrence(ForwardOptions.DEFAULT) != null) {
            capabilities.add(Capability.STEPWISE);
        }
        return capabilities;
    }

    @Override
    int depthOf(ForwardOptions options) {
        return options.depthOr(defaultDepth());
    }

    /**
     * The body one recursion at a time, for decoding that decides each position's depth; null (the default) when the
     * architecture does not offer it, and its sessions then decode at a fixed depth only.
     *
     * @param options the session's options (its depth)
     *
     * @since 0.9.0
     */
    protected Recurrence recurrence(ForwardOptions options) {
        return null;
    }

    /** A session over a key/value cache that also runs one recursion at a time when the body offers it. */
    @Override
    DecodeSession openSession(ForwardOptions options) {
        Recurrence recurrence = recurrence(options);
        return recurrence == null ? super.openSession(options) : new RecurrentCachedSession(this, options, recurrence);
    }

    @Override
    long flopsPerToken(ForwardOptions options) {
        return flopsPerToken(options.depthOr(defaultDepth()));
    }

    @Override
    public TrainableModel atDepth(int depth) {
        if (depth < 1 || depth > maxDepth()) {
            throw new IllegalArgumentException("depth " + depth + " is outside 1.." + maxDepth());
        }
        return new AtDepth(this, depth);
    }

    /** This model's parameters run at a fixed depth: evaluation and decoding at a depth it was not trained at. */
    private static final class AtDepth implements TrainableModel {

        private final RecurrentDecoderModel model;
        private final ForwardOptions options;

        AtDepth(RecurrentDecoderModel model, int depth) {
            this.model = model;
            this.options = ForwardOptions.atDepth(depth);
        }

        @Override
        public ParameterSet parameters() {
            return model.parameters();
        }

        @Override
        public Forward forward(Tape tape, TokenBatch batch) {
            return model.forward(tape, batch, options);
        }

        @Override
        public Forward forward(Tape tape, TokenBatch batch, Recorder recorder) {
            return model.forward(tape, batch, options.recordedBy(recorder));
        }

        @Override
        public ModelInfo info() {
            ModelInfo info = model.info();
            return new ModelInfo(info.architecture(), info.vocabularySize(), info.maxLength(), info.parameters(),
                    info.uniqueLayers(), info.effectiveLayers(), model.flopsPerToken(options.depth()),
                    info.capabilities());
        }

        @Override
        public DecodeSession openSession() {
            return model.openSession(options);
        }

        @Override
        public float[][] nextTokenLogits(int[][] sequences) {
            return model.nextTokenLogits(sequences, options);
        }

        @Override
        public WeightSet weights() {
            return model.weights();
        }
    }
}
