package org.recursa.engine.kernel;

import static org.bytedeco.dnnl.global.dnnl.dnnl_sgemm;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.recursa.engine.host.Threads;

/**
 * Float32 products through oneDNN's {@code dnnl_sgemm}: on the shapes a training step multiplies (a few hundred to a
 * few thousand rows by 128-1024) its just-in-time AVX-512 kernels run 3-15% faster than OpenBLAS's on one core, and
 * about twice as fast on the skinny products of decoding (8 rows), measured in docs/benchmarks.md
 * ({@code bench/gemm_products.sh}). It parallelises with
 * OpenMP, so the calling thread first takes the engine's kernel thread count ({@link Threads#matchThisThread}).
 * Whether oneDNN loads is checked once: the natives ship for linux-x86_64 only, and elsewhere products stay on
 * OpenBLAS.
 */
final class OneDnnGemm {

    private static final boolean LOADED = load();

    private OneDnnGemm() {
    }

    /** Whether oneDNN's library loaded in this process. */
    static boolean loaded() {
        return LOADED;
    }

    /** oneDNN's version as its library reports it, e.g. {@code 2.7.1}. */
    static String version() {
        dnnl_version_t version = dnnl.dnnl_version();
        return version.major() + "." + version.minor() + "." + version.patch();
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c} on row-major blocks starting at the pointers' positions, with row
     * strides {@code lda}, {@code ldb}, {@code ldc}, as {@code cblas_sgemm} in row-major order.
     */
    static void sgemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, FloatPointer a,
                      int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        Threads.matchThisThread();
        int status = dnnl_sgemm((byte) (transposeA ? 'T' : 'N'), (byte) (transposeB ? 'T' : 'N'), m, n, k, alpha,
                a, lda, b, ldb, beta, c, ldc);
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN sgemm failed with status " + status + " on " + m + " x " + k
                    + " x " + n);
        }
    }

    private static boolean load() {
        try {
            Loader.load(dnnl.class);
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
