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
            fronts.openFirst();
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
        private final Map<Integer, boolean[]> changedSince = new HashMap<>();  // this step's token changes per row
        private final List<Integer> starting = new ArrayList<>();         // rows whose first position is not open yet

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
            tokens.get(row).add(token);
            choosers.get(row).add(logits);
            starting.add(row);
        }

        /** Opens every row's first position (chosen by {@link #begin}) in one call. */
        void openFirst() {
            if (starting.isEmpty()) {
                return;
            }
            int[] rows = starting.stream().mapToInt(Integer::intValue).toArray();
            int[][] first = new int[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                first[i] = new int[] {tokens.get(rows[i]).get(0)};
            }
            session.open(rows, first);
            starting.clear();
        }

        boolean any() {
            return outputs.active().length > 0;
        }

        /**
         * Advance, read out, re-choose tokens, freeze, and start new positions; every row's revisions, commits and new
         * positions go to the model in one batched call each.
         */
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
            int[][] revised = new int[rows.length][];
            int[] frozen = new int[rows.length];
            int[][] depths = new int[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                depths[i] = session.depths(rows[i]);
                revised[i] = rechoose(rows[i], probe, index, read, depths[i]);
                frozen[i] = revised[i].length > 0 ? frozenPrefix(rows[i], probe, index, depths[i]) : 0;
            }
            session.revise(rows, revised);
            float[][] committed = session.commit(rows, frozen);
            int at = 0;
            for (int i = 0; i < rows.length; i++) {
                if (frozen[i] > 0) {
                    freeze(rows[i], java.util.Arrays.copyOfRange(committed, at, at + frozen[i]), depths[i]);
                    at += frozen[i];
                }
            }
            extend(rows);
        }

        /**
         * The row's open tokens after each position but the first takes its predecessor's current prediction; marks
         * which changed (in {@code changedSince}) and keeps the newest read-out of the last position.
         */
        private int[] rechoose(int row, RecurrentSession.Probe probe, Map<Long, Integer> index, float[][] read,
                               int[] depths) {
            List<Integer> open = tokens.get(row);
            int k = open.size();
            int[] revised = new int[k];
            boolean[] changed = new boolean[k];
            for (int s = 0; s < k; s++) {
                revised[s] = open.get(s);
                if (s > 0) {
                    float[] by = logitsAt(row, s - 1, index, read);
                    by = by != null ? by : choosers.get(row).get(s);
                    revised[s] = Scores.argmax(by);
                    changed[s] = revised[s] != open.get(s);
                    choosers.get(row).set(s, by);
                    open.set(s, revised[s]);
                }
            }
            float[] last = k == 0 ? null : logitsAt(row, k - 1, index, read);
            if (last != null) {
                lastRead.set(row, last);
            }
            changedSince.put(row, changed);
            return revised;
        }

        /**
         * The longest prefix of open positions whose latent changed by less than the threshold in the last recursion
         * (or that reached max_depth) and whose token did not just change.
         */
        private int frozenPrefix(int row, RecurrentSession.Probe probe, Map<Long, Integer> index, int[] depths) {
            boolean[] changed = changedSince.get(row);
            int frozen = 0;
            while (frozen < changed.length && !changed[frozen]) {
                Integer i = index.get(key(row, frozen));
                double change = i == null ? 0 : probe.latentChange()[i];   // not moved: at the deepest depth
                if (change >= threshold && depths[frozen] < maxDepth) {
                    break;
                }
                frozen++;
            }
            return frozen;
        }

        private float[] logitsAt(int row, int slot, Map<Long, Integer> index, float[][] read) {
            Integer i = index.get(key(row, slot));
            return i == null ? null : read[i];
        }

        /** Records the tokens of the row's committed positions; ends the row at a stop token or a limit. */
        private void freeze(int row, float[][] committed, int[] depths) {
            List<Integer> open = tokens.get(row);
            for (int s = 0; s < committed.length; s++) {
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

        /** Starts up to {@code headway} new positions per unfinished row, from its last position's prediction. */
        private void extend(int[] rows) {
            List<Integer> extended = new ArrayList<>();
            List<int[]> added = new ArrayList<>();
            for (int row : rows) {
                if (outputs.done(row)) {
                    continue;
                }
                List<Integer> open = tokens.get(row);
                int room = Math.min(Math.min(headway, maxWavefront - open.size()),
                        Math.min(request.maxNewTokens() - outputs.count(row) - open.size(),
                                maxLength - session.length(row) - open.size()));
                if (room <= 0 || (!open.isEmpty() && open.get(open.size() - 1) == request.stopToken())) {
                    continue;                             // full, at a limit, or nothing follows a stop token
                }
                float[] by = lastRead.get(row);
                int token = Scores.argmax(by);
                int[] fresh = new int[room];
                java.util.Arrays.fill(fresh, token);      // each new position starts from the same prediction
                for (int h = 0; h < room; h++) {
                    open.add(token);
                    choosers.get(row).add(by);
                }
                extended.add(row);
                added.add(fresh);
            }
            if (!extended.isEmpty()) {
                session.open(extended.stream().mapToInt(Integer::intValue).toArray(), added.toArray(new int[0][]));
            }
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
