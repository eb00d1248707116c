package org.recursa.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.host.Bf16Support;
import org.recursa.engine.host.EngineStart;

/**
 * bf16 products against exact references: on operands rounded to bf16 they must equal the float product up to
 * float32 accumulation (so the rounding is to nearest even and the sums are float32), and against the float32
 * product of the unrounded operands they differ by bf16's rounding, about 2^-9 relative per operand.
 */
class Bf16ProductsTest {

    /** Relative Frobenius error allowed against the product of the bf16-rounded operands: float32 accumulation. */
    private static final double ACCUMULATION = 1e-5;
    /** Relative Frobenius error allowed against the float32 product: bf16 keeps 8 significant bits. */
    private static final double BF16_ROUNDING = 1e-2;

    @BeforeAll
    static void start() {
        EngineStart.start();
    }

    @ParameterizedTest(name = "{0}{1} x {2}{3}: m={4} n={5} k={6}")
    @CsvSource({
            // Linear's three products at d=256, FFN 1024, 64 x 32 tokens: y = x W^T, dx = dy W, dW = dy^T x.
            "x, '', W, ^T, 2048, 1024, 256",
            "dy, '', W, '', 2048, 256, 1024",
            "dy, ^T, x, '', 1024, 256, 2048",
            "a, ^T, b, ^T, 37, 53, 129",
            "a, '', b, '', 1, 17, 5"})
    void matchesTheFloatProductOfRoundedOperandsAndTheFloat32ProductWithinBf16Rounding(
            String aName, String aT, String bName, String bT, int m, int n, int k) {
        assumeBf16();
        boolean transposeA = !aT.isEmpty();
        boolean transposeB = !bT.isEmpty();
        SplittableRandom random = new SplittableRandom(31L * m + n + k);
        INDArray a = gaussian(random, transposeA ? k : m, transposeA ? m : k);
        INDArray b = gaussian(random, transposeB ? n : k, transposeB ? k : n);
        INDArray c = Nd4j.zeros(DataType.FLOAT, m, n);
        Bf16Products.matmul(a, transposeA, b, transposeB, c, 0);

        INDArray exactOfRounded = product(rounded(a), transposeA, rounded(b), transposeB);
        INDArray float32 = product(a.castTo(DataType.DOUBLE), transposeA, b.castTo(DataType.DOUBLE), transposeB);
        String label = aName + aT + " x " + bName + bT + " seed " + (31L * m + n + k);
        assertThat(relativeError(c, exactOfRounded)).as(label + ": against the rounded operands")
                .isLessThan(ACCUMULATION);
        assertThat(relativeError(c, float32)).as(label + ": against the float32 product")
                .isLessThan(BF16_ROUNDING).isGreaterThan(ACCUMULATION);
    }

    @Test
    void accumulatesOntoTheResultWhenAsked() {
        assumeBf16();
        SplittableRandom random = new SplittableRandom(7);
        INDArray a = gaussian(random, 64, 96);
        INDArray b = gaussian(random, 80, 96);
        INDArray start = gaussian(random, 64, 80);
        INDArray c = start.dup();
        Bf16Products.matmul(a, false, b, true, c, 1);
        INDArray expected = product(rounded(a), false, rounded(b), true).addi(start.castTo(DataType.DOUBLE));
        assertThat(relativeError(c, expected)).isLessThan(ACCUMULATION);
    }

    @Test
    void usesTheCpusBf16InstructionsHere() {
        assumeBf16();
        assertThat(Bf16Products.implementation(false, true, 2048, 256, 256)).as("oneDNN's implementation")
                .containsAnyOf("bf16", "amx");
    }

    @Test
    void twoThreadsAtOnceComputeWhatOneThreadDoes() throws Exception {
        assumeBf16();
        SplittableRandom random = new SplittableRandom(11);
        List<INDArray[]> operands = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            operands.add(new INDArray[] {gaussian(random, 512, 256 + 32 * i), gaussian(random, 384, 256 + 32 * i)});
        }
        List<INDArray> alone = new ArrayList<>();
        for (INDArray[] pair : operands) {
            alone.add(multiply(pair));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<INDArray>>> together = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                together.add(pool.submit(() -> {
                    List<INDArray> results = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        for (INDArray[] pair : operands) {
                            results.add(multiply(pair));
                        }
                    }
                    return results;
                }));
            }
            for (Future<List<INDArray>> future : together) {
                List<INDArray> results = future.get();
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).equals(alone.get(i % operands.size())))
                            .as("product %d of a thread, computed while the other thread multiplied", i).isTrue();
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** a b^T into a fresh array. */
    private static INDArray multiply(INDArray[] pair) {
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, pair[0].rows(), pair[1].rows());
        Bf16Products.matmul(pair[0], false, pair[1], true, c, 0);
        return c;
    }

    static void assumeBf16() {
        assumeThat(Bf16Support.missingHere()).as("this CPU has AVX512-BF16 or AMX").isEmpty();
    }

    private static INDArray gaussian(SplittableRandom random, long rows, long cols) {
        float[] values = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (gaussian(random) * 0.5);
        }
        return Nd4j.create(values, new long[] {rows, cols}, DataType.FLOAT);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The array with each value rounded to bf16 (nearest, ties to even), as doubles. */
    static INDArray rounded(INDArray array) {
        float[] values = array.dup().data().asFloat();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            bits += 0x7FFF + ((bits >>> 16) & 1);
            out[i] = Float.intBitsToFloat(bits & 0xFFFF0000);
        }
        return Nd4j.create(out, array.shape(), DataType.DOUBLE);
    }

    private static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        return Nd4j.gemm(a, b, transposeA, transposeB);
    }

    private static double relativeError(INDArray actual, INDArray expected) {
        INDArray difference = actual.castTo(DataType.DOUBLE).sub(expected);
        return difference.norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }
}
