package org.recursa.runtime.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear probe in closed form: ridge regression on standardised hidden states, in double precision on ND4J.
 * Numeric targets are regressed and scored by R²; binary and categorical ones are classified the way a ridge
 * classifier does (regress ±1 codes, one column per class versus the rest, and take the sign or the largest), and
 * scored by accuracy. The penalty is chosen from {@link #PENALTIES} by cross-validation over groups of rows (a
 * group is an example: its tokens are never split between fitting and validating), and the probe is then refitted
 * on all training rows and scored on held-out rows.
 *
 * <p>Each fold's Gram matrix is the whole training Gram matrix less the fold's own, so the states are multiplied
 * once per fold; every penalty then costs one (d, d) solve.
 */
final class RidgeProbe {

    /** Candidate penalties, per training row (the Gram matrix of standardised states grows with the rows). */
    static final double[] PENALTIES = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10};
    /** Cross-validation folds at most (fewer when there are fewer training groups). */
    static final int FOLDS = 5;

    /**
     * Rows of a probe's data.
     *
     * @param x     one hidden state per row
     * @param y     the target per row
     * @param group the example each row belongs to
     */
    record Rows(double[][] x, double[] y, int[] group) {

        int size() {
            return y.length;
        }
    }

    /**
     * A fitted and scored probe.
     *
     * @param score    held-out accuracy or R², null when it cannot be computed (no held-out rows; for R², held-out
     *                 targets that do not vary)
     * @param penalty  the chosen penalty per training row
     * @param baseline the same metric without the state: the majority training class's held-out accuracy, or 0
     */
    record Result(Double score, double penalty, Double baseline) {
    }

    private RidgeProbe() {
    }

    /**
     * Fits on {@code train} and scores on {@code test}.
     *
     * @param classify whether the target is a class (binary or categorical) rather than a number
     * @throws IllegalArgumentException when {@code train} has fewer than two rows
     */
    static Result evaluate(Rows train, Rows test, boolean classify) {
        if (train.size() < 2) {
            throw new IllegalArgumentException("a probe needs at least two training rows, got " + train.size());
        }
        Standardised standard = Standardised.of(train.x());
        INDArray x = standard.apply(train.x());                                  // (n, d)
        Coding coding = classify ? Coding.classes(train.y()) : Coding.numeric(train.y());
        INDArray y = coding.encode(train.y());                                   // (n, k), centred
        double penalty = crossValidate(x, y, train, coding);
        INDArray weights = solve(gram(x), x.transpose().mmul(y), penalty * train.size());
        Double score = test.size() == 0 ? null
                : coding.score(standard.apply(test.x()).mmul(weights), test.y());
        Double baseline = test.size() == 0 ? null : coding.baseline(test.y());
        return new Result(score, penalty, baseline);
    }

    /** The penalty with the smallest validation loss; ties go to the larger penalty. */
    private static double crossValidate(INDArray x, INDArray y, Rows train, Coding coding) {
        int[] fold = folds(train.group());
        int folds = Arrays.stream(fold).max().orElse(0) + 1;
        if (folds < 2) {
            return 1e-2;
        }
        double[] loss = new double[PENALTIES.length];
        INDArray gram = gram(x);
        INDArray moment = x.transpose().mmul(y);
        for (int f = 0; f < folds; f++) {
            int[] held = rowsOf(fold, f, true);
            int[] kept = rowsOf(fold, f, false);
            INDArray xHeld = x.getRows(held);
            INDArray gramFit = gram.sub(gram(xHeld));
            INDArray momentFit = moment.sub(xHeld.transpose().mmul(y.getRows(held)));
            Normal normal = Normal.of(gramFit, momentFit);
            double[] truth = new double[held.length];
            for (int i = 0; i < held.length; i++) {
                truth[i] = train.y()[held[i]];
            }
            for (int p = 0; p < PENALTIES.length; p++) {
                INDArray predicted = xHeld.mmul(normal.solve(PENALTIES[p] * kept.length));
                loss[p] += coding.loss(predicted, truth);
            }
        }
        int best = 0;
        for (int p = 1; p < PENALTIES.length; p++) {
            if (loss[p] <= loss[best] + 1e-12 * Math.abs(loss[best])) {
                best = p;
            }
        }
        return PENALTIES[best];
    }

    /** Folds by group: the i-th distinct group (in order of appearance) goes to fold i mod FOLDS. */
    static int[] folds(int[] group) {
        Map<Integer, Integer> index = new LinkedHashMap<>();
        for (int g : group) {
            index.putIfAbsent(g, index.size());
        }
        int folds = Math.min(FOLDS, index.size());
        int[] fold = new int[group.length];
        for (int i = 0; i < group.length; i++) {
            fold[i] = folds < 2 ? 0 : index.get(group[i]) % folds;
        }
        return fold;
    }

    private static int[] rowsOf(int[] fold, int f, boolean inFold) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == f) == inFold) {
                rows.add(i);
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static INDArray gram(INDArray x) {
        return x.transpose().mmul(x);
    }

    private static INDArray solve(INDArray gram, INDArray moment, double penalty) {
        return Normal.of(gram, moment).solve(penalty);
    }

    /**
     * {@code (G + penalty I)^-1 M} by a Cholesky factorisation, in Java: {@code bin/recursa} may compute on a system
     * OpenBLAS without LAPACK's C interface, which ND4J's solvers call. The (d, d) systems are small next to the
     * Gram products, which stay on BLAS.
     */
    private record Normal(double[][] gram, double[][] moment) {

        static Normal of(INDArray gram, INDArray moment) {
            return new Normal(gram.toDoubleMatrix(), moment.toDoubleMatrix());
        }

        /** The weights (d, k). */
        INDArray solve(double penalty) {
            int d = gram.length;
            double[][] lower = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = gram[i][j] + (i == j ? penalty : 0);
                    for (int m = 0; m < j; m++) {
                        sum -= lower[i][m] * lower[j][m];
                    }
                    lower[i][j] = i == j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / lower[j][j];
                }
            }
            int k = moment[0].length;
            double[] flat = new double[d * k];
            double[] column = new double[d];
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < d; i++) {                       // L z = m
                    double sum = moment[i][c];
                    for (int m = 0; m < i; m++) {
                        sum -= lower[i][m] * column[m];
                    }
                    column[i] = sum / lower[i][i];
                }
                for (int i = d - 1; i >= 0; i--) {                  // L^T w = z
                    double sum = column[i];
                    for (int m = i + 1; m < d; m++) {
                        sum -= lower[m][i] * column[m];
                    }
                    column[i] = sum / lower[i][i];
                }
                for (int i = 0; i < d; i++) {
                    flat[i * k + c] = column[i];
                }
            }
            return Nd4j.create(flat, new long[] {d, k}, 'c');
        }
    }

    /** Column means and standard deviations of the training states; constant columns keep a scale of 1. */
    private record Standardised(double[] mean, double[] scale) {

        static Standardised of(double[][] x) {
            int d = x[0].length;
            double[] mean = new double[d];
            double[] scale = new double[d];
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j] / x.length;
                }
            }
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
                }
            }
            for (int j = 0; j < d; j++) {
                scale[j] = scale[j] > 1e-24 ? Math.sqrt(scale[j]) : 1;
            }
            return new Standardised(mean, scale);
        }

        INDArray apply(double[][] x) {
            int d = mean.length;
            double[] flat = new double[x.length * d];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < d; j++) {
                    flat[i * d + j] = (x[i][j] - mean[j]) / scale[j];
                }
            }
            return Nd4j.create(flat, new long[] {x.length, d}, 'c');
        }
    }

    /** How targets become regression columns, and how predictions are scored. */
    private interface Coding {

        /** (n, k) centred columns. */
        INDArray encode(double[] y);

        /** Validation loss of predicted columns (centred) against the true targets; smaller is better. */
        double loss(INDArray predicted, double[] truth);

        /** Held-out score of predicted columns: accuracy or R². */
        Double score(INDArray predicted, double[] truth);

        /** The score of a guess without the state. */
        Double baseline(double[] truth);

        static Coding numeric(double[] y) {
            return new Numeric(Arrays.stream(y).average().orElse(0));
        }

        static Coding classes(double[] y) {
            TreeSet<Double> distinct = new TreeSet<>();
            Arrays.stream(y).forEach(distinct::add);
            return new Classes(distinct.stream().mapToDouble(Double::doubleValue).toArray(), y);
        }
    }

    /** Regression on the centred target. */
    private record Numeric(double mean) implements Coding {

        @Override
        public INDArray encode(double[] y) {
            return Nd4j.create(Arrays.stream(y).map(v -> v - mean).toArray(), new long[] {y.length, 1}, 'c');
        }

        @Override
        public double loss(INDArray predicted, double[] truth) {
            double squares = 0;
            for (int i = 0; i < truth.length; i++) {
                double error = predicted.getDouble(i, 0) + mean - truth[i];
                squares += error * error;
            }
            return squares;
        }

        @Override
        public Double score(INDArray predicted, double[] truth) {
            double average = Arrays.stream(truth).average().orElse(0);
            double total = Arrays.stream(truth).map(v -> (v - average) * (v - average)).sum();
            return total <= 1e-12 ? null : 1 - loss(predicted, truth) / total;
        }

        @Override
        public Double baseline(double[] truth) {
            return 0.0;
        }
    }

    /**
     * Classes coded ±1: one column for two classes (+1 for the larger), one column per class otherwise; columns
     * centred by their training means, which are added back before deciding.
     */
    private record Classes(double[] labels, double[] means, double majority) implements Coding {

        Classes(double[] labels, double[] y) {
            this(labels, columnMeans(labels, y), majority(labels, y));
        }

        private static double[] columnMeans(double[] labels, double[] y) {
            double[][] codes = codes(labels, y);
            double[] means = new double[codes[0].length];
            for (double[] row : codes) {
                for (int c = 0; c < means.length; c++) {
                    means[c] += row[c] / y.length;
                }
            }
            return means;
        }

        private static double majority(double[] labels, double[] y) {
            double best = labels[0];
            long bestCount = -1;
            for (double label : labels) {
                long count = Arrays.stream(y).filter(v -> v == label).count();
                if (count > bestCount) {
                    best = label;
                    bestCount = count;
                }
            }
            return best;
        }

        private static double[][] codes(double[] labels, double[] y) {
            int columns = labels.length <= 2 ? 1 : labels.length;
            double[][] codes = new double[y.length][columns];
            for (int i = 0; i < y.length; i++) {
                for (int c = 0; c < columns; c++) {
                    double positive = labels.length <= 2 ? labels[labels.length - 1] : labels[c];
                    codes[i][c] = y[i] == positive ? 1 : -1;
                }
            }
            return codes;
        }

        @Override
        public INDArray encode(double[] y) {
            double[][] codes = codes(labels, y);
            int columns = means.length;
            double[] flat = new double[y.length * columns];
            for (int i = 0; i < y.length; i++) {
                for (int c = 0; c < columns; c++) {
                    flat[i * columns + c] = codes[i][c] - means[c];
                }
            }
            return Nd4j.create(flat, new long[] {y.length, columns}, 'c');
        }

        private double decide(INDArray predicted, int row) {
            if (labels.length == 1) {
                return labels[0];
            }
            if (means.length == 1) {
                return predicted.getDouble(row, 0) + means[0] > 0 ? labels[labels.length - 1] : labels[0];
            }
            int best = 0;
            for (int c = 1; c < means.length; c++) {
                if (predicted.getDouble(row, c) + means[c] > predicted.getDouble(row, best) + means[best]) {
                    best = c;
                }
            }
            return labels[best];
        }

        @Override
        public double loss(INDArray predicted, double[] truth) {
            double wrong = 0;
            for (int i = 0; i < truth.length; i++) {
                wrong += decide(predicted, i) == truth[i] ? 0 : 1;
            }
            return wrong;
        }

        @Override
        public Double score(INDArray predicted, double[] truth) {
            return 1 - loss(predicted, truth) / truth.length;
        }

        @Override
        public Double baseline(double[] truth) {
            return Arrays.stream(truth).filter(v -> v == majority).count() / (double) truth.length;
        }
    }
}
