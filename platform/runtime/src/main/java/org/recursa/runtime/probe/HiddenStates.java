package org.recursa.runtime.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recursa.engine.train.Recorder;

/**
 * The host's {@link Recorder} for probes: keeps, for every recorded step, the hidden state of every active input
 * token of every example, and the attention maps of one example. Batches are announced with {@link #batch}, so that
 * a row of the batch can be traced to its example.
 */
final class HiddenStates implements Recorder {

    /**
     * One token's state at one step.
     *
     * @param example the example's index in the probed list
     * @param token   the token's index in the example's input
     * @param state   the residual stream, C values
     */
    record TokenState(int example, int token, float[] state) {
    }

    private final int attentionExample;
    private final List<String> order = new ArrayList<>();
    private final Map<String, List<TokenState>> states = new HashMap<>();
    private final Map<String, float[][][]> attention = new LinkedHashMap<>();
    private final List<String> batchOrder = new ArrayList<>();
    private int first;
    private int[] inputLengths;
    private int[] lengths;
    private int length;

    /**
     * @param attentionExample the index of the example whose attention maps are kept
     */
    HiddenStates(int attentionExample) {
        this.attentionExample = attentionExample;
    }

    /**
     * Announces the next forward pass.
     *
     * @param firstExample the index of the batch's first example
     * @param inputLengths per row, how many input tokens it has (the tokens probed)
     * @param lengths      per row, its real length
     * @param length       T, the batch's padded length
     */
    void batch(int firstExample, int[] inputLengths, int[] lengths, int length) {
        mergeOrder();
        this.first = firstExample;
        this.inputLengths = inputLengths.clone();
        this.lengths = lengths.clone();
        this.length = length;
    }

    @Override
    public void step(Step step) {
        batchOrder.add(step.name());
        List<TokenState> kept = states.computeIfAbsent(step.name(), name -> new ArrayList<>());
        for (int b = 0; b < inputLengths.length; b++) {
            for (int t = 0; t < inputLengths[b]; t++) {
                int row = b * length + t;
                if (step.active()[row]) {
                    kept.add(new TokenState(first + b, t, step.hidden()[row]));
                }
            }
        }
        int b = attentionExample - first;
        if (step.attention() != null && b >= 0 && b < inputLengths.length) {
            int real = lengths[b];
            float[][][] maps = new float[step.attention()[b].length][real][real];
            for (int h = 0; h < maps.length; h++) {
                for (int i = 0; i < real; i++) {
                    System.arraycopy(step.attention()[b][h][i], 0, maps[h][i], 0, real);
                }
            }
            attention.put(step.name(), maps);
        }
    }

    /**
     * The step names in the order of the computation. Passes may record different steps (a recursion no token
     * entered, an ACT loop that stopped early); each new name is placed right after the step before it in the pass
     * that recorded it.
     */
    List<String> steps() {
        mergeOrder();
        return List.copyOf(order);
    }

    /** The states recorded at a step. */
    List<TokenState> at(String step) {
        return states.getOrDefault(step, List.of());
    }

    /** Step name to the attention example's maps [head][query][key], in step order. */
    Map<String, float[][][]> attention() {
        Map<String, float[][][]> ordered = new LinkedHashMap<>();
        for (String step : steps()) {
            if (attention.containsKey(step)) {
                ordered.put(step, attention.get(step));
            }
        }
        return ordered;
    }

    private void mergeOrder() {
        String previous = null;
        for (String name : batchOrder) {
            if (!order.contains(name)) {
                order.add(previous == null ? 0 : order.indexOf(previous) + 1, name);
            }
            previous = name;
        }
        batchOrder.clear();
    }
}
