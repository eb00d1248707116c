package org.recursa.plugins.beam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Hypothesis;
import org.recursa.api.decode.Sampler;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;

/**
 * Beam search. Each row keeps a beam of at most {@code width} hypotheses, finished ones included. At every step
 * each unfinished hypothesis is extended by every token but padding; the extensions and the finished hypotheses
 * are ranked together by their score, and the best {@code width} form the new beam. A hypothesis finishes with the
 * stop token, after {@code maxNewTokens} tokens, or when it fills the model's maximum length; a row's search ends
 * when its whole beam has finished, and its output is the best hypothesis.
 *
 * <p>The score is the length-penalised log-probability (the form Hugging Face's {@code length_penalty} uses):
 * {@code score = log P(y) / |y|^alpha}, where {@code log P(y)} is the sum of the model's log-probabilities
 * (log-softmax of the logits) of the generated tokens and {@code |y|} their number, both counting the stop token
 * when the hypothesis ended with it. {@code alpha = 0} ranks by log-probability alone; a larger alpha favours longer
 * outputs. Ties go to the hypothesis extended from the better-ranked one, then to the lower token id, so that a beam
 * of width 1 decodes exactly as greedy does.
 *
 * <p>The hypotheses of every row share the model's decode session: {@link DecodeSession#select} forks a row whose
 * hypothesis has several extensions in the new beam and drops the rows of the hypotheses that left it, and one
 * {@link DecodeSession#step} extends every unfinished hypothesis of every row.
 */
public final class BeamSampler implements Sampler {

    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("width", 4, 1, 1024, "hypotheses kept per row at every step"),
            Setting.ofDouble("length_penalty", 1.0, 0.0, 10.0,
                    "alpha in score = log P / length^alpha (0: rank by log-probability alone)"),
            Setting.ofInt("n_best", 1, 1, 1024, "hypotheses reported per row, best first; at most width"));

    /** Best first, then the hypothesis extended from the better-ranked parent, then the lower token. */
    private static final Comparator<Candidate> RANKING = Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparingInt(Candidate::parent).thenComparingInt(Candidate::token);

    /** Creates the sampler; it holds no state. */
    public BeamSampler() {
    }

    @Override
    public String id() {
        return "beam";
    }

    @Override
    public String description() {
        return "Beam search with a length penalty and n-best lists";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    /** n_best is at most width: asked by the host before a run trains, so the mistake costs no training. */
    @Override
    public java.util.Optional<String> unsupportedReason(org.recursa.api.model.ModelInfo model, Config settings) {
        int width = settings.getInt("width");
        int nBest = settings.getInt("n_best");
        return nBest > width ? java.util.Optional.of("setting 'n_best' must be an integer in [1, " + width
                + "] (at most width), got '" + nBest + "'") : java.util.Optional.empty();
    }

    @Override
    public Decoded decode(Model model, DecodeRequest request, Config settings) {
        long start = System.nanoTime();
        int width = settings.getInt("width");
        int nBest = settings.getInt("n_best");
        if (nBest > width) {
            throw new ConfigException("setting 'n_best' must be an integer in [1, " + width + "] (at most width), got '"
                    + nBest + "'");
        }
        Search search = new Search(model, request, width, settings.getDouble("length_penalty"));
        List<List<Entry>> beams = search.run();
        List<int[]> outputs = new ArrayList<>(beams.size());
        double[] logProbabilities = new double[beams.size()];
        List<List<Hypothesis>> lists = new ArrayList<>(beams.size());
        List<int[]> depths = new ArrayList<>(beams.size());
        long tokens = 0;
        for (int r = 0; r < beams.size(); r++) {
            List<Entry> beam = beams.get(r);
            outputs.add(beam.get(0).tokens());
            logProbabilities[r] = beam.get(0).logProbability();
            tokens += beam.get(0).length();
            lists.add(beam.stream().limit(nBest)
                    .map(e -> new Hypothesis(e.tokens(), e.logProbability(), e.score())).toList());
            depths.add(new int[0]);
        }
        return new Decoded(outputs, search.calls, tokens, (System.nanoTime() - start) / 1e9, logProbabilities, lists,
                depths, search.flops);
    }

    /**
     * One hypothesis of a beam.
     *
     * @param tokens         generated tokens, without the stop token
     * @param length         generated tokens, the stop token included when the hypothesis ended with it
     * @param logProbability the model's log-probability of those tokens
     * @param score          {@code logProbability / length^alpha}
     * @param sessionRow     the session row holding the hypothesis, or -1 once it has finished
     */
    record Entry(int[] tokens, int length, double logProbability, double score, int sessionRow) {

        boolean live() {
            return sessionRow >= 0;
        }
    }

    /** A candidate for a beam: the finished parent itself (token -1) or the parent extended by a token. */
    private record Candidate(int parent, int token, double logProbability, double score) {
    }

    /** The state of one decode: every row's beam and the session they share. */
    private static final class Search {

        private final Model model;
        private final DecodeRequest request;
        private final int width;
        private final double alpha;
        private final int maxLength;
        private long calls;
        private long flops;

        Search(Model model, DecodeRequest request, int width, double alpha) {
            this.model = model;
            this.request = request;
            this.width = width;
            this.alpha = alpha;
            this.maxLength = model.info().maxLength();
        }

        List<List<Entry>> run() {
            List<int[]> prompts = request.prompts();
            List<List<Entry>> beams = new ArrayList<>(prompts.size());
            List<int[]> active = new ArrayList<>();
            for (int[] prompt : prompts) {
                // A row whose prompt already fills the model has no room for a token: it is not sent at all.
                boolean room = request.maxNewTokens() > 0 && prompt.length < maxLength;
                beams.add(List.of(new Entry(new int[0], 0, 0, 0, room ? active.size() : -1)));
                if (room) {
                    active.add(prompt);
                }
            }
            if (active.isEmpty()) {
                return beams;
            }
            try (DecodeSession session = model.openSession()) {
                float[][] logits = session.prefill(active.toArray(new int[0][]));
                while (true) {
                    List<Integer> sources = new ArrayList<>();
                    List<Integer> next = new ArrayList<>();
                    for (int r = 0; r < beams.size(); r++) {
                        if (beams.get(r).stream().anyMatch(Entry::live)) {
                            beams.set(r, advance(r, beams.get(r), logits, sources, next));
                        }
                    }
                    if (sources.isEmpty()) {
                        break;
                    }
                    session.select(sources.stream().mapToInt(Integer::intValue).toArray());
                    int[] rows = new int[sources.size()];
                    Arrays.setAll(rows, i -> i);
                    logits = session.step(rows, next.stream().mapToInt(Integer::intValue).toArray());
                }
                calls = session.forwardPasses();
                flops = session.flops();
            }
            return beams;
        }

        /**
         * Row {@code r}'s next beam. Each of its hypotheses that goes on to be extended is appended to
         * {@code sources} (the session row it continues) and {@code next} (its newest token), and holds the session
         * row it will have after the select.
         */
        private List<Entry> advance(int r, List<Entry> beam, float[][] logits, List<Integer> sources,
                                    List<Integer> next) {
            int pad = request.special().pad();
            List<Candidate> candidates = new ArrayList<>();
            for (int rank = 0; rank < beam.size(); rank++) {
                Entry entry = beam.get(rank);
                if (!entry.live()) {
                    candidates.add(new Candidate(rank, -1, entry.logProbability(), entry.score()));
                    continue;
                }
                float[] row = logits[entry.sessionRow()];
                double max = max(row, r);
                double logSum = logSumExp(row, max);
                double penalty = Math.pow(entry.length() + 1, alpha);
                for (int token = 0; token < row.length; token++) {
                    if (token != pad) {
                        double logProbability = entry.logProbability() + (row[token] - max - logSum);
                        candidates.add(new Candidate(rank, token, logProbability, logProbability / penalty));
                    }
                }
            }
            if (candidates.isEmpty()) {
                throw new IllegalStateException("the model's vocabulary holds no token but padding");
            }
            candidates.sort(RANKING);
            List<Entry> chosen = new ArrayList<>(width);
            for (Candidate candidate : candidates.subList(0, Math.min(width, candidates.size()))) {
                Entry parent = beam.get(candidate.parent());
                if (candidate.token() < 0) {
                    chosen.add(parent);
                } else if (candidate.token() == request.stopToken()) {
                    chosen.add(new Entry(parent.tokens(), parent.length() + 1, candidate.logProbability(),
                            candidate.score(), -1));
                } else {
                    int[] tokens = Arrays.copyOf(parent.tokens(), parent.tokens().length + 1);
                    tokens[tokens.length - 1] = candidate.token();
                    int prompt = request.prompts().get(r).length;
                    // Extended further only while a next token fits the limit and the model.
                    boolean room = tokens.length < request.maxNewTokens() && prompt + tokens.length < maxLength;
                    chosen.add(new Entry(tokens, tokens.length, candidate.logProbability(), candidate.score(),
                            room ? sources.size() : -1));
                    if (room) {
                        sources.add(parent.sessionRow());
                        next.add(candidate.token());
                    }
                }
            }
            return chosen;
        }
    }

    /** The largest logit; a NaN is an error naming the row. */
    static double max(float[] logits, int row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) {
                throw new IllegalStateException("the model returned NaN logits for row " + row + " (token " + v
                        + "); the model has diverged");
            }
            max = Math.max(max, logits[v]);
        }
        return max;
    }

    /**
     * log sum exp(logits - max), in double: a token's log-probability is {@code logit - max - logSumExp}, computed
     * as greedy computes it.
     */
    static double logSumExp(float[] logits, double max) {
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return Math.log(sum);
    }
}
