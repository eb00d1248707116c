package org.example.pondernet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.model.ModelInfo;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.model.WeightSet;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.Context;
import org.recursa.engine.nn.Dense;
import org.recursa.engine.nn.LayerNorm;
import org.recursa.engine.ops.Columns;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Embedding;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;

/**
 * PonderNet (Banino et al., 2021) on one weight-shared pre-norm block, per position:
 * <pre>
 *   x   = E[tokens] + P                                   the input, injected at every step
 *   h_n = Block(h_{n-1} + x),  h_0 = 0                    n = 1..N, one set of weights
 *   z_n = Head(LN(h_n))                                   each step's logits
 *   lambda_n = sigmoid(w . LN(h_n) + b),  n &lt; N           halting probability, b initialised to logit(lambda_p)
 *   p_n = lambda_n prod_{j&lt;n} (1 - lambda_j),  p_N = prod_{j&lt;N} (1 - lambda_j)
 *   loss = mean over answer positions of  sum_n p_n CE(y, z_n)  +  beta KL(p || TruncatedGeometric(lambda_p))
 * </pre>
 * The expected loss reaches the host as one supervised output, {@link StepMixture}'s {@code sum_n p_n
 * log_softmax(z_n)}, whose cross-entropy is the expected loss plus {@code logsumexp} of the mixture, a term free of
 * the target; the model subtracts that term (auxiliary loss {@code normaliser}) over {@link AnswerPositions}, so the
 * task loss plus {@code normaliser} is exactly the expected cross-entropy. Decoding reads each position's logits at
 * its halting step: the first step at which the cumulative halting mass reaches the threshold (0.5: the median of
 * p), and stops the loop once every row has halted.
 */
final class PonderNetModel implements TrainableModel {

    /** The halting settings. */
    record Halting(int maxSteps, double priorLambda, double beta, double threshold) {
    }

    private final ModelSpec spec;
    private final Block.Shape shape;
    private final Halting halting;
    private final double dropout;
    private final SplittableRandom dropoutRandom;
    private final GeometricPrior prior;
    private final ParameterSet parameters = new ParameterSet();
    private final Parameter tokens;
    private final Parameter positions;
    private final Block block;
    private final LayerNorm finalNorm;
    private final Dense head;
    private final Dense haltingUnit;

    PonderNetModel(ModelSpec spec, Block.Shape shape, Halting halting, double dropout) {
        this.spec = spec;
        this.shape = shape;
        this.halting = halting;
        this.dropout = dropout;
        this.dropoutRandom = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
        this.prior = new GeometricPrior(halting.priorLambda(), halting.maxSteps());
        SplittableRandom init = new SplittableRandom(spec.seed());
        int width = shape.width();
        tokens = parameters.add("embed.tokens", Init.normal(init, Block.Shape.STD, spec.vocabularySize(), width));
        positions = parameters.add("embed.positions", Init.normal(init, Block.Shape.STD, spec.maxLength(), width));
        block = Block.create(parameters, "block", shape, Block.Shape.STD / Math.sqrt(2.0 * halting.maxSteps()), init);
        finalNorm = LayerNorm.create(parameters, "final_norm", width);
        head = Dense.create(parameters, "head", width, spec.vocabularySize(), Block.Shape.STD, init);
        haltingUnit = Dense.create(parameters, "halting", width, 1, Block.Shape.STD, init);
        // Start at the prior: lambda_n = lambda_p at every step, so the KL term starts near zero and the halting
        // distribution moves away from the prior only as far as the expected loss pays for.
        haltingUnit.bias().value().assign(Math.log(halting.priorLambda() / (1 - halting.priorLambda())));
    }

    /** Parameters of a model of this shape: embeddings, the one block, final norm, head and halting unit. */
    static long parameterCount(ModelSpec spec, Block.Shape shape) {
        long width = shape.width();
        long vocabulary = spec.vocabularySize();
        return vocabulary * width + (long) spec.maxLength() * width + shape.parameters() + 2 * width
                + width * vocabulary + vocabulary + width + 1;
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public Forward forward(Tape tape, TokenBatch batch) {
        Steps steps = run(tape, batch, true);
        Var logP = HaltingDistribution.logProbabilities(tape, Columns.concat(tape,
                steps.haltingLogits().toArray(Var[]::new)));
        Var mixture = StepMixture.apply(tape, logP, steps.logits());
        INDArray counted = AnswerPositions.of(batch);
        double count = Math.max(1, counted.sumNumber().doubleValue());
        Var normaliser = Elementwise.scale(tape, Elementwise.sum(tape, Elementwise.mul(tape,
                LogSumExp.rows(tape, mixture), Var.constant(counted))), -1 / count);
        Var kl = Elementwise.scale(tape, Elementwise.sum(tape, Elementwise.mul(tape, prior.divergence(tape, logP),
                Var.constant(counted))), halting.beta() / count);
        return new Forward(steps.halted(), List.of(new Forward.NamedLoss("normaliser", normaliser),
                new Forward.NamedLoss("kl", kl)), depth(batch, steps.haltAt()),
                stats(batch, counted, logP.value(), steps.haltAt()),
                List.of(new Forward.Supervised("expected", mixture, 1.0)));
    }

    /**
     * What the loop computed.
     *
     * @param logits        z_n of every step run
     * @param haltingLogits a_n of every step run but the last of N
     * @param haltAt        each row's halting step (1-based) under the threshold rule
     * @param halted        (B*T, V): each row's logits at its halting step
     */
    private record Steps(List<Var> logits, List<Var> haltingLogits, int[] haltAt, Var halted) {
    }

    /**
     * Runs the block up to N times. With {@code everyStep} all N run (training needs every p_n); otherwise the loop
     * stops once every row has halted, which changes no row's halted logits: a step never alters earlier ones.
     */
    private Steps run(Tape tape, TokenBatch batch, boolean everyStep) {
        if (batch.length() > spec.maxLength()) {
            throw new IllegalArgumentException("sequence length " + batch.length() + " exceeds the model's maximum "
                    + spec.maxLength());
        }
        Context context = new Context(tape, batch, dropout, dropoutRandom);
        Var x = Elementwise.addTiled(tape, Embedding.apply(tape, tokens, batch.ids()),
                Embedding.apply(tape, positions, Embedding.range(batch.length())));
        int rows = batch.ids().length;
        double[] cumulative = new double[rows];
        int[] haltAt = new int[rows];
        int running = rows;
        List<Var> logits = new ArrayList<>();
        List<Var> haltingLogits = new ArrayList<>();
        Var halted = null;
        Var h = null;
        for (int n = 1; n <= halting.maxSteps() && (everyStep || running > 0); n++) {
            h = block.apply(context.at("recursion", n), h == null ? x : Elementwise.add(tape, h, x));
            Var normed = finalNorm.apply(tape, h);
            Var z = head.apply(tape, normed);
            logits.add(z);
            float[] haltsNow = new float[rows];
            if (n < halting.maxSteps()) {
                Var a = haltingUnit.apply(tape, normed);
                haltingLogits.add(a);
                double[] values = a.value().dup().data().asDouble();
                for (int r = 0; r < rows; r++) {
                    if (haltAt[r] == 0) {
                        cumulative[r] = HaltingDistribution.cumulative(cumulative[r],
                                HaltingDistribution.sigmoid(values[r]));
                        if (cumulative[r] >= halting.threshold()) {
                            haltAt[r] = n;
                            haltsNow[r] = 1;
                            running--;
                        }
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    if (haltAt[r] == 0) {
                        haltAt[r] = n;
                        haltsNow[r] = 1;
                        running--;
                    }
                }
            }
            if (containsOne(haltsNow)) {
                Var picked = Elementwise.mulColumn(tape, z, Var.constant(column(haltsNow, z)));
                halted = halted == null ? picked : Elementwise.add(tape, halted, picked);
            }
        }
        return new Steps(logits, haltingLogits, haltAt, halted);
    }

    private static boolean containsOne(float[] mask) {
        for (float m : mask) {
            if (m != 0) {
                return true;
            }
        }
        return false;
    }

    private static INDArray column(float[] values, Var like) {
        return Nd4j.create(values, new long[] {values.length, 1}, 'c').castTo(like.value().dataType());
    }

    /** Each real token's halting step, 0 for padding: what evaluation records as depth. */
    private static double[] depth(TokenBatch batch, int[] haltAt) {
        double[] keep = batch.keep().dup().data().asDouble();
        double[] depth = new double[haltAt.length];
        for (int i = 0; i < depth.length; i++) {
            depth[i] = keep[i] > 0 ? haltAt[i] : 0;
        }
        return depth;
    }

    /**
     * Over the answer positions (every real token when there are none): {@code halt_step}, the mean step decoding
     * halts at, and {@code expected_step}, the mean of {@code sum_n n p_n}.
     */
    private Map<String, Double> stats(TokenBatch batch, INDArray counted, INDArray logP, int[] haltAt) {
        double[] mask = (counted.sumNumber().doubleValue() > 0 ? counted : batch.keep()).dup().data().asDouble();
        double[][] p = logP.toDoubleMatrix();
        double total = 0;
        double haltSteps = 0;
        double expected = 0;
        for (int r = 0; r < haltAt.length; r++) {
            if (mask[r] == 0) {
                continue;
            }
            total++;
            haltSteps += haltAt[r];
            for (int n = 0; n < p[r].length; n++) {
                expected += (n + 1) * Math.exp(p[r][n]);
            }
        }
        total = Math.max(1, total);
        return Map.of("halt_step", haltSteps / total, "expected_step", expected / total,
                "prior_step", prior.mean());
    }

    @Override
    public ModelInfo info() {
        long stepFlops = shape.flopsPerToken(spec.maxLength()) + 2L * shape.width() * (spec.vocabularySize() + 1);
        return new ModelInfo(PonderNetArchitecture.ID, spec.vocabularySize(), spec.maxLength(), parameters.count(), 1,
                halting.maxSteps(), halting.maxSteps() * stepFlops);
    }

    /** Each sequence's next-token logits at the last position's halting step; the loop stops once all halted. */
    @Override
    public float[][] nextTokenLogits(int[][] sequences) {
        if (sequences.length == 0) {
            return new float[0][];
        }
        TokenBatch batch = TokenBatch.of(sequences, Vocabulary.PAD_ID);
        Var logits = run(Tape.inference(), batch, false).halted();
        float[][] next = new float[sequences.length][];
        for (int b = 0; b < sequences.length; b++) {
            next[b] = logits.value().getRow((long) b * batch.length() + sequences[b].length - 1).toFloatVector();
        }
        return next;
    }

    @Override
    public WeightSet weights() {
        return parameters.toWeightSet();
    }
}
