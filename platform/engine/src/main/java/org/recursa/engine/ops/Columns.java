package org.recursa.engine.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientPool;
import org.recursa.engine.host.Gradients;

/**
 * Activations side by side along the feature axis, {@code [a_1 | a_2 | ...]}, as PyTorch's {@code torch.cat(...,
 * dim=-1)}. A packed projection whose slices each get a correction of their own (the relaxed transformer's q, k
 * and v LoRAs) joins the narrow corrections this way and adds them in one sum, instead of multiplying a zero-padded
 * (3C, 3r) factor. The backward pass hands each part its own columns of the gradient.
 */
public final class Columns {

    private Columns() {
    }

    /**
     * @param parts each (N, C_i), the same N; at least one
     * @return (N, C_1 + C_2 + ...), a new array
     */
    public static Var concat(Tape tape, Var... parts) {
        check(parts);
        INDArray[] values = Arrays.stream(parts).map(Var::value).toArray(INDArray[]::new);
        Var out = new Var(Nd4j.concat(1, values), tape.needsGrad(parts));
        tape.record(() -> {
            long from = 0;
            for (Var part : parts) {
                long width = part.value().columns();
                if (part.requiresGrad()) {
                    Gradients.adopt(part, columns(out.grad(), from, width));
                }
                from += width;
            }
            Gradients.release(out);
        }, parts);
        return out;
    }

    /** A fresh dense copy of {@code width} columns of {@code m} from column {@code from}. */
    private static INDArray columns(INDArray m, long from, long width) {
        INDArray slice = m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + width));
        return GradientPool.take(m.dataType(), m.rows(), width).assign(slice);
    }

    private static void check(Var... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concatenating columns needs at least one part");
        }
        long rows = parts[0].value().rows();
        for (Var part : parts) {
            if (part.value().rank() != 2 || part.value().rows() != rows) {
                throw new IllegalArgumentException("cannot put " + Arrays.toString(part.shape()) + " beside "
                        + rows + " rows: every part must be a matrix with the same number of rows");
            }
        }
    }
}
