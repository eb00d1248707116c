import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;

/**
 * One thread's float32 products on OpenBLAS's cblas_sgemm and oneDNN's dnnl_sgemm, on the shapes a training step
 * and decoding multiply: the best of 5 timed rounds per library after 20 untimed calls, and the largest relative
 * difference between the two results. Run by bench/gemm_products.sh on the distribution's class path.
 */
public class GemmProducts {

    /** transposeA, transposeB, m, n, k, and what the product is. */
    private record Shape(boolean ta, boolean tb, int m, int n, int k, String what) {
    }

    public static void main(String[] args) {
        Shape[] shapes = {
                new Shape(false, true, 864, 384, 128, "d=128 QKV forward, 32 rows x 27 tokens"),
                new Shape(false, true, 864, 512, 128, "d=128 FFN up forward"),
                new Shape(false, false, 864, 128, 512, "d=128 FFN up, input gradient"),
                new Shape(true, false, 512, 128, 864, "d=128 FFN up, weight gradient"),
                new Shape(false, true, 2048, 1024, 256, "d=256 FFN up forward, 64 x 32 tokens"),
                new Shape(false, false, 2048, 256, 1024, "d=256 FFN up, input gradient"),
                new Shape(true, false, 1024, 256, 2048, "d=256 FFN up, weight gradient"),
                new Shape(false, true, 2048, 768, 256, "d=256 QKV forward"),
                new Shape(false, true, 8, 384, 128, "decoding, 8 rows, d=128 QKV"),
                new Shape(false, true, 8, 1024, 256, "decoding, 8 rows, d=256 FFN up"),
                new Shape(false, true, 64, 64, 64, "64^3, at the threshold"),
                new Shape(false, true, 32, 32, 32, "attention, one head, 32 tokens")};
        System.out.printf("%-2s %5s %5s %5s  %14s %14s %7s %9s  %s%n", "OP", "M", "N", "K", "OPENBLAS US",
                "ONEDNN US", "RATIO", "MAX DIFF", "WHAT");
        for (Shape shape : shapes) {
            measure(shape);
        }
    }

    private static void measure(Shape s) {
        int lda = s.ta ? s.m : s.k;
        int ldb = s.tb ? s.k : s.n;
        try (FloatPointer a = filled((long) s.m * s.k, 1); FloatPointer b = filled((long) s.k * s.n, 2);
             FloatPointer c1 = new FloatPointer((long) s.m * s.n);
             FloatPointer c2 = new FloatPointer((long) s.m * s.n)) {
            Runnable openblas = () -> cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans,
                    s.tb ? CblasTrans : CblasNoTrans, s.m, s.n, s.k, 1f, a, lda, b, ldb, 0f, c1, s.n);
            Runnable onednn = () -> dnnl.dnnl_sgemm((byte) (s.ta ? 'T' : 'N'), (byte) (s.tb ? 'T' : 'N'), s.m, s.n,
                    s.k, 1f, a, lda, b, ldb, 0f, c2, s.n);
            int calls = Math.max(20, (int) (4e8 / (2.0 * s.m * s.n * s.k)));
            double blasMicros = bestMicros(openblas, calls);
            double dnnlMicros = bestMicros(onednn, calls);
            System.out.printf("%s%s %5d %5d %5d  %14.1f %14.1f %6.2fx %9.1e  %s%n", s.ta ? "T" : "N",
                    s.tb ? "T" : "N", s.m, s.n, s.k, blasMicros, dnnlMicros, blasMicros / dnnlMicros,
                    maxRelativeDifference(c1, c2, (long) s.m * s.n), s.what);
        }
    }

    private static double bestMicros(Runnable product, int calls) {
        for (int i = 0; i < 20; i++) {
            product.run();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                product.run();
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        return best / 1e3 / calls;
    }

    private static FloatPointer filled(long count, int seed) {
        FloatPointer values = new FloatPointer(count);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (long i = 0; i < count; i++) {
            values.put(i, (float) random.nextGaussian());
        }
        return values;
    }

    private static double maxRelativeDifference(FloatPointer x, FloatPointer y, long count) {
        double scale = 0;
        double worst = 0;
        for (long i = 0; i < count; i++) {
            scale = Math.max(scale, Math.abs(x.get(i)));
            worst = Math.max(worst, Math.abs(x.get(i) - y.get(i)));
        }
        return worst / scale;
    }
}
