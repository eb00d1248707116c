package org.recursa.engine.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.Gradients;

/** Looks up rows of a table: token and position embeddings, and the gather of token subsets for routing. */
public final class Embedding {

    private Embedding() {
    }

    /**
     * @param table (V, C)
     * @param ids   N row indices in [0, V)
     * @return (N, C), row i is {@code table[ids[i]]}
     */
    public static Var apply(Tape tape, Var table, int[] ids) {
        long rows = table.value().rows();
        for (int id : ids) {
            if (id < 0 || id >= rows) {
                throw new IllegalArgumentException("index " + id + " outside [0, " + rows + ")");
            }
        }
        INDArray y = ids.length == 0 ? Nd4j.create(table.value().dataType(), 0, table.value().columns())
                : Nd4j.pullRows(table.value(), 1, ids);
        Var out = new Var(y, tape.needsGrad(table));
        tape.record(() -> {
            // Scatter-add as a product with the one-hot matrix: one GEMM, and duplicate ids just add up.
            INDArray oneHot = oneHot(ids, (int) rows, table.value().dataType());
            Nd4j.gemm(oneHot, out.grad(), table.grad(), true, false, 1.0, 1.0);
            Gradients.release(out);
        }, table);
        return out;
    }

    /** The ids {@code 0, 1, ..., n - 1}: the rows of a table's first n entries. */
    public static int[] range(int n) {
        int[] ids = new int[n];
        java.util.Arrays.setAll(ids, i -> i);
        return ids;
    }

    /** (N, size) with a one in column {@code ids[i]} of row i. */
    static INDArray oneHot(int[] ids, int size, DataType type) {
        float[] data = new float[ids.length * size];
        for (int i = 0; i < ids.length; i++) {
            data[i * size + ids[i]] = 1f;
        }
        return Nd4j.create(data, new long[] {ids.length, size}, DataType.FLOAT).castTo(type);
    }
}
