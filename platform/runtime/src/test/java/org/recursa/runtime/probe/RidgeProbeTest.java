package org.recursa.runtime.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.recursa.engine.host.EngineStart;

/**
 * The probe on synthetic states where the answer is known: a target that is a linear function of the state is
 * read back exactly, a target that has nothing to do with it is not, on held-out examples.
 */
class RidgeProbeTest {

    private static final int WIDTH = 16;
    private static final int TOKENS_PER_EXAMPLE = 10;

    static {
        EngineStart.start();
    }

    @Test
    void aTargetThatIsALinearFunctionOfTheStateHasAnR2OfOne() {
        SplittableRandom random = new SplittableRandom(11);
        double[] direction = gaussian(random, WIDTH);
        ToDoubleFunction<double[]> linear = x -> 3 + dot(direction, x);
        RidgeProbe.Result result = RidgeProbe.evaluate(rows(random, 120, 0, linear), rows(random, 40, 120, linear),
                false);
        assertThat(result.score()).isCloseTo(1.0, within(1e-4));
        assertThat(result.penalty()).isLessThanOrEqualTo(1e-2);
        assertThat(result.baseline()).isZero();
    }

    @Test
    void aRandomTargetHasAnR2NearZeroOnHeldOutExamples() {
        SplittableRandom random = new SplittableRandom(12);
        SplittableRandom noise = new SplittableRandom(13);
        ToDoubleFunction<double[]> unrelated = x -> noise.nextGaussian();
        RidgeProbe.Result result = RidgeProbe.evaluate(rows(random, 120, 0, unrelated),
                rows(random, 40, 120, unrelated), false);
        // Fitted on 1,200 tokens, scored on 400 others: what the probe learned of the noise does not carry over.
        assertThat(result.score()).isBetween(-0.1, 0.05);
    }

    @Test
    void aSeparableBinaryTargetIsClassifiedAndAnUnrelatedOneIsNot() {
        SplittableRandom random = new SplittableRandom(14);
        double[] direction = gaussian(random, WIDTH);
        ToDoubleFunction<double[]> side = x -> dot(direction, x) > 0.5 ? 1 : 0;
        RidgeProbe.Result separable = RidgeProbe.evaluate(rows(random, 120, 0, side), rows(random, 40, 120, side),
                true);
        // Least squares on ±1 codes is not a maximum-margin classifier: near the boundary it errs a little.
        assertThat(separable.score()).isGreaterThan(0.93);
        assertThat(separable.baseline()).isBetween(0.5, 0.8);

        SplittableRandom coin = new SplittableRandom(15);
        ToDoubleFunction<double[]> unrelated = x -> coin.nextDouble() < 0.7 ? 0 : 1;
        RidgeProbe.Result chance = RidgeProbe.evaluate(rows(random, 120, 0, unrelated),
                rows(random, 40, 120, unrelated), true);
        assertThat(chance.score()).isLessThan(chance.baseline() + 0.05);
    }

    @Test
    void categoriesAreClassifiedOneVersusTheRest() {
        SplittableRandom random = new SplittableRandom(16);
        ToDoubleFunction<double[]> largestOfThree = x -> x[0] > x[1] && x[0] > x[2] ? 0 : x[1] > x[2] ? 1 : 2;
        RidgeProbe.Result result = RidgeProbe.evaluate(rows(random, 150, 0, largestOfThree),
                rows(random, 50, 150, largestOfThree), true);
        // Linear one-versus-rest scores cannot carve the argmax regions exactly, but come close.
        assertThat(result.score()).isGreaterThan(0.8);
        assertThat(result.baseline()).isLessThan(0.45);
    }

    @Test
    void foldsKeepEveryExampleWhole() {
        int[] group = {7, 7, 3, 3, 3, 9, 1, 2, 8, 8, 5};
        int[] fold = RidgeProbe.folds(group);
        assertThat(fold).containsExactly(0, 0, 1, 1, 1, 2, 3, 4, 0, 0, 1);
        assertThat(RidgeProbe.folds(new int[] {4, 4, 4})).containsOnly(0);
    }

    private static RidgeProbe.Rows rows(SplittableRandom random, int examples, int firstExample,
                                        ToDoubleFunction<double[]> target) {
        int n = examples * TOKENS_PER_EXAMPLE;
        double[][] x = new double[n][];
        double[] y = new double[n];
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = gaussian(random, WIDTH);
            y[i] = target.applyAsDouble(x[i]);
            group[i] = firstExample + i / TOKENS_PER_EXAMPLE;
        }
        return new RidgeProbe.Rows(x, y, group);
    }

    private static double[] gaussian(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
