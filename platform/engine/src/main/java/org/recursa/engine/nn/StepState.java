package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
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

    /**
     * One token's part of a state in plain Java arrays: how a session keeps each open position between calls, so
     * that gathering positions into a batch and splitting it again cost one array each, not one per position.
     *
     * @param latent  C values
     * @param extra   each extra array's values for this token
     * @param halting the cumulative halting probability, or NaN
     * @param halted  whether the model stops the token
     */
    public record Row(double[] latent, Map<String, double[]> extra, double halting, boolean halted) {
    }

    /** The tokens' rows, copied out of the arrays (which may then be released). */
    public List<Row> split() {
        double[][] latents = latent.toDoubleMatrix();
        Map<String, double[][]> extras = new LinkedHashMap<>();
        extra.forEach((name, value) -> extras.put(name, value.toDoubleMatrix()));
        List<Row> rows = new ArrayList<>(latents.length);
        for (int i = 0; i < latents.length; i++) {
            Map<String, double[]> own = new LinkedHashMap<>();
            int row = i;
            extras.forEach((name, value) -> own.put(name, value[row]));
            rows.add(new Row(latents[i], own, halting[i], halted[i]));
        }
        return rows;
    }

    /** A state of {@code rows}, one after another, in arrays of {@code type}; every row carries the same extras. */
    public static StepState join(List<Row> rows, DataType type) {
        double[][] latents = new double[rows.size()][];
        double[] halting = new double[rows.size()];
        boolean[] halted = new boolean[rows.size()];
        Map<String, double[][]> extras = new LinkedHashMap<>();
        for (int i = 0; i < latents.length; i++) {
            Row row = rows.get(i);
            latents[i] = row.latent();
            halting[i] = row.halting();
            halted[i] = row.halted();
            int at = i;
            row.extra().forEach((name, value) -> extras.computeIfAbsent(name, k -> new double[latents.length][])[at]
                    = value);
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        extras.forEach((name, value) -> arrays.put(name, matrix(value, type)));
        return new StepState(matrix(latents, type), arrays, halting, halted);
    }

    private static INDArray matrix(double[][] values, DataType type) {
        if (type != DataType.FLOAT) {
            return Nd4j.create(values).castTo(type);
        }
        float[][] floats = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            floats[i] = new float[values[i].length];
            for (int c = 0; c < floats[i].length; c++) {
                floats[i][c] = (float) values[i][c];
            }
        }
        return Nd4j.create(floats);
    }
}
