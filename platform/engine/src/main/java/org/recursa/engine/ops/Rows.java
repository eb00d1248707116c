package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;

/**
 * Moves a subset of token rows out of and back into a (N, C) activation: routers use it to run a layer only on
 * the tokens they selected, then put the results back in place.
 */
public final class Rows {

    private Rows() {
    }

    /** (k, C): rows {@code rows[i]} of {@code x}; the gradient scatters back (repeated rows add up). */
    public static Var gather(Tape tape, Var x, int[] rows) {
        return Embedding.apply(tape, x, rows);
    }

    /**
     * The inverse of {@link #gather}: a (n, C) array of zeros with row {@code rows[i]} set to row i of {@code x}.
     *
     * @param rows distinct indices in [0, n)
     */
    public static Var scatter(Tape tape, Var x, int[] rows, int n) {
        if (rows.length != x.value().rows()) {
            throw new IllegalArgumentException(rows.length + " target rows for " + x.value().rows() + " source rows");
        }
        boolean[] seen = new boolean[n];
        for (int row : rows) {
            if (row < 0 || row >= n || seen[row]) {
                throw new IllegalArgumentException("target row " + row + " repeated or outside [0, " + n + ")");
            }
            seen[row] = true;
        }
        INDArray y = Nd4j.create(x.value().dataType(), n, x.value().columns());
        if (rows.length > 0) {
            INDArray placed = Embedding.oneHot(rows, n, x.value().dataType());       // (k, n)
            Nd4j.gemm(placed, x.value(), y, true, false, 1.0, 0.0);
        }
        Var out = new Var(y, tape.needsGrad(x));
        tape.record(() -> {
            if (rows.length > 0) {
                x.accumulateOwned(Nd4j.pullRows(out.grad(), 1, rows));
            }
        }, x);
        return out;
    }
}
