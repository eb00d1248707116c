package org.recursa.plugins.depthsamplers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.RecurrentSession;

/**
 * Greedy decoding whose every token decides its own depth ({@link ExitRule}): all unfinished rows open their next
 * token together, each recursion advances the tokens still recursing in one batched call, and a token that stops is
 * read out at once. Later tokens see a stopped token's latest keys and values at deeper recursions (except in a routed
 * model, whose tokens not routed into a recursion stay unseen there). A model that cannot be stepped decodes with its
 * ordinary step, its own depth reported.
 */
public final class EarlyExitSampler implements Sampler {

    static final ConfigSchema SCHEMA = ConfigSchema.of(ExitRule.SETTINGS.toArray(new org.recursa.api.Setting[0]));

    /** Creates the sampler; it holds no state. */
    public EarlyExitSampler() {
    }

    @Override
    public String id() {
        return "early-exit";
    }

    @Override
    public String description() {
        return "Greedy decoding with per-token adaptive depth: exit on halting, router, or a stable prediction or latent";
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
        return ExitRule.unsupported(model, settings, id());
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
        try (DecodeSession session = model.openSession()) {
            float[][] logits = session.prefill(prompts);
            int[] depths = session.lastDepths();
            int[] rows = java.util.stream.IntStream.range(0, prompts.length).toArray();
            while (rows.length > 0) {
                int[] next = choose(rows, logits, depths, outputs, session, request, info.maxLength());
                rows = outputs.active();
                int[] tokens = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    tokens[i] = next[rows[i]];
                }
                if (rows.length == 0) {
                    break;
                }
                if (session instanceof RecurrentSession recurrent) {
                    Stepped stepped = stepAdaptively(recurrent, rows, tokens, rule);
                    logits = stepped.logits;
                    depths = stepped.depths;
                } else {
                    logits = session.step(rows, tokens);
                    depths = session.lastDepths();
                }
            }
            return outputs.decoded(session, start);
        }
    }

    /**
     * Picks each listed row's argmax token, records it and its depth, and finishes rows that stopped or can grow no
     * further.
     *
     * @return the chosen token per session row (entries of other rows are 0)
     */
    static int[] choose(int[] rows, float[][] logits, int[] depths, Outputs outputs, DecodeSession session,
                        DecodeRequest request, int maxLength) {
        int[] next = new int[session.rows()];
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            int token = Scores.argmax(logits[i]);
            boolean stop = token == request.stopToken();
            outputs.add(row, token, Scores.logProbability(logits[i], token), stop);
            if (depths.length > 0) {
                outputs.depth(row, depths[i]);
            }
            next[row] = token;
            if (!stop && (outputs.count(row) >= request.maxNewTokens() || session.length(row) + 1 > maxLength)) {
                outputs.finish(row);
            }
        }
        return next;
    }

    private record Stepped(float[][] logits, int[] depths) {
    }

    /** Opens one token per row and advances the ones still recursing until each has stopped. */
    private static Stepped stepAdaptively(RecurrentSession session, int[] rows, int[] tokens, ExitRule rule) {
        int[][] single = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            single[i] = new int[] {tokens[i]};
        }
        session.open(rows, single);
        int limit = rule.limit(session);
        float[][] logits = new float[rows.length][];
        int[] depths = new int[rows.length];
        int[] indexOfRow = new int[session.rows()];
        for (int i = 0; i < rows.length; i++) {
            indexOfRow[rows[i]] = i;
        }
        double[][] previous = new double[session.rows()][];
        List<Integer> recursing = new ArrayList<>();
        for (int row : rows) {
            recursing.add(row);
        }
        while (!recursing.isEmpty()) {
            RecurrentSession.Probe probe = session.advance(recursing.stream().mapToInt(Integer::intValue).toArray());
            int[] moved = probe.rows();
            double[][] before = new double[moved.length][];
            for (int i = 0; i < moved.length; i++) {
                before[i] = previous[moved[i]];
            }
            boolean[] exits = rule.exits(probe, limit, before);
            boolean[] halted = probe.halted();
            List<Integer> stopping = new ArrayList<>();
            for (int i = 0; i < moved.length; i++) {
                previous[moved[i]] = before[i];
                if (exits[i]) {
                    stopping.add(moved[i]);
                    depths[indexOfRow[moved[i]]] = ExitRule.spent(probe, i, halted, rule.criterion());
                }
            }
            int[] stopped = stopping.stream().mapToInt(Integer::intValue).toArray();
            int[] ones = new int[stopped.length];
            java.util.Arrays.fill(ones, 1);
            float[][] read = session.commit(stopped, ones);
            for (int i = 0; i < stopped.length; i++) {
                logits[indexOfRow[stopped[i]]] = read[i];
            }
            recursing.removeAll(stopping);
        }
        return new Stepped(logits, depths);
    }
}
