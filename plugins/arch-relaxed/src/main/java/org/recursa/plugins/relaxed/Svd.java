package org.recursa.plugins.relaxed;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Thin singular value decomposition {@code M = U diag(s) V^T} by one-sided Jacobi rotations (Hestenes), in double
 * precision. Only initialisation uses it, once per LoRA on matrices of a few hundred columns, where its simplicity
 * and accuracy matter more than speed (ND4J's own svd op cannot infer its output shapes on the CPU backend).
 *
 * @param u (rows, k) with orthonormal columns, k = min(rows, columns)
 * @param s k singular values, descending
 * @param v (columns, k) with orthonormal columns
 */
record Svd(double[][] u, double[] s, double[][] v) {

    private static final int SWEEPS = 60;
    private static final double EPS = 1e-15;

    static Svd of(double[][] m) {
        int rows = m.length;
        int columns = m[0].length;
        if (rows < columns) {
            Svd t = of(transpose(m));
            return new Svd(t.v(), t.s(), t.u());
        }
        double[][] a = transpose(m);                    // a[j] is column j of m: rotations act on whole columns
        double[][] v = identity(columns);
        for (int sweep = 0; sweep < SWEEPS && rotate(a, v); sweep++) {
            // each sweep orthogonalises every pair of columns once; stop when none needed rotating
        }
        double[] norms = Arrays.stream(a).mapToDouble(Svd::norm).toArray();
        Integer[] order = IntStream.range(0, columns).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(j -> -norms[j]));
        double[][] u = new double[rows][columns];
        double[][] vs = new double[columns][columns];
        double[] s = new double[columns];
        for (int k = 0; k < columns; k++) {
            int j = order[k];
            s[k] = norms[j];
            for (int i = 0; i < rows; i++) {
                u[i][k] = s[k] > EPS ? a[j][i] / s[k] : 0;
            }
            for (int i = 0; i < columns; i++) {
                vs[i][k] = v[j][i];
            }
        }
        return new Svd(u, s, vs);
    }

    /** One sweep over all column pairs; true if any pair was rotated. */
    private static boolean rotate(double[][] a, double[][] v) {
        boolean rotated = false;
        for (int p = 0; p < a.length - 1; p++) {
            for (int q = p + 1; q < a.length; q++) {
                double alpha = dot(a[p], a[p]);
                double beta = dot(a[q], a[q]);
                double gamma = dot(a[p], a[q]);
                if (Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta) || gamma == 0) {
                    continue;
                }
                rotated = true;
                double zeta = (beta - alpha) / (2 * gamma);
                double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                double c = 1 / Math.sqrt(1 + t * t);
                apply(a[p], a[q], c, c * t);
                apply(v[p], v[q], c, c * t);
            }
        }
        return rotated;
    }

    private static void apply(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            x[i] = c * xi - s * y[i];
            y[i] = s * xi + c * y[i];
        }
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    private static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    private static double[][] identity(int n) {
        double[][] id = new double[n][n];
        for (int i = 0; i < n; i++) {
            id[i][i] = 1;
        }
        return id;
    }
}
