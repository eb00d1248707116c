package org.recursa.plugins.depthsamplers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 * Continuous depth-wise batching ("Relaxed Recursive Transformers", Bae et al. 2024), greedy: up to {@code slots}
 * rows decode at once, each with one token in flight; every tick advances all tokens in flight by one recursion in
 * one batched call, whatever their depths. A token that exits ({@link ExitRule}) is read out and its row's next token
 * enters at once, and a row that finishes frees its slot for the next waiting prompt, so the batch stays full
 * instead of waiting for its deepest token.
 */
public final class DepthwiseBatchingSampler implements Sampler {

    static final ConfigSchema SCHEMA;

    static {
        List<Setting> settings = new ArrayList<>(ExitRule.SETTINGS);
        settings.add(Setting.ofInt("slots", 0, 0, 1 << 16, "rows decoding at once; 0 = every row"));
        SCHEMA = ConfigSchema.of(settings.toArray(new Setting[0]));
    }

    /** Creates the sampler; it holds no state. */
    public DepthwiseBatchingSampler() {
    }

    @Override
    public String id() {
        return "depthwise-batching";
    }

    @Override
    public String description() {
        return "Continuous depth-wise batching: tokens at different depths share each call, exited slots refill at once";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public Optional<String> unsupportedReason(ModelInfo model) {
        return unsupportedReason(model, SCHEMA.defaults());
    }

    @Override
    public Optional<String> unsupportedReason(ModelInfo model, Config settings) {
        Optional<String> rule = ExitRule.unsupported(model, settings, id());
        if (rule.isPresent()) {
            return rule;
        }
        if (!model.has(Capability.STEPWISE)) {
            return Optional.of("depthwise-batching runs one recursion at a time, which " + model.architecture()
                    + " does not offer (its router decides each token's depth); use early-exit with criterion=router");
        }
        return Optional.empty();
    }

    @Override
    public Decoded decode(Model model, DecodeRequest request, Config settings) {
        ModelInfo info = model.info();
        unsupportedReason(info, settings).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        ExitRule rule = ExitRule.of(settings, info);
        long start = System.nanoTime();
        int[][] prompts = request.prompts().toArray(new int[0][]);
        Outputs outputs = new Outputs(prompts.length, request.maxNewTokens());
        try (RecurrentSession session = (RecurrentSession) model.openSession()) {
            float[][] first = session.prefill(prompts);
            int[] firstDepths = session.lastDepths();
            int slots = settings.getInt("slots") > 0 ? settings.getInt("slots") : prompts.length;
            Deque<Integer> waiting = new ArrayDeque<>();
            for (int row = 0; row < prompts.length; row++) {
                waiting.add(row);
            }
            List<Integer> flying = new ArrayList<>();
            double[][] previous = new double[prompts.length][];
            admit(waiting, flying, slots, first, firstDepths, session, outputs, request, info.maxLength());
            int limit = rule.limit(session);
            while (!flying.isEmpty()) {
                RecurrentSession.Probe probe = session.advance(flying.stream().mapToInt(Integer::intValue).toArray());
                int[] moved = probe.rows();
                double[][] before = new double[moved.length][];
                for (int i = 0; i < moved.length; i++) {
                    before[i] = previous[moved[i]];
                }
                boolean[] exits = rule.exits(probe, limit, before);
                boolean[] halted = probe.halted();
                List<Integer> exiting = new ArrayList<>();
                List<Integer> exitDepths = new ArrayList<>();
                for (int i = 0; i < moved.length; i++) {
                    previous[moved[i]] = exits[i] ? null : before[i];
                    if (exits[i]) {
                        exiting.add(moved[i]);
                        exitDepths.add(ExitRule.spent(probe, i, halted, rule.criterion()));
                    }
                }
                if (moved.length == 0) {                       // nothing can go deeper: read everything out
                    exiting.addAll(flying);
                    flying.forEach(row -> exitDepths.add(session.depths(row)[0]));
                }
                refill(exiting, exitDepths, flying, session, outputs, request, info.maxLength());
                admit(waiting, flying, slots, first, firstDepths, session, outputs, request, info.maxLength());
            }
            return outputs.decoded(session, start);
        }
    }

    /** Reads the exiting tokens out, chooses their rows' next tokens, and opens them at once in one call. */
    private static void refill(List<Integer> exiting, List<Integer> depths, List<Integer> flying,
                               RecurrentSession session, Outputs outputs, DecodeRequest request, int maxLength) {
        if (exiting.isEmpty()) {
            return;
        }
        int[] rows = exiting.stream().mapToInt(Integer::intValue).toArray();
        int[] ones = new int[rows.length];
        java.util.Arrays.fill(ones, 1);
        float[][] logits = session.commit(rows, ones);
        int[] next = EarlyExitSampler.choose(rows, logits, depths.stream().mapToInt(Integer::intValue).toArray(),
                outputs, session, request, maxLength);
        open(rows, next, flying, session, outputs);
    }

    /** Brings waiting rows into free slots, each with its first token from the prompt's logits. */
    private static void admit(Deque<Integer> waiting, List<Integer> flying, int slots, float[][] first,
                              int[] firstDepths, RecurrentSession session, Outputs outputs, DecodeRequest request,
                              int maxLength) {
        List<Integer> admitted = new ArrayList<>();
        while (flying.size() + admitted.size() < slots && !waiting.isEmpty()) {
            admitted.add(waiting.poll());
        }
        if (admitted.isEmpty()) {
            return;
        }
        int[] rows = admitted.stream().mapToInt(Integer::intValue).toArray();
        float[][] logits = new float[rows.length][];
        int[] depths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            logits[i] = first[rows[i]];
            depths[i] = firstDepths.length > 0 ? firstDepths[rows[i]] : session.defaultDepth();
        }
        int[] next = EarlyExitSampler.choose(rows, logits, depths, outputs, session, request, maxLength);
        open(rows, next, flying, session, outputs);
        if (flying.size() < slots && !waiting.isEmpty()) {
            admit(waiting, flying, slots, first, firstDepths, session, outputs, request, maxLength);
        }
    }

    /** Opens the next token of every listed row that is not done; the others leave the flight. */
    private static void open(int[] rows, int[] next, List<Integer> flying, RecurrentSession session, Outputs outputs) {
        List<Integer> going = new ArrayList<>();
        for (int row : rows) {
            flying.remove(Integer.valueOf(row));
            if (!outputs.done(row)) {
                going.add(row);
            }
        }
        int[][] tokens = new int[going.size()][];
        int[] open = new int[going.size()];
        for (int i = 0; i < going.size(); i++) {
            open[i] = going.get(i);
            tokens[i] = new int[] {next[going.get(i)]};
        }
        session.open(open, tokens);
        flying.addAll(going);
    }
}
