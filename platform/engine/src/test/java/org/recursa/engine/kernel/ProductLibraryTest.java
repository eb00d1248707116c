package org.recursa.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.recursa.engine.host.EngineStart;

/**
 * Both product libraries against a float64 reference, on the shapes and layouts the engine multiplies (transposed
 * operands, row strides wider than the block, accumulation onto the result, a scale), and the choice of library.
 */
class ProductLibraryTest {

    /** Relative Frobenius error of a float32 product with float32 accumulation, k up to 2048. */
    private static final double FLOAT32_ACCUMULATION = 1e-5;

    @BeforeAll
    static void start() {
        EngineStart.start();
    }

    @Test
    void oneDnnLoadsOnThisPlatformAndIsTheDefault() {
        // The natives ship for linux-x86_64, the platform CI runs on; elsewhere auto falls back to OpenBLAS.
        assertThat(System.getProperty("os.arch")).isIn("amd64", "x86_64");
        assertThat(OneDnnGemm.loaded()).isTrue();
        assertThat(ProductLibrary.parse(null, true)).isEqualTo(ProductLibrary.ONEDNN);
        assertThat(ProductLibrary.ONEDNN.describe()).startsWith("oneDNN " + OneDnnGemm.version() + " sgemm")
                .contains("262144");
    }

    @Test
    void parsesTheChoiceAndRefusesWhatCannotBeHonoured() {
        assertThat(ProductLibrary.parse(" ", false)).isEqualTo(ProductLibrary.OPENBLAS);
        assertThat(ProductLibrary.parse("auto", false)).isEqualTo(ProductLibrary.OPENBLAS);
        assertThat(ProductLibrary.parse("OpenBLAS", true)).isEqualTo(ProductLibrary.OPENBLAS);
        assertThat(ProductLibrary.parse("onednn", true)).isEqualTo(ProductLibrary.ONEDNN);
        assertThatThrownBy(() -> ProductLibrary.parse("mkl", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RECURSA_GEMM=mkl is not a choice; use auto, onednn or openblas");
        assertThatThrownBy(() -> ProductLibrary.parse("onednn", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not load").hasMessageContaining("RECURSA_GEMM=auto or openblas");
    }

    @Test
    void sendsOnlyProductsOfAtLeastTheThresholdToOneDnn() {
        assertThat(ProductLibrary.ONEDNN.oneDnnComputes(64, 64, 64)).isTrue();
        assertThat(ProductLibrary.ONEDNN.oneDnnComputes(64, 64, 63)).isFalse();
        assertThat(ProductLibrary.ONEDNN.oneDnnComputes(32, 32, 32)).isFalse();
        assertThat(ProductLibrary.OPENBLAS.oneDnnComputes(2048, 1024, 256)).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}{2} m={3} n={4} k={5} lda+{6} alpha={7} beta={8}")
    @CsvSource({
            "ONEDNN, N, T, 864, 384, 128, 0, 1, 0",     // Linear forward, y = x W^T
            "ONEDNN, N, N, 864, 128, 512, 0, 1, 1",     // dx = dy W, accumulated
            "ONEDNN, T, N, 512, 128, 864, 0, 1, 0",     // dW = dy^T x
            "ONEDNN, T, T, 100, 300, 200, 7, 0.5, 1",   // strided, scaled, accumulated
            "ONEDNN, N, T, 8, 1024, 256, 0, 1, 0",      // decoding's skinny product
            "ONEDNN, N, N, 27, 27, 32, 3, 0.25, 0",     // below the threshold: OpenBLAS either way
            "OPENBLAS, N, T, 864, 384, 128, 0, 1, 0",
            "OPENBLAS, T, T, 100, 300, 200, 7, 0.5, 1"})
    void computesTheProductOfAFloat64Reference(ProductLibrary library, String ta, String tb, int m, int n, int k,
                                               int pad, float alpha, float beta) {
        boolean transposeA = ta.equals("T");
        boolean transposeB = tb.equals("T");
        int aRows = transposeA ? k : m;
        int aCols = (transposeA ? m : k) + pad;
        int bRows = transposeB ? n : k;
        int bCols = transposeB ? k : n;
        SplittableRandom random = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = gaussian(random, aRows * aCols);
        float[] b = gaussian(random, bRows * bCols);
        float[] c = gaussian(random, m * n);
        double[] expected = reference(transposeA, transposeB, m, n, k, alpha, a, aCols, b, bCols, beta, c);
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
             FloatPointer pc = new FloatPointer(c)) {
            Blas.sgemm(library, transposeA, transposeB, m, n, k, alpha, pa, aCols, pb, bCols, beta, pc, n);
            float[] actual = new float[m * n];
            pc.get(actual);
            assertThat(relativeError(actual, expected)).isLessThan(FLOAT32_ACCUMULATION);
        }
    }

    @Test
    void aThreadTheEngineDidNotStartComputesTheSameProduct() throws Exception {
        // oneDNN parallelises with OpenMP, whose thread count is per thread: a fresh thread takes the engine's.
        SplittableRandom random = new SplittableRandom(5);
        int m = 300;
        int n = 200;
        int k = 100;
        float[] a = gaussian(random, m * k);
        float[] b = gaussian(random, k * n);
        float[] here = product(a, b, m, n, k);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            float[] there = other.submit(() -> product(a, b, m, n, k)).get();
            assertThat(there).isEqualTo(here);
        } finally {
            other.shutdownNow();
        }
    }

    private static float[] product(float[] a, float[] b, int m, int n, int k) {
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
             FloatPointer pc = new FloatPointer((long) m * n)) {
            Blas.sgemm(ProductLibrary.ONEDNN, false, false, m, n, k, 1, pa, k, pb, n, 0, pc, n);
            float[] c = new float[m * n];
            pc.get(c);
            return c;
        }
    }

    private static double[] reference(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha,
                                      float[] a, int lda, float[] b, int ldb, double beta, float[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double x = transposeA ? a[p * lda + i] : a[i * lda + p];
                    double y = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += x * y;
                }
                out[i * n + j] = alpha * sum + beta * c[i * n + j];
            }
        }
        return out;
    }

    private static double relativeError(float[] actual, double[] expected) {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            difference += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(difference / norm);
    }

    private static float[] gaussian(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian());
        }
        return values;
    }
}
