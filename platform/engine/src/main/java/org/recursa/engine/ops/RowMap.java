package org.recursa.engine.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.kernel.RowMoves;

/**
 * Moves rows of a (n, C) activation to new places in one copy: row i of the result is row {@code sources[i]} of
 * the input, or zeros where {@code sources[i]} is negative. Routers use it to pack the tokens they selected into a
 * dense, padded batch and to put the results back. {@link Rows} does the same with one-hot GEMMs, whose cost grows
 * with n times the number of rows moved; a move here costs one pass over the rows. Sources are distinct, so the
 * backward pass is again a move, by the inverse map.
 */
public final class RowMap {

    /** The source of a result row that stays zero. */
    public static final int ZERO = -1;

    private RowMap() {
    }

    /**
     * @param x       (n, C)
     * @param sources for each result row, a row of {@code x} or {@link #ZERO}; the non-negative ones distinct; at
     *                least one (ND4J arrays cannot have zero rows)
     * @return (sources.length, C); {@code x} itself when {@code sources} is 0..n-1
     */
    public static Var apply(Tape tape, Var x, int[] sources) {
        int rows = (int) x.value().rows();
        checkDistinct(sources, rows);
        if (isIdentity(sources, rows)) {
            return x;
        }
        Var out = new Var(move(x.value(), sources), tape.needsGrad(x));
        tape.record(() -> {
            Gradients.adopt(x, moveGradient(out.grad(), inverse(sources, rows)));
            Gradients.release(out);
        }, x);
        return out;
    }

    /**
     * The map that undoes {@code sources}: entry j is the result row that row j went to, or {@link #ZERO}.
     *
     * @param rows the number of rows of the input that {@code sources} reads
     */
    public static int[] inverse(int[] sources, int rows) {
        int[] inverse = new int[rows];
        Arrays.fill(inverse, ZERO);
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] != ZERO) {
                inverse[sources[i]] = i;
            }
        }
        return inverse;
    }

    /** A fresh array with the moved rows: row by row in native memory for float, else through ND4J. */
    private static INDArray move(INDArray x, int[] sources) {
        if (RowMoves.applies(x)) {
            INDArray y = Nd4j.createUninitialized(x.dataType(), sources.length, x.columns());
            RowMoves.move(x, sources, y);
            return y;
        }
        return pull(x, sources);
    }

    /** As {@link #move}, into a recycled buffer: the backward pass's arrays die quickly and stay in cache. */
    private static INDArray moveGradient(INDArray dy, int[] sources) {
        if (RowMoves.applies(dy)) {
            INDArray dx = GradientPool.take(dy.dataType(), sources.length, dy.columns());
            RowMoves.move(dy, sources, dx);
            return dx;
        }
        return pull(dy, sources);
    }

    /** Zero rows are pulled from row 0 and then multiplied by zero. */
    private static INDArray pull(INDArray x, int[] sources) {
        long columns = x.columns();
        int[] pulled = new int[sources.length];
        float[] keep = new float[sources.length];
        boolean anyZero = false;
        boolean anyRow = false;
        for (int i = 0; i < sources.length; i++) {
            pulled[i] = Math.max(sources[i], 0);
            keep[i] = sources[i] == ZERO ? 0f : 1f;
            anyZero |= sources[i] == ZERO;
            anyRow |= sources[i] != ZERO;
        }
        if (!anyRow) {
            return Nd4j.zeros(x.dataType(), sources.length, columns);
        }
        INDArray y = Nd4j.pullRows(x, 1, pulled);
        if (anyZero) {
            y.muliColumnVector(Nd4j.create(keep, new long[] {sources.length, 1}, 'c').castTo(x.dataType()));
        }
        return y;
    }

    private static void checkDistinct(int[] sources, int rows) {
        if (sources.length == 0) {
            throw new IllegalArgumentException("a row move needs at least one result row");
        }
        boolean[] seen = new boolean[rows];
        for (int source : sources) {
            if (source == ZERO) {
                continue;
            }
            if (source < 0 || source >= rows || seen[source]) {
                throw new IllegalArgumentException("source row " + source + " repeated or outside [0, " + rows + ")");
            }
            seen[source] = true;
        }
    }

    private static boolean isIdentity(int[] sources, int rows) {
        if (sources.length != rows) {
            return false;
        }
        for (int i = 0; i < rows; i++) {
            if (sources[i] != i) {
                return false;
            }
        }
        return true;
    }
}
