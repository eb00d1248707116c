package org.recursa.engine.kernel;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sdot;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float matrix products straight through a BLAS call on dense row-major arrays: oneDNN's {@code dnnl_sgemm} for
 * all but the smallest, OpenBLAS's {@code cblas_sgemm} (the library ND4J itself links) for those or when
 * {@code RECURSA_GEMM=openblas} ({@link ProductLibrary}). ND4J's matmul op costs a third more on attention's many
 * 32 x 32 products (its op dispatch and per-matrix set-up) and a few percent on the large ones.
 */
public final class Blas {

    private Blas() {
    }

    /** Whether {@link #matmul} applies: float32 arrays, each dense and row-major (views of a dense block allowed). */
    public static boolean applies(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (!denseFloat(array) || array.rank() < 2) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c} for each matrix of a batch: the last two axes are the matrices, the
     * leading axes (if any) must be equal in all three arrays.
     */
    public static void matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c,
                              float alpha, float beta) {
        int rank = c.rank();
        if (a.rank() != rank || b.rank() != rank) {
            throw new IllegalArgumentException("matmul of ranks " + a.rank() + ", " + b.rank() + " into " + rank);
        }
        int m = (int) c.size(rank - 2);
        int n = (int) c.size(rank - 1);
        int k = (int) (transposeA ? a.size(rank - 2) : a.size(rank - 1));
        long[] batchShape = Arrays.copyOf(c.shape(), rank - 2);
        if ((transposeA ? a.size(rank - 1) : a.size(rank - 2)) != m || (transposeB ? b.size(rank - 1) : b.size(rank - 2)) != k
                || (transposeB ? b.size(rank - 2) : b.size(rank - 1)) != n
                || !Arrays.equals(Arrays.copyOf(a.shape(), rank - 2), batchShape)
                || !Arrays.equals(Arrays.copyOf(b.shape(), rank - 2), batchShape)) {
            throw new IllegalArgumentException("matmul shapes do not fit: " + Arrays.toString(a.shape())
                    + (transposeA ? "^T" : "") + " x " + Arrays.toString(b.shape()) + (transposeB ? "^T" : "")
                    + " -> " + Arrays.toString(c.shape()));
        }
        long batch = c.length() / ((long) m * n);
        FloatPointer pa = pointer(a);
        FloatPointer pb = pointer(b);
        FloatPointer pc = pointer(c);
        long baseA = pa.position();
        long baseB = pb.position();
        long baseC = pc.position();
        int lda = (int) a.size(rank - 1);
        int ldb = (int) b.size(rank - 1);
        for (long z = 0; z < batch; z++) {
            pa.position(baseA + z * m * k);
            pb.position(baseB + z * k * n);
            pc.position(baseC + z * m * n);
            sgemm(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n);
        }
    }

    /**
     * One {@code cblas_sgemm} on row-major blocks inside larger arrays: each operand is given as a pointer, the
     * element offset of its first entry and its row stride. Moves the pointers' positions, so the three must be
     * distinct objects.
     */
    public static void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, FloatPointer a,
                            long aOffset, int lda, FloatPointer b, long bOffset, int ldb, float beta, FloatPointer c,
                            long cOffset, int ldc) {
        a.position(aOffset);
        b.position(bOffset);
        c.position(cOffset);
        sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** One product on the library this process chose ({@link ProductLibrary}), at the pointers' positions. */
    private static void sgemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                              FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        sgemm(ProductLibrary.selected(), transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** One product on {@code library}: tests compare the two. */
    static void sgemm(ProductLibrary library, boolean transposeA, boolean transposeB, int m, int n, int k,
                      float alpha, FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c,
                      int ldc) {
        if (library.oneDnnComputes(m, n, k)) {
            OneDnnGemm.sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } else {
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    /**
     * One {@code cblas_sgemv} on a row-major block inside a larger array: {@code y = alpha A x} (or {@code A^T x}),
     * A of m rows and n columns at {@code aOffset} with row stride {@code lda}, x and y contiguous. Moves the pointers'
     * positions, so the three must be distinct objects.
     *
     * @param transpose whether to multiply by A^T: then x has m entries and y n, else x has n and y m
     */
    public static void gemv(boolean transpose, int m, int n, float alpha, FloatPointer a, long aOffset, int lda,
                            FloatPointer x, long xOffset, FloatPointer y, long yOffset) {
        a.position(aOffset);
        x.position(xOffset);
        y.position(yOffset);
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, m, n, alpha, a, lda, x, 1, 0, y, 1);
    }

    /**
     * Adds the column sums of the dense row-major (rows, cols) float array {@code m} into {@code into} (cols): the
     * gradient of a bias, as {@code into += m^T 1}, one streaming pass with no copy.
     */
    public static void addColumnSums(INDArray m, INDArray into) {
        int rows = Math.toIntExact(m.rows());
        int cols = Math.toIntExact(m.columns());
        if (!applies(m) || into.dataType() != DataType.FLOAT || into.length() != cols
                || !HeapFloats.denseRowMajor(into)) {
            throw new IllegalArgumentException("column sums of " + Arrays.toString(m.shape()) + " into "
                    + Arrays.toString(into.shape()));
        }
        cblas_sgemv(CblasRowMajor, CblasTrans, rows, cols, 1, pointer(m), cols, ones(rows), 1, 1, pointer(into), 1);
    }

    /** Whether the array is float32, dense and row-major (any rank). */
    public static boolean denseFloat(INDArray array) {
        return array.dataType() == DataType.FLOAT && HeapFloats.denseRowMajor(array);
    }

    /** The sum of squares of a dense float array's values, {@code sdot(x, x)}: one vectorised streaming pass. */
    public static double sumOfSquares(INDArray array) {
        if (!denseFloat(array)) {
            throw new IllegalArgumentException("sum of squares needs a dense row-major float array, got "
                    + array.dataType() + " " + Arrays.toString(array.shape()));
        }
        FloatPointer values = pointer(array);
        return cblas_sdot(Math.toIntExact(array.length()), values, 1, values, 1);
    }

    private static final ThreadLocal<FloatPointer> ONES = new ThreadLocal<>();

    /** At least {@code n} ones in native memory, reused by later calls on this thread. */
    private static FloatPointer ones(int n) {
        FloatPointer ones = ONES.get();
        if (ones == null || ones.capacity() < n) {
            float[] values = new float[n];
            Arrays.fill(values, 1);
            ones = new FloatPointer(values);
            ONES.set(ones);
        }
        return ones.position(0);
    }

    /**
     * The files of the OpenBLAS library this process computes with, as the dynamic linker mapped them (one library
     * can be mapped under two names), comma-separated: the copy bundled from Maven Central, or the system's when
     * the launcher chose it (bin/recursa, {@code RECURSA_BLAS}). Different builds of one release round differently
     * in the last bits, so runs record it. "unknown" where the process map cannot be read (not Linux).
     */
    public static String library() {
        cblas_sdot(0, ones(1), 1, ones(1), 1);          // makes sure the library is loaded
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            String files = lines.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(file -> file.contains("/libopenblas")).distinct().collect(Collectors.joining(", "));
            return files.isEmpty() ? "unknown" : files;
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    /** A pointer to the first element of a float array (its own copy: callers move its position). */
    public static FloatPointer pointer(INDArray array) {
        // A view's data buffer already starts at the view's first element (its address includes the offset).
        return new FloatPointer(array.data().addressPointer());
    }
}
