package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-token state of a recursion run one step at a time: the latent (N, C), further per-token arrays an
 * architecture carries between steps (an input injection, ACT's accumulators; each (N, k)), the model's own
 * cumulative halting probability (NaN without one) and whether the model stopped each token.
 *
 * @param latent  (N, C) the recurrent state
 * @param extra   named (N, k) arrays carried along
 * @param halting per token, the cumulative halting probability, or NaN
 * @param halted  per token, whether the model itself stops it
 * @since 0.9.0
 */
public record StepState(INDArray latent, Map<String, INDArray> extra, double[] halting, boolean[] halted) {

    /** Copies the map, keeping its order. */
    public StepState {
        extra = new LinkedHashMap<>(extra);
    }

    /** A state with only a latent: no halting, nothing stopped. */
    public static StepState of(INDArray latent, Map<String, INDArray> extra) {
        int n = (int) latent.rows();
        double[] halting = new double[n];
        Arrays.fill(halting, Double.NaN);
        return new StepState(latent, extra, halting, new boolean[n]);
    }

    /** The number of tokens. */
    public int size() {
        return halted.length;
    }

    /** An extra array by name. */
    public INDArray extra(String name) {
        INDArray value = extra.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no per-token array " + name + " in the state (has " + extra.keySet()
                    + ")");
        }
        return value;
    }

    /** This state with {@code latent} and the same extras. */
    public StepState withLatent(INDArray latent) {
        return new StepState(latent, extra, halting, halted);
    }

    /** The tokens at {@code rows}, in that order. */
    public StepState rows(int[] rows) {
        Map<String, INDArray> picked = new LinkedHashMap<>();
        extra.forEach((name, value) -> picked.put(name, value.getRows(rows)));
        double[] h = new double[rows.length];
        boolean[] s = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            h[i] = halting[rows[i]];
            s[i] = halted[rows[i]];
        }
        return new StepState(latent.getRows(rows), picked, h, s);
    }

    /** The states' tokens one after another; every state must carry the same extras. */
    public static StepState concat(List<StepState> states) {
        if (states.size() == 1) {
            return states.get(0);
        }
        List<INDArray> latents = new ArrayList<>();
        Map<String, List<INDArray>> extras = new LinkedHashMap<>();
        int n = 0;
        for (StepState state : states) {
            latents.add(state.latent);
            state.extra.forEach((name, value) -> extras.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
            n += state.size();
        }
        double[] halting = new double[n];
        boolean[] halted = new boolean[n];
        int at = 0;
        for (StepState state : states) {
            System.arraycopy(state.halting, 0, halting, at, state.size());
            System.arraycopy(state.halted, 0, halted, at, state.size());
            at += state.size();
        }
        Map<String, INDArray> joined = new LinkedHashMap<>();
        extras.forEach((name, values) -> joined.put(name, Nd4j.vstack(values.toArray(new INDArray[0]))));
        return new StepState(Nd4j.vstack(latents.toArray(new INDArray[0])), joined, halting, halted);
    }
}
