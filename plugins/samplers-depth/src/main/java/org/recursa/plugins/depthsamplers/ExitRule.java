package org.recursa.plugins.depthsamplers;

import java.util.List;
import java.util.Optional;
import org.recursa.api.Config;
import org.recursa.api.Setting;
import org.recursa.api.model.Capability;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.RecurrentSession;

/**
 * When a position stops recursing: on the model's own halting (ACT) or router (MoR), or when its prediction or its
 * latent state no longer changes between consecutive recursions; never before {@code min_depth}, always at
 * {@code max_depth}.
 *
 * <ul>
 *   <li>{@code halting}: the model's cumulative halting probability reached 1 (its output is final);</li>
 *   <li>{@code router}: the router sent the token no deeper (Mixture-of-Recursions; the model's own decision);</li>
 *   <li>{@code prediction}: {@code KL(p_d || p_{d-1}) < threshold}, p_d the next-token distribution read out at
 *       depth d (the criterion of the recurrent-depth paper's zero-shot adaptive compute);</li>
 *   <li>{@code latent}: {@code |h_d - h_{d-1}| / |h_d| < threshold};</li>
 *   <li>{@code auto}: halting, router or prediction, as the model offers.</li>
 * </ul>
 */
record ExitRule(String criterion, double threshold, int minDepth, int maxDepth) {

    static final List<Setting> SETTINGS = List.of(
            Setting.ofChoice("criterion", "auto", List.of("auto", "halting", "router", "prediction", "latent"),
                    "when a position stops recursing: the model's halting or router, a stable prediction or latent"),
            Setting.ofDouble("threshold", 1e-3, 0, 1e9,
                    "prediction: the largest KL between consecutive depths; latent: the largest relative change"),
            Setting.ofInt("min_depth", 1, 1, 1 << 16, "no position stops before this depth"),
            Setting.ofInt("max_depth", 0, 0, 1 << 16, "every position stops here; 0 = the model's default depth"));

    static ExitRule of(Config settings, ModelInfo model) {
        String criterion = settings.getString("criterion");
        if (criterion.equals("auto")) {
            criterion = model.has(Capability.HALTING) ? "halting" : model.has(Capability.ROUTING) ? "router"
                    : "prediction";
        }
        return new ExitRule(criterion, settings.getDouble("threshold"), settings.getInt("min_depth"),
                settings.getInt("max_depth"));
    }

    /** Why the rule cannot drive the model, if it cannot. */
    static Optional<String> unsupported(ModelInfo model, Config settings, String sampler) {
        if (!model.has(Capability.RECURRENT_DEPTH)) {
            return Optional.of(sampler + " decides per token how many recursions to run, but " + model.architecture()
                    + " has a fixed depth; use a recursive architecture (universal, relaxed, mor, recurrent-depth,"
                    + " loopformer) or the greedy sampler");
        }
        ExitRule rule = of(settings, model);
        if (rule.criterion.equals("halting") && !model.has(Capability.HALTING)) {
            return Optional.of("criterion=halting needs a model that halts by itself (universal with act=true); "
                    + model.architecture() + " does not; use criterion=prediction or latent");
        }
        if (rule.criterion.equals("router") && !model.has(Capability.ROUTING)) {
            return Optional.of("criterion=router needs a routed model (mor); " + model.architecture()
                    + " is not; use criterion=prediction or latent");
        }
        if (!rule.criterion.equals("router") && !model.has(Capability.STEPWISE)) {
            return Optional.of(model.architecture() + " routes its tokens itself and cannot be stepped one recursion"
                    + " at a time; use criterion=router");
        }
        if (rule.maxDepth > 0 && rule.minDepth > rule.maxDepth) {
            return Optional.of("min_depth " + rule.minDepth + " exceeds max_depth " + rule.maxDepth
                    + "; choose min_depth <= max_depth");
        }
        return Optional.empty();
    }

    /** The depth every position stops at in {@code session}. */
    int limit(RecurrentSession session) {
        return Math.min(session.maxDepth(), maxDepth > 0 ? maxDepth : session.defaultDepth());
    }

    /**
     * The recursions position i of the probe ran: its depth, less the last one when the router declined it (a
     * declined recursion computes nothing).
     */
    static int spent(RecurrentSession.Probe probe, int i, boolean[] halted, String criterion) {
        int depth = probe.depths()[i];
        return criterion.equals("router") && halted[i] ? depth - 1 : depth;
    }

    /**
     * Which advanced positions stop now.
     *
     * @param previous per advanced position, its distribution at the previous depth (null entries where unknown);
     *                 updated with the current ones when the criterion needs them
     */
    boolean[] exits(RecurrentSession.Probe probe, int limit, double[][] previous) {
        int[] depths = probe.depths();
        boolean[] exit = new boolean[depths.length];
        boolean[] halted = criterion.equals("halting") || criterion.equals("router") ? probe.halted() : null;
        double[] change = criterion.equals("latent") ? probe.latentChange() : null;
        float[][] logits = criterion.equals("prediction") ? probe.logits() : null;
        for (int i = 0; i < exit.length; i++) {
            boolean stable = switch (criterion) {
                case "halting", "router" -> halted[i];
                case "latent" -> change[i] < threshold;
                case "prediction" -> {
                    double[] p = Scores.probabilities(logits[i]);
                    boolean same = previous[i] != null && Scores.divergence(p, previous[i]) < threshold;
                    previous[i] = p;
                    yield same;
                }
                default -> false;
            };
            exit[i] = depths[i] >= limit || (depths[i] >= minDepth && stable);
        }
        return exit;
    }
}
