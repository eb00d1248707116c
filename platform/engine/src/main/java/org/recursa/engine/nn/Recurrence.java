package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.annotation.versioning.ConsumerType;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;

/**
 * A recurrent body split into the layers before the recursion, one recursion step, and the layers after it, so that
 * decoding runs one recursion at a time ({@link org.recursa.api.model.RecurrentSession}). Running {@link #enter},
 * then {@link #step} up to the default depth (or until every token halts), then {@link #exit} must compute what the
 * architecture's {@code body} computes in inference, token for token.
 *
 * <p>Passes are incremental ({@link Context#isCached()}): a step names each token's block applications by the
 * token's own depth with {@link Context#atEach} ({@code recursion.<d>...}), the names a full pass gives them, so
 * that tokens at different depths share one batched call and their keys and values land in their depth's slot.
 *
 * @since 0.9.0
 */
@ConsumerType
public interface Recurrence {

    /**
     * The layers before the recursion on embedded tokens.
     *
     * @param x (N, C) embedded tokens, positions added
     * @return the state at depth 0
     */
    StepState enter(Context context, Var x);

    /**
     * One recursion for every token of the context.
     *
     * @param depth recursions each token has run before this one
     * @return the state after it; {@link StepState#halted()} marks tokens the model itself stops
     */
    StepState step(Context context, StepState state, int[] depth);

    /** The layers after the recursion: (N, C) to read out. */
    Var exit(Context context, StepState state);

    /**
     * Whether every step reads the tokens' embeddings again (input injection): then new tokens at a position keep
     * its latent state and depth ({@link #revise}); otherwise the tokens enter only through the initial state, and
     * new tokens restart the recursion.
     */
    default boolean injectsInput() {
        return false;
    }

    /**
     * The state after new tokens replace a position's ones: by default the fresh state of {@link #enter} (the
     * recursion restarts); a recurrence that injects its input keeps the latent and takes the new injection.
     */
    default StepState revise(Context context, StepState old, Var x) {
        return enter(context, x);
    }

    /** One step of the tokens of one depth, for {@link #perDepth}. */
    @FunctionalInterface
    @ConsumerType
    interface DepthStep {

        /**
         * @param context a context of only these tokens (each its own single-token row)
         * @param depth   the recursions they have all run before this step
         */
        StepState apply(Context context, StepState state, int depth);
    }

    /**
     * A step for architectures whose recursions differ in weights (per-depth LoRA, a conditioning per loop): the
     * tokens are grouped by depth, each group stepped in its own call, and the results put back in order.
     */
    static StepState perDepth(Context context, StepState state, int[] depth, DepthStep step) {
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < depth.length; i++) {
            groups.computeIfAbsent(depth[i], d -> new ArrayList<>()).add(i);
        }
        List<StepState> results = new ArrayList<>();
        int[] order = new int[depth.length];
        int at = 0;
        int[] ids = context.batch().ids();
        for (var group : groups.entrySet()) {
            int[] rows = group.getValue().stream().mapToInt(Integer::intValue).toArray();
            int[][] single = new int[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                single[i] = new int[] {ids[rows[i]]};
                order[rows[i]] = at++;
            }
            Context packed = context.gathered(TokenBatch.of(single,
                    Vocabulary.PAD_ID), rows);
            results.add(step.apply(packed, state.rows(rows), group.getKey()));
        }
        return StepState.concat(results).rows(order);
    }
}
