package org.example.pondernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.recursa.engine.GradientCheck;
import org.recursa.engine.Precision;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.CrossEntropy;

/**
 * Every op of the plugin's own against central finite differences in double precision (GradientCheck: step 1e-6,
 * relative tolerance 1e-5 plus absolute 1e-8), each through a loss with random weights on every output element; and
 * the identity the model's loss rests on.
 */
class PonderOpsGradientTest {

    private DataType previous;

    @BeforeEach
    void doublePrecision() {
        previous = Precision.dataType();
        Precision.use(DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Precision.use(previous);
    }

    @Test
    void haltingDistributionSumsToOneAndMatchesFiniteDifferences() {
        Var logits = GradientCheck.random(new SplittableRandom(1), 2.0, 5, 3);
        Var logP = HaltingDistribution.logProbabilities(Tape.inference(), logits);
        double[][] p = logP.value().toDoubleMatrix();
        double[][] a = logits.value().toDoubleMatrix();
        for (int r = 0; r < 5; r++) {
            double lambda1 = HaltingDistribution.sigmoid(a[r][0]);
            assertThat(Math.exp(p[r][0])).isCloseTo(lambda1, within(1e-12));
            assertThat(Math.exp(p[r][1])).isCloseTo((1 - lambda1) * HaltingDistribution.sigmoid(a[r][1]),
                    within(1e-12));
            assertThat(java.util.Arrays.stream(p[r]).map(Math::exp).sum()).isCloseTo(1.0, within(1e-12));
        }
        GradientCheck.check("halting distribution", GradientCheck.weighted(
                t -> HaltingDistribution.logProbabilities(t, logits), 2), List.of(logits));
    }

    @Test
    void haltingDistributionIsStableForLargeLogits() {
        Var logits = new Var(org.nd4j.linalg.factory.Nd4j.create(new double[][] {{80, -80}, {-800, 800}}), true);
        double[][] logP = HaltingDistribution.logProbabilities(Tape.inference(), logits).value().toDoubleMatrix();
        for (double[] row : logP) {
            for (double value : row) {
                assertThat(value).isFinite();
            }
        }
        assertThat(logP[1][2]).isCloseTo(-800, within(1e-9));   // log(1 - sigmoid(-800)) + log(1 - sigmoid(800))
    }

    @Test
    void stepMixtureMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(3);
        Var logP = HaltingDistribution.logProbabilities(Tape.training(), GradientCheck.random(random, 1.0, 4, 2));
        Var halting = new Var(logP.value().dup(), true);
        List<Var> steps = List.of(GradientCheck.random(random, 2.0, 4, 5), GradientCheck.random(random, 2.0, 4, 5),
                GradientCheck.random(random, 2.0, 4, 5));
        List<Var> inputs = new java.util.ArrayList<>(steps);
        inputs.add(halting);
        GradientCheck.check("step mixture", GradientCheck.weighted(t -> StepMixture.apply(t, halting, steps), 4),
                inputs);
    }

    @Test
    void logSumExpMatchesFiniteDifferences() {
        Var x = GradientCheck.random(new SplittableRandom(5), 3.0, 4, 6);
        GradientCheck.check("logsumexp", GradientCheck.weighted(t -> LogSumExp.rows(t, x), 6), List.of(x));
    }

    @Test
    void klToTheGeometricPriorMatchesFiniteDifferences() {
        GeometricPrior prior = new GeometricPrior(0.3, 4);
        assertThat(java.util.Arrays.stream(prior.logProbabilities()).map(Math::exp).sum()).isCloseTo(1, within(1e-12));
        Var logP = new Var(HaltingDistribution.logProbabilities(Tape.inference(),
                GradientCheck.random(new SplittableRandom(7), 1.0, 3, 3)).value(), true);
        GradientCheck.check("kl to prior", GradientCheck.weighted(t -> prior.divergence(t, logP), 8), List.of(logP));
        // KL of the prior to itself is zero.
        Var itself = Var.constant(org.nd4j.linalg.factory.Nd4j.create(new double[][] {prior.logProbabilities()}));
        assertThat(prior.divergence(Tape.inference(), itself).value().getDouble(0)).isCloseTo(0, within(1e-12));
    }

    /**
     * The host's cross-entropy of the mixture minus the mean logsumexp of the mixture over the counted rows is
     * PonderNet's expected loss, sum_n p_n CE(y, z_n), averaged over the counted rows.
     */
    @Test
    void mixtureCrossEntropyMinusItsNormaliserIsTheExpectedLoss() {
        SplittableRandom random = new SplittableRandom(9);
        int rows = 6;
        int vocabulary = 5;
        Var logP = HaltingDistribution.logProbabilities(Tape.inference(), GradientCheck.random(random, 1.5, rows, 3));
        List<Var> steps = new java.util.ArrayList<>();
        for (int n = 0; n < 4; n++) {
            steps.add(GradientCheck.random(random, 2.0, rows, vocabulary));
        }
        int[] targets = {CrossEntropy.IGNORE, 3, 0, CrossEntropy.IGNORE, 4, 1};
        Tape tape = Tape.inference();
        Var mixture = StepMixture.apply(tape, logP, steps);
        double crossEntropy = CrossEntropy.apply(tape, mixture, targets).value().getDouble(0);
        double[][] lse = LogSumExp.rows(tape, mixture).value().toDoubleMatrix();
        double[][] p = logP.value().toDoubleMatrix();
        double normaliser = 0;
        double expected = 0;
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] == CrossEntropy.IGNORE) {
                continue;
            }
            counted++;
            normaliser += lse[r][0];
            for (int n = 0; n < steps.size(); n++) {
                double[] z = steps.get(n).value().getRow(r).toDoubleVector();
                double max = java.util.Arrays.stream(z).max().orElseThrow();
                double logSum = Math.log(java.util.Arrays.stream(z).map(v -> Math.exp(v - max)).sum()) + max;
                expected += Math.exp(p[r][n]) * (logSum - z[targets[r]]);
            }
        }
        assertThat(crossEntropy - normaliser / counted).isCloseTo(expected / counted, within(1e-12));
    }
}
