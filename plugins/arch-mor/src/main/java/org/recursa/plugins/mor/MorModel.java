package org.recursa.plugins.mor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.model.Capability;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.nn.AttentionScope;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.Dense;
import org.recursa.engine.nn.RecurrentDecoderModel;
import org.recursa.engine.nn.Recurrence;
import org.recursa.engine.nn.StepState;
import org.recursa.engine.ops.Activations;
import org.recursa.engine.ops.Attention;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Linear;
import org.recursa.engine.ops.RowMap;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;

/**
 * Mixture-of-Recursions (Bae, Kim, Bayat et al., 2025), decoder-only, with Middle-Cycle sharing: a unique first
 * block, {@code base_depth} shared blocks applied up to N_r times, a unique last block.
 * <p>Expert-choice (per recursion r = 1..N_r, router theta_r, candidates = tokens selected at r-1):
 * <pre>
 *   g_t = gate_scale * sigmoid(theta_r . h_t)
 *   training:  the k_r = max(1, floor((N_r - r + 1) / N_r * T_b)) candidates of each sequence with the highest g
 *   inference: the candidates with sigmoid(theta_r . h_t) > 0.5        (causal: depends on token t's state only)
 *   h_t <- h_t + g_t f(h_t)  for selected t,   unchanged otherwise      (f: the shared blocks, residual included)
 *   aux loss = aux_weight * sum_t BCE(theta_r . h_t, selected_t) / (B T)  trains the router for the threshold
 *              (router_bce=candidates, the authors' code: the sum over r's candidates, divided by their number)
 * </pre>
 * Token-choice: {@code p_t = softmax(W h_t^1)} over N_r depths, depth i_t = argmax p_t, gate g_t = p_t[i_t];
 * token t passes f i_t times and leaves with {@code h_t^1 + g_t f^(i_t)(h_t^1)}; balancing loss
 * {@code balance_weight * sum_i f_i P_i} with f_i = N_r / T * #tokens at depth i and P_i the mean p_i.
 * <p>KV: {@code recursion} lets a token at recursion r attend only to earlier tokens also at recursion r;
 * {@code share} keeps each shared block's keys and values from recursion 1 (all tokens) and recomputes only the
 * queries.
 * <p>Computation. With kv=recursion (both routers, training and inference) the tokens routed into a recursion are
 * gathered per sequence, in position order, into a dense (B, K_r) batch (K_r the largest count in the batch; the
 * slots of shorter sequences are padding, masked as keys), the shared blocks run on that batch with ordinary
 * causal attention, and the results are scattered back ({@link RoutedRows}, {@link RowMap}). So only routed
 * tokens are computed, and a token attends exactly to the earlier tokens routed into the same recursion. With
 * kv=share every token is still computed at every recursion and the unrouted ones are masked: its attention would
 * need routed queries against the keys of all tokens, a rectangular attention the engine's {@link Attention} op
 * does not offer. {@link #info()} reports what is computed in each case.
 * <p>A recorder sees {@code layer.first}, {@code recursion.1} .. {@code recursion.N_r} (with {@code .block.<b>}
 * when base_depth > 1) and {@code layer.last}; at a recursion only the tokens routed into it are active, and their
 * state is the shared blocks' output before the gate. A recursion no token entered is computed, and so recorded,
 * only by the masked computation (kv=share), with no active token.
 */
final class MorModel extends RecurrentDecoderModel {

    /** How the shared blocks treat the tokens a router did not send into a recursion. */
    enum Compute {
        /** Gather the routed tokens and compute only them (kv=recursion; kv=share falls back to masking). */
        GATHERED,
        /** Compute every token and mask the unrouted ones: kv=share's path, and the reference in tests. */
        MASKED
    }

    /** Routing settings. */
    record Routing(int recursions, int baseDepth, boolean expertChoice, boolean shareKv, double gateScale,
                   double auxWeight, double balanceWeight, boolean bceOverCandidates) {
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    private final Routing routing;
    private final Compute compute;
    private final Block first;
    private final List<Block> shared = new ArrayList<>();
    private final Block last;
    private final List<Parameter> expertRouters = new ArrayList<>();   // theta_r (C, 1): MoR's routers have no bias
    private final Dense tokenRouter;

    /** As the architecture builds it, but with a choice of computation; the weights depend only on the seed. */
    MorModel(ModelSpec spec, Block.Shape shape, Routing routing, double dropout, Compute compute) {
        this(spec, shape, routing, dropout, compute, new SplittableRandom(spec.seed()));
    }

    private MorModel(ModelSpec spec, Block.Shape shape, Routing routing, double dropout, Compute compute,
                     SplittableRandom init) {
        super(spec, shape, dropout, init);
        this.routing = routing;
        this.compute = compute;
        double projectionStd = Block.Shape.STD / Math.sqrt(2.0 * (2 + routing.baseDepth() * routing.recursions()));
        this.first = Block.create(parameters, "block.first", shape, projectionStd, init);
        for (int b = 0; b < routing.baseDepth(); b++) {
            shared.add(Block.create(parameters, "block.shared." + b, shape, projectionStd, init));
        }
        this.last = Block.create(parameters, "block.last", shape, projectionStd, init);
        if (routing.expertChoice()) {
            for (int r = 0; r < routing.recursions(); r++) {
                expertRouters.add(parameters.add("router." + r + ".weight",
                        Init.linearWeight(init, Block.Shape.STD, shape.width(), 1)));
            }
            this.tokenRouter = null;
        } else {
            this.tokenRouter = Dense.create(parameters, "router", shape.width(), routing.recursions(),
                    Block.Shape.STD, init);
        }
    }

    @Override
    protected Body body(Context context, Var x) {
        return body(context, x, ForwardOptions.DEFAULT);
    }

    /**
     * At depth d below N_r, only the first d recursions run: expert-choice stops routing after the d-th, and a
     * token-choice token that chose a deeper recursion leaves at the d-th. Under every-step supervision, step r is
     * the last block over what the model would output if every token still recursing left after recursion r.
     */
    @Override
    protected Body body(Context context, Var x, ForwardOptions options) {
        int depth = options.depthOr(routing.recursions());
        List<Var> exits = options.supervision() != null ? new ArrayList<>() : null;
        Var h = first.apply(context.at("layer.first"), x);
        Routed routed = routing.expertChoice() ? expertChoice(context, h, depth, exits)
                : tokenChoice(context, h, depth, exits);
        Var hidden = last.apply(context.at("layer.last"), routed.hidden());
        List<Var> steps = new ArrayList<>();
        if (exits != null) {
            for (int r = 0; r < exits.size() - 1; r++) {
                steps.add(last.apply(context, exits.get(r)));
            }
            steps.add(hidden);
        }
        return new Body(hidden, routed.losses(), routed.depth(), routed.stats(), steps, List.of());
    }

    @Override
    protected Recurrence recurrence(ForwardOptions options) {
        return new Stepwise(options.depthOr(routing.recursions()));
    }

    /**
     * The recursions one at a time, the routers deciding: with expert-choice a token continues into recursion r while
     * router r selects it (sigmoid > 0.5) and halts at the first that does not; with token-choice its depth is chosen
     * when it enters, its output {@code h1 + g f^i(h1)}. Only the tokens that recurse are computed, and only they store
     * keys and values at that recursion (recursion-wise caching); with kv=share every token's recursion-1 keys and
     * values serve every depth. Stepping every token to the default depth is the full pass's inference.
     */
    private final class Stepwise implements Recurrence {

        private final int depth;

        Stepwise(int depth) {
            this.depth = depth;
        }

        @Override
        public StepState enter(Context context, Var x) {
            Var h = first.apply(context.at("layer.first"), x);
            if (routing.expertChoice()) {
                return StepState.of(h.value(), Map.of());
            }
            double[][] p = RouterOps.softmax(context.tape(), tokenRouter.apply(context.tape(), h)).value()
                    .toDoubleMatrix();
            int n = p.length;
            double[] choice = new double[n];
            double[] gate = new double[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < p[i].length; j++) {
                    if (p[i][j] > p[i][best]) {
                        best = j;
                    }
                }
                choice[i] = Math.min(best, depth - 1);
                gate[i] = p[i][(int) choice[i]];
            }
            INDArray like = h.value();
            return StepState.of(h.value(), Map.of("out", h.value(),
                    "choice", Nd4j.create(choice, new long[] {n, 1}, 'c').castTo(like.dataType()),
                    "gate", Nd4j.create(gate, new long[] {n, 1}, 'c').castTo(like.dataType())));
        }

        @Override
        public StepState step(Context context, StepState state, int[] depths) {
            return Recurrence.perDepth(context, state, depths, this::recursion);
        }

        /** Recursion r (from 0) for tokens that have all run r recursions. */
        private StepState recursion(Context group, StepState state, int r) {
            Tape tape = group.tape();
            int n = state.size();
            Var h = Var.constant(state.latent());
            boolean[] halted = state.halted().clone();
            boolean[] selected = new boolean[n];
            double[] gate = new double[n];
            if (routing.expertChoice()) {
                Var logit = Linear.apply(tape, h, expertRouters.get(r), null);
                double[] score = logit.value().dup().data().asDouble();
                double[] g = Elementwise.scale(tape, Activations.sigmoid(tape, logit), routing.gateScale()).value()
                        .dup().data().asDouble();
                for (int i = 0; i < n; i++) {
                    selected[i] = !halted[i] && score[i] > 0;
                    gate[i] = g[i];
                    halted[i] = !selected[i];
                }
            } else {
                double[] choice = state.extra("choice").dup().data().asDouble();
                double[] chosenGate = state.extra("gate").dup().data().asDouble();
                for (int i = 0; i < n; i++) {
                    selected[i] = choice[i] >= r;
                    gate[i] = choice[i] == r ? chosenGate[i] : 0;
                    halted[i] = choice[i] <= r;
                }
            }
            // kv=share: recursion 1 computes every token, whose keys and values all later recursions read
            boolean[] computed = routing.shareKv() && r == 0 ? everyLive(state.halted()) : selected;
            INDArray update = recurse(group, h, computed, r);
            INDArray latent = state.latent().dup();
            INDArray out = routing.expertChoice() ? null : state.extra("out").dup();
            for (int i = 0; i < n; i++) {
                if (!selected[i]) {
                    continue;
                }
                if (routing.expertChoice()) {
                    latent.putRow(i, latent.getRow(i).add(update.getRow(i).mul(gate[i])));
                } else {
                    latent.putRow(i, update.getRow(i));
                    if (gate[i] != 0) {
                        out.putRow(i, out.getRow(i).add(update.getRow(i).mul(gate[i])));
                    }
                }
            }
            double[] halting = new double[n];
            java.util.Arrays.fill(halting, Double.NaN);
            Map<String, INDArray> extra = out == null ? state.extra() : Map.of("out", out, "choice",
                    state.extra("choice"), "gate", state.extra("gate"));
            return new StepState(latent, extra, halting, halted);
        }

        /** f(h) for the flagged tokens (rows of the others are meaningless), the shared blocks on them alone. */
        private INDArray recurse(Context group, Var h, boolean[] flagged, int r) {
            int[] rows = java.util.stream.IntStream.range(0, flagged.length).filter(i -> flagged[i]).toArray();
            INDArray result = h.value().dup();
            if (rows.length == 0) {
                return result;
            }
            int[][] single = new int[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                single[i] = new int[] {group.batch().ids()[rows[i]]};
            }
            Context packed = group.gathered(TokenBatch.of(single, 0), rows);
            Var state = Var.constant(h.value().getRows(rows));
            for (int b = 0; b < shared.size(); b++) {
                AttentionScope scope = routing.shareKv() && r > 0 ? AttentionScope.causal().withKeysOf(slotName(0, b))
                        : AttentionScope.causal();
                state = shared.get(b).apply(packed.at(slotName(r, b)), state, scope);
            }
            for (int i = 0; i < rows.length; i++) {
                result.putRow(rows[i], state.value().getRow(i));
            }
            return result;
        }

        private boolean[] everyLive(boolean[] halted) {
            boolean[] live = new boolean[halted.length];
            for (int i = 0; i < live.length; i++) {
                live[i] = !halted[i];
            }
            return live;
        }

        @Override
        public Var exit(Context context, StepState state) {
            Var hidden = Var.constant(routing.expertChoice() ? state.latent() : state.extra("out"));
            return last.apply(context.at("layer.last"), hidden);
        }
    }

    /** A router per token, and with kv=share, recursion 1's keys and values at every depth. */
    @Override
    protected Set<Capability> capabilities() {
        Set<Capability> capabilities = super.capabilities();
        capabilities.add(Capability.ROUTING);
        if (routing.shareKv()) {
            capabilities.add(Capability.KV_SHARING);
        }
        return capabilities;
    }

    @Override
    public int defaultDepth() {
        return routing.recursions();
    }

    @Override
    public int maxDepth() {
        return routing.recursions();
    }

    private record Routed(Var hidden, List<Forward.NamedLoss> losses, double[] depth, Map<String, Double> stats) {
    }

    private Routed expertChoice(Context context, Var h, int recursions, List<Var> exits) {
        Tape tape = context.tape();
        TokenBatch batch = context.batch();
        int n = batch.ids().length;
        boolean training = tape.recording();
        boolean[] candidate = realTokens(batch);
        double[] depth = new double[n];
        Map<Integer, Var> firstKv = new HashMap<>();
        Var aux = null;
        Map<String, Double> stats = new HashMap<>();
        for (int r = 0; r < recursions; r++) {
            Var logit = Linear.apply(tape, h, expertRouters.get(r), null);             // (N, 1)
            double[] score = logit.value().dup().data().asDouble();
            boolean[] selected = training ? topK(batch, candidate, score, r) : threshold(candidate, score);
            INDArray selectedColumn = column(selected, h.value());
            if (training && routing.auxWeight() > 0) {
                // the mean over every real token (B T of them when nothing is padding, as in the paper: a mean that
                // padding does not dilute, so a batch split into groups of rows adds up to the whole), or (the
                // authors' code) over this recursion's candidates only
                boolean[] over = routing.bceOverCandidates() ? candidate : realTokens(batch);
                double count = Math.max(1, count(over));
                Var bce = Elementwise.scale(tape, RouterOps.bceWithLogits(tape, logit, selectedColumn,
                        column(over, h.value())), routing.auxWeight() / count);
                aux = aux == null ? bce : Elementwise.add(tape, aux, bce);
            }
            Var gate = Elementwise.scale(tape, Activations.sigmoid(tape, logit), routing.gateScale());
            Var update = recurse(context, h, selected, r, firstKv);
            h = Elementwise.add(tape, h, Elementwise.mulColumn(tape, update,
                    Elementwise.mul(tape, gate, Var.constant(selectedColumn))));
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (selected[i]) {
                    depth[i]++;
                    count++;
                }
            }
            stats.put("tokens_at_recursion_" + (r + 1), (double) count);
            candidate = selected;
            if (exits != null) {
                exits.add(h);
            }
        }
        stats.put("mean_depth", meanOverReal(batch, depth));
        // A mean over real tokens (the default weighting, exact when data-parallel groups split a batch); over each
        // recursion's candidates it is a sum of means with different counts, weighted the same way.
        List<Forward.NamedLoss> losses = aux == null ? List.of() : List.of(new Forward.NamedLoss("router_bce", aux));
        return new Routed(h, losses, depth, stats);
    }

    private Routed tokenChoice(Context context, Var h1, int recursions, List<Var> exits) {
        Tape tape = context.tape();
        TokenBatch batch = context.batch();
        int n = batch.ids().length;
        int depths = routing.recursions();
        Var probabilities = RouterOps.softmax(tape, tokenRouter.apply(tape, h1));           // (N, N_r)
        double[][] p = probabilities.value().toDoubleMatrix();
        boolean[] real = realTokens(batch);
        int[] choice = new int[n];
        double[] depth = new double[n];
        double[] perDepth = new double[depths];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < depths; j++) {
                if (p[i][j] > p[i][choice[i]]) {
                    choice[i] = j;
                }
            }
            choice[i] = Math.min(choice[i], recursions - 1);    // at depth d < N_r, deeper choices leave at d
            if (real[i]) {
                depth[i] = choice[i] + 1;
                perDepth[choice[i]]++;
            }
        }
        Var out = h1;
        Var state = h1;
        Map<Integer, Var> firstKv = new HashMap<>();
        for (int r = 0; r < recursions; r++) {
            boolean[] active = new boolean[n];
            for (int i = 0; i < n; i++) {
                active[i] = real[i] && choice[i] >= r;
            }
            state = recurse(context, state, active, r, firstKv);
            int recursion = r;
            // g_t = p_t[i_t] for the tokens leaving at this depth, 0 for the others
            Var gate = chosenProbability(tape, probabilities, choice, real, chosen -> chosen == recursion);
            out = Elementwise.add(tape, out, Elementwise.mulColumn(tape, state, gate));
            if (exits != null) {
                // as if the tokens still recursing left now, with their own gates
                exits.add(Elementwise.add(tape, out, Elementwise.mulColumn(tape, state,
                        chosenProbability(tape, probabilities, choice, real, chosen -> chosen > recursion))));
            }
        }
        int realCount = 0;
        for (boolean isReal : real) {
            realCount += isReal ? 1 : 0;
        }
        // L_bal = w * sum_i f_i P_i, f_i = N_r / T * count_i (a constant), P_i = mean over real tokens of p_i
        // In double: rounding these coefficients to float would move double-precision gradients by ~2e-5.
        double[] weights = new double[n * depths];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < depths && real[i]; j++) {
                weights[i * depths + j] = depths * perDepth[j] / Math.max(1, realCount) / Math.max(1, realCount);
            }
        }
        Var balance = Elementwise.scale(tape, Elementwise.sum(tape, Elementwise.mul(tape, probabilities, Var.constant(
                Nd4j.create(weights, new long[] {n, depths}, 'c').castTo(h1.value().dataType())))),
                routing.balanceWeight());
        Map<String, Double> stats = new HashMap<>();
        for (int j = 0; j < depths; j++) {
            stats.put("tokens_at_depth_" + (j + 1), perDepth[j]);
        }
        stats.put("mean_depth", meanOverReal(batch, depth));
        List<Forward.NamedLoss> losses = routing.balanceWeight() > 0 && tape.recording()
                ? List.of(new Forward.NamedLoss("balance", balance, Math.max(1, realCount))) : List.of();
        return new Routed(out, losses, depth, stats);
    }

    /** (N, 1): p_t[i_t] for the real tokens whose chosen depth i_t passes {@code which}, 0 for the others. */
    private static Var chosenProbability(Tape tape, Var probabilities, int[] choice, boolean[] real,
                                         java.util.function.IntPredicate which) {
        int n = choice.length;
        int depths = (int) probabilities.value().columns();
        float[] mask = new float[n * depths];
        for (int i = 0; i < n; i++) {
            if (real[i] && which.test(choice[i])) {
                mask[i * depths + choice[i]] = 1;
            }
        }
        INDArray like = probabilities.value();
        Var picked = Elementwise.mul(tape, probabilities, Var.constant(Nd4j.create(mask, new long[] {n, depths}, 'c')
                .castTo(like.dataType())));
        return Linear.apply(tape, picked, Var.constant(Nd4j.ones(like.dataType(), 1, depths)), null);
    }

    /**
     * The shared blocks once for the tokens in {@code active}, attending as the KV mode says; the rows of other
     * tokens are meaningless (zero when gathered) and every caller multiplies them by zero.
     */
    private Var recurse(Context context, Var h, boolean[] active, int recursion, Map<Integer, Var> firstKv) {
        // an incremental pass gathers: its masks are the cache's (present keys), not a batch's
        return (compute == Compute.GATHERED || context.isCached()) && !routing.shareKv()
                ? recurseGathered(context, h, active, recursion)
                : recurseMasked(context, h, active, recursion, firstKv);
    }

    /** Gathers the active rows per sequence, runs the shared blocks causally on them, scatters the result back. */
    private Var recurseGathered(Context context, Var h, boolean[] active, int recursion) {
        if (!RoutedRows.any(active)) {
            return h;                                                    // nobody to compute; callers gate to zero
        }
        RoutedRows rows = RoutedRows.of(context.batch(), active);
        Tape tape = context.tape();
        Context packed = context.gathered(rows.batch(), rows.pack());
        Var state = RowMap.apply(tape, h, rows.pack());
        for (int b = 0; b < shared.size(); b++) {
            // causal + padding mask = earlier routed tokens only
            state = shared.get(b).apply(step(packed, recursion, b, null), state);
        }
        return RowMap.apply(tape, state, rows.unpack());
    }

    /**
     * The context of shared block b at recursion r for a recorder: {@code recursion.<r+1>}, or
     * {@code recursion.<r+1>.block.<b+1>} with more than one shared block, counting the active tokens only.
     */
    private Context step(Context context, int recursion, int block, boolean[] active) {
        if (!context.tracksSteps()) {
            return context;
        }
        return context.at(slotName(recursion, block), active);
    }

    /** Every token through the shared blocks, with keys restricted by mask (kv=recursion) or shared (kv=share). */
    private Var recurseMasked(Context context, Var h, boolean[] active, int recursion, Map<Integer, Var> firstKv) {
        TokenBatch batch = context.batch();
        // kv=share: causal over every token (the pass's shared causal mask); incrementally, recursion 1's cached keys
        AttentionScope scope = routing.shareKv() ? AttentionScope.causal()
                : AttentionScope.masked(activeKeys(batch, active, h.value()));
        Var state = h;
        for (int b = 0; b < shared.size(); b++) {
            AttentionScope hooked = scope.withQkvHook(kvHook(context, recursion, b, firstKv));
            state = shared.get(b).apply(step(context, recursion, b, active), state,
                    routing.shareKv() && recursion > 0 ? hooked.withKeysOf(slotName(0, b)) : hooked);
        }
        return state;
    }

    /** The name of shared block b's application at recursion r: its recorder step and cache slot. */
    private String slotName(int recursion, int block) {
        return "recursion." + (recursion + 1) + (shared.size() > 1 ? ".block." + (block + 1) : "");
    }

    /** Recursive KV sharing: remember recursion 1's q/k/v per shared block, later keep only fresh queries. */
    private UnaryOperator<Var> kvHook(Context context, int recursion, int block, Map<Integer, Var> firstKv) {
        if (!routing.shareKv()) {
            return UnaryOperator.identity();
        }
        return qkv -> {
            if (recursion == 0) {
                firstKv.put(block, qkv);
                return qkv;
            }
            long width = qkv.value().columns() / 3;
            INDArray queries = Nd4j.zeros(qkv.value().dataType(), 1, 3 * width);
            queries.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, width)).assign(1);
            INDArray qMask = Nd4j.ones(qkv.value().dataType(), qkv.value().rows(), 1).mmul(queries);
            Tape tape = context.tape();
            return Elementwise.add(tape, Elementwise.mul(tape, qkv, Var.constant(qMask)),
                    Elementwise.mul(tape, firstKv.get(block), Var.constant(qMask.rsub(1))));
        };
    }

    /** Causal, and keys only from active tokens; an inactive query keeps its own key (its row is discarded). */
    private static INDArray activeKeys(TokenBatch batch, boolean[] active, INDArray like) {
        int length = batch.length();
        float[] data = new float[batch.batch() * length * length];
        for (int b = 0; b < batch.batch(); b++) {
            for (int i = 0; i < length; i++) {
                for (int j = 0; j < length; j++) {
                    int key = b * length + j;
                    // The diagonal always: a padding query with no active real key would otherwise see no key
                    // at all, and a softmax over nothing is NaN in double precision.
                    boolean visible = j <= i && ((active[key] && j < batch.lengths()[b]) || j == i);
                    data[(b * length + i) * length + j] = visible ? 0f : (float) Attention.MASKED;
                }
            }
        }
        return Nd4j.create(data, new long[] {batch.batch(), length, length}, 'c').castTo(like.dataType());
    }

    /** Per sequence, the k_r highest-scoring candidates (training; not causal, hence the aux loss). */
    private boolean[] topK(TokenBatch batch, boolean[] candidate, double[] score, int r) {
        boolean[] selected = new boolean[candidate.length];
        double capacity = (double) (routing.recursions() - r) / routing.recursions();
        for (int b = 0; b < batch.batch(); b++) {
            int offset = b * batch.length();
            int k = Math.max(1, (int) Math.floor(capacity * batch.lengths()[b]));
            List<Integer> pool = new ArrayList<>();
            for (int t = 0; t < batch.lengths()[b]; t++) {
                if (candidate[offset + t]) {
                    pool.add(offset + t);
                }
            }
            pool.sort((i, j) -> Double.compare(score[j], score[i]));
            for (int i = 0; i < Math.min(k, pool.size()); i++) {
                selected[pool.get(i)] = true;
            }
        }
        return selected;
    }

    private static boolean[] threshold(boolean[] candidate, double[] score) {
        boolean[] selected = new boolean[candidate.length];
        for (int i = 0; i < candidate.length; i++) {
            selected[i] = candidate[i] && score[i] > 0;                    // sigmoid(score) > 0.5
        }
        return selected;
    }

    private static boolean[] realTokens(TokenBatch batch) {
        boolean[] real = new boolean[batch.ids().length];
        for (int b = 0; b < batch.batch(); b++) {
            for (int t = 0; t < batch.lengths()[b]; t++) {
                real[b * batch.length() + t] = true;
            }
        }
        return real;
    }

    private static INDArray column(boolean[] flags, INDArray like) {
        float[] data = new float[flags.length];
        for (int i = 0; i < flags.length; i++) {
            data[i] = flags[i] ? 1f : 0f;
        }
        return Nd4j.create(data, new long[] {flags.length, 1}, 'c').castTo(like.dataType());
    }

    private static double meanOverReal(TokenBatch batch, double[] depth) {
        double sum = 0;
        int count = 0;
        for (int b = 0; b < batch.batch(); b++) {
            for (int t = 0; t < batch.lengths()[b]; t++) {
                sum += depth[b * batch.length() + t];
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    @Override
    protected int[] layers() {
        return new int[] {2 + routing.baseDepth(), 2 + routing.baseDepth() * routing.recursions()};
    }

    /**
     * What the implementation computes per token of a full-length sequence: first and last block; at recursion r
     * the shared blocks for the k_r = max(1, floor((N_r - r + 1) / N_r * T)) routed tokens out of T (expert-choice
     * capacities, and the same under balanced token-choice), each attending to at most k_r keys; the routers.
     * With kv=share every token passes every recursion at full length, since that path masks instead of gathering.
     */
    @Override
    protected long bodyFlopsPerToken(int depth) {
        int length = spec.maxLength();
        int recursions = routing.recursions();
        double middle = 0;
        for (int r = 0; r < depth; r++) {
            int routed = routing.shareKv() ? length
                    : Math.max(1, (int) Math.floor((double) (recursions - r) / recursions * length));
            middle += (double) routed / length * shape.flopsPerToken(routed);
        }
        long routers = 2L * shape.width() * recursions;      // theta_r . h per recursion, or W h over N_r depths
        return 2 * shape.flopsPerToken(length) + Math.round(middle * routing.baseDepth()) + routers;
    }

    /** The first recursion, which routes the most tokens; {@link #bodyFlopsPerToken(int)} sums the real ones. */
    @Override
    protected long stepFlopsPerToken() {
        return bodyFlopsPerToken(1) - bodyFlopsPerToken(0);
    }

    @Override
    protected String architecture() {
        return MorArchitecture.ID;
    }
}
