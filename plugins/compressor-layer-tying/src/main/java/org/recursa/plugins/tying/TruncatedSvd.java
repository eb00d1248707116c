package org.recursa.plugins.tying;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The best rank-r approximation {@code B A} of a matrix M = U S V^T (Eckart-Young): {@code B = U_r S_r} (rows, r)
 * and {@code A = V_r^T} (r, columns), row-major, with the singular values to say how much of M it keeps. The paper
 * initialises each depth's LoRA this way from the residual between its layer and the shared one (§3.2).
 *
 * @param b        {@code U_r S_r}, rows x r, row-major
 * @param a        {@code V_r^T}, r x columns, row-major
 * @param rank     r
 * @param singular every singular value of M, descending
 */
record TruncatedSvd(double[] b, double[] a, int rank, double[] singular) {

    /**
     * The rank-r factors of {@code m} (rows x columns, row-major), in double precision.
     *
     * @param rank at most {@code min(rows, columns)}
     */
    static TruncatedSvd of(double[] m, int rows, int columns, int rank) {
        if (rank < 0 || rank > Math.min(rows, columns)) {
            throw new IllegalArgumentException("rank " + rank + " of a " + rows + " x " + columns + " matrix");
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(rows, columns, true, true, true);
        if (!svd.decompose(new DMatrixRMaj(rows, columns, true, m))) {   // a copy: decompose may overwrite it
            throw new IllegalStateException("the SVD of a " + rows + " x " + columns + " matrix did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        int k = Math.min(rows, columns);
        double[] singular = new double[k];
        for (int i = 0; i < k; i++) {
            singular[i] = w.get(i, i);
        }
        double[] b = new double[rows * rank];
        double[] a = new double[rank * columns];
        for (int r = 0; r < rank; r++) {
            for (int i = 0; i < rows; i++) {
                b[i * rank + r] = u.get(i, r) * singular[r];
            }
            for (int j = 0; j < columns; j++) {
                a[r * columns + j] = v.get(j, r);
            }
        }
        return new TruncatedSvd(b, a, rank, singular);
    }

    /** {@code ||B A||_F^2}: the sum of the first r squared singular values. */
    double kept() {
        double kept = 0;
        for (int i = 0; i < rank; i++) {
            kept += singular[i] * singular[i];
        }
        return kept;
    }
}
