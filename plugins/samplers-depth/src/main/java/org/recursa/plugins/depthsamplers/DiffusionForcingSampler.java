package org.recursa.plugins.depthsamplers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.Capability;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.RecurrentSession;

/**
 * The parallel sampler of "Efficient Parallel Samplers for Recurrent-Depth Models and Their Connection to Diffusion
 * Language Models" (Geiping, Yang, Su; arXiv 2510.14961), greedy: each row keeps a wavefront of unfrozen positions
 * after its committed tokens. One outer step advances every wavefront position by {@code inner_steps} recursions
 * (all rows and positions in one batched call per recursion), reads every position out, gives each position after
 * the first the argmax of its predecessor's prediction, freezes the longest prefix of positions whose latent changed
 * by less than {@code exit_threshold} relative to its norm in the last recursion (or that reached {@code max_depth})
 * and whose token did not just change, and starts {@code headway} new positions, at most {@code max_wavefront} open.
 *
 * <p>Departures from the authors' sampler, all documented in docs/decoding.md: no noise mixing and no embedding EMA
 * (the paper's Table 1 runs use beta = 0); the latent change is measured over the last recursion rather than the
 * last outer step; a position also freezes at {@code max_depth}, so that a position that never converges still ends;
 * keys and values are kept per depth, a position missing at a depth lending its nearest depth's.
 */
public final class DiffusionForcingSampler implements Sampler {

    static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("inner_steps", 1, 1, 1024, "recursions every open position advances per outer step"),
            Setting.ofDouble("exit_threshold", 0.03, 0, 1e9,
                    "a position freezes when |h_t - h_{t-1}| / |h_t| falls below this (0: only at max_depth)"),
            Setting.ofInt("max_wavefront", 16, 1, 1 << 16, "the most unfrozen positions per row"),
            Setting.ofInt("headway", 1, 1, 1 << 16, "new positions started per outer step"),
            Setting.ofInt("max_depth", 0, 0, 1 << 16,
                    "a position freezes at this depth at the latest; 0 = the model's default depth"));

    /** Creates the sampler; it holds no state. */
    public DiffusionForcingSampler() {
    }

    @Override
    public String id() {
        return "diffusion-forcing";
    }

    @Override
    public String description() {
        return "Parallel decoding of a wavefront of unfrozen positions for recurrent-depth models (arXiv 2510.14961)";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Optional<String> unsupportedReason(ModelInfo model) {
        if (!model.has(Capability.RECURRENT_DEPTH)) {
            return Optional.of("diffusion-forcing advances positions by recursions, but " + model.architecture()
                    + " has a fixed depth; use a recursive architecture (universal, relaxed, recurrent-depth,"
                    + " loopformer) or the greedy sampler");
        }
        if (!model.has(Capability.STEPWISE)) {
            return Optional.of("diffusion-forcing runs one recursion at a time, which " + model.architecture()
                    + " does not offer (its router decides each token's depth); use early-exit with criterion=router");
        }
        return Optional.empty();
    }

    @Override
    public Decoded decode(Model model, DecodeRequest request, Config settings) {
        unsupportedReason(model.info()).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        long start = System.nanoTime();
        int[][] prompts = request.prompts().toArray(new int[0][]);
        Outputs outputs = new Outputs(prompts.length, request.maxNewTokens());
        try (RecurrentSession session = (RecurrentSession) model.openSession()) {
            Wavefronts fronts = new Wavefronts(session, request, settings, outputs, model.info().maxLength());
            float[][] logits = session.prefill(prompts);
            int[] depths = session.lastDepths();
            for (int row = 0; row < prompts.length; row++) {
                fronts.begin(row, logits[row], depths.length > 0 ? depths[row] : session.defaultDepth());
            }
            while (fronts.any()) {
                fronts.outerStep();
            }
            return outputs.decoded(session, start);
        }
    }

    /** Every row's wavefront: the tokens of its open positions and the logits that chose each. */
    private static final class Wavefronts {

        private final RecurrentSession session;
        private final DecodeRequest request;
        private final Outputs outputs;
        private final int innerSteps;
        private final double threshold;
        private final int maxWavefront;
        private final int headway;
        private final int maxDepth;
        private final int maxLength;
        private final List<List<Integer>> tokens = new ArrayList<>();
        private final List<List<float[]>> choosers = new ArrayList<>();   // the logits that chose each open token
        private final List<float[]> lastRead = new ArrayList<>();         // the newest read-out of each row's last open
        private final List<Integer> chooserDepth = new ArrayList<>();     // depth of what chose the first open token

        Wavefronts(RecurrentSession session, DecodeRequest request, Config settings, Outputs outputs, int maxLength) {
            this.session = session;
            this.request = request;
            this.outputs = outputs;
            this.innerSteps = settings.getInt("inner_steps");
            this.threshold = settings.getDouble("exit_threshold");
            this.maxWavefront = settings.getInt("max_wavefront");
            this.headway = settings.getInt("headway");
            this.maxDepth = Math.min(session.maxDepth(), settings.getInt("max_depth") > 0 ? settings.getInt("max_depth")
                    : session.defaultDepth());
            this.maxLength = maxLength;
        }

        /** The row's first token from the prompt's (final) logits, then its first open position. */
        void begin(int row, float[] logits, int depth) {
            tokens.add(new ArrayList<>());
            choosers.add(new ArrayList<>());
            lastRead.add(logits);
            chooserDepth.add(depth);
            int token = Scores.argmax(logits);
            if (token == request.stopToken() || request.maxNewTokens() == 0) {
                if (request.maxNewTokens() > 0) {
                    outputs.add(row, token, Scores.logProbability(logits, token), true);
                    outputs.depth(row, depth);
                }
                outputs.finish(row);
                return;
            }
            start(row, token, logits);
        }

        boolean any() {
            return outputs.active().length > 0;
        }

        /** Advance, read out, re-choose tokens, freeze, and start new positions. */
        void outerStep() {
            int[] rows = outputs.active();
            RecurrentSession.Probe probe = null;
            for (int k = 0; k < innerSteps; k++) {
                probe = session.advance(rows);
            }
            Map<Long, Integer> index = new HashMap<>();
            for (int i = 0; i < probe.rows().length; i++) {
                index.put(key(probe.rows()[i], probe.slots()[i]), i);
            }
            float[][] read = probe.rows().length == 0 ? new float[0][] : probe.logits();
            for (int row : rows) {
                update(row, probe, index, read);
            }
        }

        private void update(int row, RecurrentSession.Probe probe, Map<Long, Integer> index, float[][] read) {
            List<Integer> open = tokens.get(row);
            int k = open.size();
            float[][] logits = new float[k][];
            double[] change = new double[k];
            for (int s = 0; s < k; s++) {
                Integer i = index.get(key(row, s));
                logits[s] = i == null ? null : read[i];
                change[s] = i == null ? 0 : probe.latentChange()[i];   // not moved: at the deepest depth, settled
            }
            int[] depths = session.depths(row);
            // each position after the first takes its predecessor's current prediction
            boolean[] changed = new boolean[k];
            int[] revised = new int[k];
            revised[0] = open.get(0);
            for (int s = 1; s < k; s++) {
                float[] by = logits[s - 1] != null ? logits[s - 1] : choosers.get(row).get(s);
                revised[s] = Scores.argmax(by);
                changed[s] = revised[s] != open.get(s);
                choosers.get(row).set(s, by);
                open.set(s, revised[s]);
            }
            session.revise(row, revised);
            int frozen = 0;
            while (frozen < k && !changed[frozen] && (change[frozen] < threshold || depths[frozen] >= maxDepth)) {
                frozen++;
            }
            if (logits[k - 1] != null) {
                lastRead.set(row, logits[k - 1]);
            }
            if (frozen > 0) {
                freeze(row, frozen, depths);
            }
            if (!outputs.done(row)) {
                extend(row);
            }
        }

        /** Commits the first {@code frozen} open positions, recording their tokens; ends the row at a stop token. */
        private void freeze(int row, int frozen, int[] depths) {
            float[][] committed = session.commit(new int[] {row}, new int[] {frozen});
            List<Integer> open = tokens.get(row);
            for (int s = 0; s < frozen; s++) {
                int token = open.get(0);
                float[] chooser = choosers.get(row).get(0);
                open.remove(0);
                choosers.get(row).remove(0);
                outputs.add(row, token, Scores.logProbability(chooser, token), false);
                outputs.depth(row, chooserDepth.get(row));                // the depth that predicted this token
                chooserDepth.set(row, depths[s]);
                float[] after = committed[s];
                if (!open.isEmpty()) {
                    choosers.get(row).set(0, after);
                } else {
                    lastRead.set(row, after);
                }
                if (outputs.count(row) >= request.maxNewTokens() || session.length(row) >= maxLength) {
                    finish(row);
                    return;
                }
                int next = Scores.argmax(after);                 // open.get(0) too, revised from the same state
                if (next == request.stopToken()) {
                    outputs.add(row, next, Scores.logProbability(after, next), true);
                    outputs.depth(row, depths[s]);
                    finish(row);
                    return;
                }
            }
        }

        /** Starts up to {@code headway} new positions, each from the prediction of the row's last position. */
        private void extend(int row) {
            for (int h = 0; h < headway; h++) {
                List<Integer> open = tokens.get(row);
                int generated = outputs.count(row) + open.size();
                if (open.size() >= maxWavefront || generated >= request.maxNewTokens()
                        || session.length(row) + open.size() + 1 > maxLength) {
                    return;
                }
                float[] by = lastRead.get(row);
                int token = Scores.argmax(by);
                if (!open.isEmpty() && open.get(open.size() - 1) == request.stopToken()) {
                    return;                               // nothing follows a stop token
                }
                start(row, token, by);
            }
        }

        private void start(int row, int token, float[] chooser) {
            session.open(new int[] {row}, new int[][] {{token}});
            tokens.get(row).add(token);
            choosers.get(row).add(chooser);
        }

        private void finish(int row) {
            session.discard(row);
            tokens.get(row).clear();
            choosers.get(row).clear();
            outputs.finish(row);
        }

        private static long key(int row, int slot) {
            return ((long) row << 32) | slot;
        }
    }
}
