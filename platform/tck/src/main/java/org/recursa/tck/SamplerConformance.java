package org.recursa.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.recursa.api.Config;
import org.recursa.api.decode.DecodeRequest;
import org.recursa.api.decode.Decoded;
import org.recursa.api.decode.Hypothesis;
import org.recursa.api.decode.Sampler;
import org.recursa.api.decode.SpecialTokens;
import org.recursa.api.model.DecodeSession;
import org.recursa.api.model.Model;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;

/**
 * What every sampler must do, checked on {@link TableModel}s whose next token is all but certain, and, where the
 * caller gives a model, on that model. Call {@link #verify} from a test, plus {@link #agreesWithGreedy} for settings
 * under which the sampler must decode as greedy does; each failure is an {@link AssertionError} that names the
 * property that broke.
 *
 * <p>Greedy here is the reference {@link #greedy}: at every step each unfinished row takes the most likely token
 * other than padding, ties going to the lowest id. A row ends at the stop token (which is not returned), after
 * {@code maxNewTokens} tokens, or when it fills the model's maximum length.
 */
public final class SamplerConformance {

    /** The stop token of the checks here (the standard end token). */
    public static final int STOP = Vocabulary.EOS_ID;
    /** Vocabulary of the table models used here. */
    public static final int VOCABULARY = 12;
    private static final double SAME_LOG_PROBABILITY = 1e-4;

    private SamplerConformance() {
    }

    /**
     * Runs every check that needs no model of the caller's: the stop token, the length limit, the model's maximum
     * length, determinism for a seed, well-formed outputs and {@code unsupportedReason}.
     *
     * @param settings resolved settings, as a run would use them; settings that flatten the model's distribution
     *                 (a temperature far above 1) make a sampler leave the all-but-certain chains checked here
     */
    public static void verify(Sampler sampler, Config settings) {
        stopTokenEndsARow(sampler, settings);
        respectsTheLengthLimit(sampler, settings);
        staysWithinTheModelsMaximumLength(sampler, settings);
        TableModel flat = TableModel.chain(VOCABULARY, 16, last -> -1);
        isDeterministicForASeed(sampler, settings, flat, request(List.of(new int[] {1, 3}, new int[] {5}), 6, 11));
        honoursUnsupportedReason(sampler, settings, TableModel.chain(VOCABULARY, 16, last -> 4));
    }

    /**
     * {@link #verify} for a sampler that drives the fixed-depth {@link TableModel}s it runs on; a sampler that
     * refuses them (one that needs a recursive model, through {@code unsupportedReason}) is checked for a one-line
     * reason only. The cheap check {@code recursa plugin install} runs, with the sampler's default settings.
     */
    public static void verifyWhereSupported(Sampler sampler, Config settings) {
        TableModel table = TableModel.chain(VOCABULARY, 16, last -> 4);
        if (sampler.unsupportedReason(table.info(), settings).isPresent()) {
            honoursUnsupportedReason(sampler, settings, table);
            return;
        }
        verify(sampler, settings);
    }

    /**
     * On a model that walks 3, 4, 5, 6 and then the stop token (and 7, 8, stop), every row ends with the stop
     * token, which is not returned; a prompt whose first continuation is the stop token gives an empty output.
     */
    public static void stopTokenEndsARow(Sampler sampler, Config settings) {
        TableModel model = TableModel.chain(VOCABULARY, 32, last -> switch (last) {
            case 3 -> 4;
            case 4 -> 5;
            case 5 -> 6;
            case 7 -> 8;
            case 6, 8 -> STOP;
            default -> 9;
        });
        DecodeRequest request = request(List.of(new int[] {1, 3}, new int[] {1, 7}, new int[] {5, 6}), 10, 0);
        Decoded decoded = decode(sampler, settings, model, request);
        expectOutputs(sampler.id() + ": the stop token ends a row and is not returned", decoded,
                new int[] {4, 5, 6}, new int[] {8}, new int[0]);
    }

    /**
     * On a model that cycles 3, 4, ..., 10 and never gives the stop token, every row gets exactly
     * {@code maxNewTokens} tokens, for 0, 1 and 5.
     */
    public static void respectsTheLengthLimit(Sampler sampler, Config settings) {
        TableModel model = TableModel.chain(VOCABULARY, 64, last -> last >= 3 && last < 10 ? last + 1 : 3);
        for (int limit : new int[] {0, 1, 5}) {
            DecodeRequest request = request(List.of(new int[] {1, 9}, new int[] {4}), limit, 0);
            Decoded decoded = decode(sampler, settings, model, request);
            expectOutputs(sampler.id() + ": maxNewTokens=" + limit + " is the length of a row that never stops",
                    decoded, Arrays.copyOf(new int[] {10, 3, 4, 5, 6}, limit),
                    Arrays.copyOf(new int[] {5, 6, 7, 8, 9}, limit));
        }
    }

    /**
     * A row never grows beyond the model's maximum length (the model refuses longer sequences), and a row that
     * never stops fills it: on a model of maximum length 8, prompts of 1, 5, 7 and 8 tokens get 7, 3, 1 and 0.
     */
    public static void staysWithinTheModelsMaximumLength(Sampler sampler, Config settings) {
        TableModel model = TableModel.chain(VOCABULARY, 8, last -> 7);
        DecodeRequest request = request(List.of(new int[] {1}, new int[] {1, 3, 4, 5, 6},
                new int[] {1, 3, 4, 5, 6, 7, 7}, new int[] {1, 3, 4, 5, 6, 7, 7, 7}), 20, 0);
        Decoded decoded = decode(sampler, settings, model, request);
        if (model.longest() > 8) {
            throw new AssertionError(sampler.id() + ": asked a model of maximum length 8 about a sequence of "
                    + model.longest() + " tokens");
        }
        expectOutputs(sampler.id() + ": a row that never stops fills the model's maximum length of 8", decoded,
                new int[] {7, 7, 7, 7, 7, 7, 7}, new int[] {7, 7, 7}, new int[] {7}, new int[0]);
    }

    /** Two decodes of the same request (same seed) give the same outputs, log-probabilities and n-best lists. */
    public static void isDeterministicForASeed(Sampler sampler, Config settings, Model model, DecodeRequest request) {
        Decoded first = decode(sampler, settings, model, request);
        Decoded second = decode(sampler, settings, model, request);
        String what = sampler.id() + ": two decodes with seed " + request.seed();
        expectOutputs(what + " differ", second, first.outputs().toArray(new int[0][]));
        if (!Arrays.equals(first.logProbabilities(), second.logProbabilities())) {
            throw new AssertionError(what + " differ in log-probabilities: "
                    + Arrays.toString(first.logProbabilities()) + " vs " + Arrays.toString(second.logProbabilities()));
        }
        for (int row = 0; row < first.nBest().size(); row++) {
            if (!render(first.nBest().get(row)).equals(render(second.nBest().get(row)))) {
                throw new AssertionError(what + " differ in the n-best list of row " + row + ": "
                        + render(first.nBest().get(row)) + " vs " + render(second.nBest().get(row)));
            }
        }
    }

    /**
     * For a sampler that draws at random: decoding {@code request} under {@code seeds} different seeds gives at
     * least two different outputs. Choose a model and request where that is all but certain (a flat distribution,
     * several tokens).
     */
    public static void differentSeedsDiffer(Sampler sampler, Config settings, Model model, DecodeRequest request,
                                            int seeds) {
        Set<String> seen = new HashSet<>();
        for (long seed = 1; seed <= seeds; seed++) {
            DecodeRequest seeded = new DecodeRequest(request.prompts(), request.maxNewTokens(), request.stopToken(),
                    seed, request.special());
            List<String> rows = new ArrayList<>();
            for (int[] output : decode(sampler, settings, model, seeded).outputs()) {
                rows.add(Arrays.toString(output));
            }
            seen.add(rows.toString());
        }
        if (seen.size() < 2) {
            throw new AssertionError(sampler.id() + ": " + seeds + " seeds all gave the outputs " + seen);
        }
    }

    /**
     * {@code unsupportedReason} is one non-blank line for a model the sampler refuses, and a model it accepts
     * decodes into a well-formed output.
     */
    public static void honoursUnsupportedReason(Sampler sampler, Config settings, Model... models) {
        for (Model model : models) {
            Optional<String> reason = sampler.unsupportedReason(model.info(), settings);
            if (reason.isPresent()) {
                if (reason.get().isBlank() || reason.get().contains("\n")) {
                    throw new AssertionError(sampler.id() + ": the reason it cannot drive " + model.info()
                            .architecture() + " must be one non-blank line, got '" + reason.get() + "'");
                }
                continue;
            }
            int length = Math.max(1, Math.min(2, model.info().maxLength() - 1));
            int[] prompt = new int[length];
            Arrays.fill(prompt, Math.min(3, model.info().vocabularySize() - 1));
            decode(sampler, settings, model, request(List.of(prompt), 4, 0));
        }
    }

    /**
     * The sampler decodes {@code request} on {@code model} token for token as {@link #greedy} does, with the same
     * log-probabilities (to 1e-4) where it reports them. For settings under which it must (a beam of width 1,
     * sampling from the top token only).
     */
    public static void agreesWithGreedy(Sampler sampler, Config settings, Model model, DecodeRequest request) {
        Decoded expected = greedy(model, request);
        Decoded actual = decode(sampler, settings, model, request);
        expectOutputs(sampler.id() + " " + settings + " disagrees with greedy", actual,
                expected.outputs().toArray(new int[0][]));
        double[] want = expected.logProbabilities();
        double[] got = actual.logProbabilities();
        for (int row = 0; row < want.length; row++) {
            if (!Double.isNaN(got[row]) && !(Math.abs(got[row] - want[row]) <= SAME_LOG_PROBABILITY)) {
                throw new AssertionError(sampler.id() + " " + settings + ": row " + row + " has log-probability "
                        + got[row] + ", greedy's same output has " + want[row]);
            }
        }
    }

    /**
     * The reference greedy decoder, on {@code model}'s decode session: the prompts are prefilled once, then every
     * unfinished row takes its most likely token other than padding (the lowest id among equals) until the stop
     * token, {@code maxNewTokens}, or the model's maximum length. Log-probabilities are the model's (log-softmax
     * of the logits), the stop token's included.
     */
    public static Decoded greedy(Model model, DecodeRequest request) {
        int maxLength = model.info().maxLength();
        List<int[]> prompts = request.prompts();
        List<List<Integer>> outputs = new ArrayList<>();
        double[] logProbabilities = new double[prompts.size()];
        List<Integer> active = new ArrayList<>();
        for (int row = 0; row < prompts.size(); row++) {
            outputs.add(new ArrayList<>());
            if (request.maxNewTokens() > 0 && prompts.get(row).length < maxLength) {
                active.add(row);
            }
        }
        long calls = 0;
        long generated = 0;
        if (!active.isEmpty()) {
            try (DecodeSession session = model.openSession()) {
                float[][] logits = session.prefill(active.stream().map(prompts::get).toArray(int[][]::new));
                int[] rows = active.stream().mapToInt(Integer::intValue).toArray();
                int[] sessionRows = new int[rows.length];
                Arrays.setAll(sessionRows, i -> i);
                while (rows.length > 0) {
                    List<int[]> next = new ArrayList<>();   // {session row, request row, token}
                    for (int i = 0; i < rows.length; i++) {
                        int token = argmax(logits[i], request.special().pad());
                        logProbabilities[rows[i]] += logSoftmax(logits[i], token);
                        generated++;
                        if (token == request.stopToken()) {
                            continue;
                        }
                        outputs.get(rows[i]).add(token);
                        if (outputs.get(rows[i]).size() < request.maxNewTokens()
                                && prompts.get(rows[i]).length + outputs.get(rows[i]).size() < maxLength) {
                            next.add(new int[] {sessionRows[i], rows[i], token});
                        }
                    }
                    rows = next.stream().mapToInt(n -> n[1]).toArray();
                    sessionRows = next.stream().mapToInt(n -> n[0]).toArray();
                    if (rows.length > 0) {
                        logits = session.step(sessionRows, next.stream().mapToInt(n -> n[2]).toArray());
                    }
                }
                calls = session.forwardPasses();
            }
        }
        List<int[]> arrays = outputs.stream().map(o -> o.stream().mapToInt(Integer::intValue).toArray()).toList();
        List<List<Hypothesis>> nBest = new ArrayList<>();
        List<int[]> depths = new ArrayList<>();
        for (int row = 0; row < arrays.size(); row++) {
            nBest.add(List.of(new Hypothesis(arrays.get(row), logProbabilities[row], logProbabilities[row])));
            depths.add(new int[0]);
        }
        return new Decoded(arrays, calls, generated, 0, logProbabilities, nBest, depths, 0);
    }

    /**
     * A model of {@code architecture} for the checks that need a real one (its decode session is the engine's):
     * built for {@code vocabulary} and {@code maxLength}, then with every weight drawn from N(0, 0.5^2), so that its
     * next-token distributions are far from uniform and their top tokens far apart.
     */
    public static TrainableModel engineModel(TrainableArchitecture architecture, Map<String, String> settings,
                                             int vocabulary, int maxLength, long seed) {
        TrainableModel model = architecture.build(new ModelSpec(vocabulary, maxLength, seed),
                architecture.schema().resolve(settings));
        TorchReference.randomizeWeights(model, seed + 1, 0.5);
        return model;
    }

    /**
     * Decodes and checks that the result is well-formed: every row within the limits and without the stop or
     * padding token, its n-best list led by its output and ordered by score, log-probabilities at most 0 (or NaN),
     * depths absent or one per generated token, counts not negative.
     */
    public static Decoded decode(Sampler sampler, Config settings, Model model, DecodeRequest request) {
        Decoded decoded;
        try {
            decoded = sampler.decode(model, request, settings);
        } catch (RuntimeException e) {
            throw new AssertionError(sampler.id() + " " + settings + " failed on " + model.info().architecture()
                    + ": " + e, e);
        }
        String name = sampler.id() + " " + settings;
        if (decoded.outputs().size() != request.prompts().size()) {
            throw new AssertionError(name + ": " + decoded.outputs().size() + " outputs for "
                    + request.prompts().size() + " prompts");
        }
        for (int row = 0; row < decoded.outputs().size(); row++) {
            checkRow(name + ", row " + row, decoded, row, model, request);
        }
        if (decoded.modelCalls() < 0 || decoded.flops() < 0 || decoded.generatedTokens() < 0) {
            throw new AssertionError(name + ": negative counts: " + decoded.modelCalls() + " calls, "
                    + decoded.generatedTokens() + " tokens, " + decoded.flops() + " FLOPs");
        }
        return decoded;
    }

    private static void checkRow(String name, Decoded decoded, int row, Model model, DecodeRequest request) {
        int[] output = decoded.outputs().get(row);
        int prompt = request.prompts().get(row).length;
        if (output.length > request.maxNewTokens() || prompt + output.length > Math.max(prompt,
                model.info().maxLength())) {
            throw new AssertionError(name + ": " + output.length + " tokens after a prompt of " + prompt + " exceed "
                    + "maxNewTokens " + request.maxNewTokens() + " or the maximum length " + model.info().maxLength());
        }
        for (int token : output) {
            if (token == request.stopToken() || token == request.special().pad() || token < 0
                    || token >= model.info().vocabularySize()) {
                throw new AssertionError(name + ": output " + Arrays.toString(output) + " holds the stop token, "
                        + "padding or an id outside the vocabulary");
            }
        }
        List<Hypothesis> nBest = decoded.nBest().get(row);
        if (nBest.isEmpty() || !Arrays.equals(nBest.get(0).tokens(), output)) {
            throw new AssertionError(name + ": the n-best list " + render(nBest) + " is not led by the output "
                    + Arrays.toString(output));
        }
        for (int i = 1; i < nBest.size(); i++) {
            if (nBest.get(i).score() > nBest.get(i - 1).score()) {
                throw new AssertionError(name + ": the n-best list is not best first: " + render(nBest));
            }
        }
        double logProbability = decoded.logProbabilities()[row];
        if (logProbability > 1e-9) {
            throw new AssertionError(name + ": log-probability " + logProbability + " > 0");
        }
        int depths = decoded.depths().get(row).length;
        if (depths != 0 && depths != output.length && depths != output.length + 1) {
            throw new AssertionError(name + ": " + depths + " depths for " + output.length + " generated tokens");
        }
    }

    private static void expectOutputs(String what, Decoded decoded, int[]... expected) {
        List<String> want = Arrays.stream(expected).map(Arrays::toString).toList();
        List<String> got = decoded.outputs().stream().map(Arrays::toString).toList();
        if (!want.equals(got)) {
            throw new AssertionError(what + ": expected " + want + ", got " + got);
        }
    }

    private static String render(List<Hypothesis> hypotheses) {
        return hypotheses.stream().map(h -> Arrays.toString(h.tokens()) + " logp=" + h.logProbability() + " score="
                + h.score()).toList().toString();
    }

    private static DecodeRequest request(List<int[]> prompts, int maxNewTokens, long seed) {
        return new DecodeRequest(prompts, maxNewTokens, STOP, seed, SpecialTokens.STANDARD);
    }

    /** The id of the largest logit other than {@code pad}; the lowest id among equals. */
    private static int argmax(float[] logits, int pad) {
        int best = -1;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) {
                throw new AssertionError("the model returned NaN logits (token " + v + ")");
            }
            if (v != pad && (best < 0 || logits[v] > logits[best])) {
                best = v;
            }
        }
        return best;
    }

    /** log softmax(logits)[token], in double. */
    private static double logSoftmax(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return logits[token] - max - Math.log(sum);
    }
}
