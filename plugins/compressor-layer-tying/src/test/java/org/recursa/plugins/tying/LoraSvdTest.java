package org.recursa.plugins.tying;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.api.compress.Compression;
import org.recursa.api.compress.ModelSnapshot;

/**
 * The LoRAs are the truncated SVD of each depth's residual: checked against singular values from LAPACK (ND4J's
 * eigenvalues of R^T R), not against EJML, by Eckart-Young: the best rank-r approximation's squared error is the sum
 * of the discarded squared singular values.
 */
class LoraSvdTest {

    private static final List<String> SLICES = List.of("q", "k", "v");
    private final Fixture fixture = new Fixture();

    @Test
    void theFactorsReconstructAMatrixAndTruncationLeavesTheDiscardedSingularValues() {
        for (int[] size : new int[][] {{6, 5}, {5, 7}, {24, 8}}) {
            int rows = size[0];
            int columns = size[1];
            double[] m = new Random(rows * 31L + columns).doubles(rows * columns, -1, 1).toArray();
            int full = Math.min(rows, columns);
            double[] lapack = singularValues(m, rows, columns);
            TruncatedSvd exact = TruncatedSvd.of(m, rows, columns, full);
            assertThat(exact.singular()).as("singular values").containsExactly(lapack, within(1e-9));
            assertThat(exact.singular()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(product(exact, rows, columns)).containsExactly(m, within(1e-12));
            for (int rank = 0; rank < full; rank++) {
                TruncatedSvd truncated = TruncatedSvd.of(m, rows, columns, rank);
                double error = squaredDistance(m, product(truncated, rows, columns));
                double discarded = Arrays.stream(lapack, rank, full).map(s -> s * s).sum();
                assertThat(error).as(rows + " x " + columns + ", rank " + rank).isCloseTo(discarded, within(1e-9));
                assertThat(truncated.kept() + discarded).isCloseTo(squaredNorm(m), within(1e-9));
            }
        }
    }

    @Test
    void eachLoraIsTheBestRankRApproximationOfItsResidualAndSeparateQkvIsAtLeastAsGood() {
        ModelSnapshot vanilla = fixture.vanilla(4);
        int rank = 3;
        ModelSnapshot separate = fixture.tie(vanilla, Map.of("rank", "3", "lora_qkv", "separate")).model();
        Compression fusedCompression = fixture.tie(vanilla, Map.of("rank", "3"));
        ModelSnapshot fused = fusedCompression.model();
        double residualEnergy = 0;
        double lost = 0;
        for (int l = 0; l < 4; l++) {
            for (String map : Tying.MAPS) {
                double[][] residual = residual(vanilla, fused, l, map);
                String lora = "depth." + l + "." + map;
                double error = squaredDistance(residual, product(fused, lora));
                assertThat(error).as(lora).isCloseTo(tail(residual, rank), within(1e-4 * squaredNorm(residual)));
                assertOrthonormalRows(Fixture.matrix(fused, lora + ".lora_a"), lora);
                residualEnergy += squaredNorm(residual);
                lost += error;
            }
            double[][] residual = residual(vanilla, separate, l, "attn.qkv");
            double separateError = 0;
            for (int s = 0; s < SLICES.size(); s++) {
                double[][] block = Arrays.copyOfRange(residual, s * Fixture.WIDTH, (s + 1) * Fixture.WIDTH);
                String lora = "depth." + l + ".attn.qkv." + SLICES.get(s);
                double error = squaredDistance(block, product(separate, lora));
                assertThat(error).as(lora).isCloseTo(tail(block, rank), within(1e-4 * squaredNorm(block)));
                assertOrthonormalRows(Fixture.matrix(separate, lora + ".lora_a"), lora);
                separateError += error;
            }
            // The fused approximation cut into row blocks is a rank-r candidate for each block, so it cannot win.
            double fusedError = squaredDistance(residual, product(fused, "depth." + l + ".attn.qkv"));
            assertThat(separateError).as("depth " + l).isLessThanOrEqualTo(fusedError * (1 + 1e-5));
        }
        assertThat(fusedCompression.report().measures().get("residual_energy_kept"))
                .isCloseTo(1 - lost / residualEnergy, within(1e-4));
    }

    private static void assertOrthonormalRows(double[][] a, String what) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                double dot = 0;
                for (int k = 0; k < a[i].length; k++) {
                    dot += a[i][k] * a[j][k];
                }
                assertThat(dot).as(what + ": A = V_r^T has orthonormal rows").isCloseTo(i == j ? 1 : 0, within(1e-5));
            }
        }
    }

    /** Vanilla layer l's matrix minus the shared matrix depth l runs with. */
    private static double[][] residual(ModelSnapshot vanilla, ModelSnapshot tied, int depth, String map) {
        double[][] layer = Fixture.matrix(vanilla, "block." + depth + "." + map + ".weight");
        double[][] shared = Fixture.matrix(tied, "block." + depth % 2 + "." + map + ".weight");
        double[][] residual = new double[layer.length][];
        for (int i = 0; i < layer.length; i++) {
            residual[i] = new double[layer[i].length];
            for (int j = 0; j < layer[i].length; j++) {
                residual[i][j] = layer[i][j] - shared[i][j];
            }
        }
        return residual;
    }

    /** {@code name.lora_b} times {@code name.lora_a}. */
    private static double[][] product(ModelSnapshot model, String name) {
        double[][] b = Fixture.matrix(model, name + ".lora_b");
        double[][] a = Fixture.matrix(model, name + ".lora_a");
        double[][] product = new double[b.length][a[0].length];
        for (int i = 0; i < b.length; i++) {
            for (int k = 0; k < a.length; k++) {
                for (int j = 0; j < a[0].length; j++) {
                    product[i][j] += b[i][k] * a[k][j];
                }
            }
        }
        return product;
    }

    private static double[] product(TruncatedSvd svd, int rows, int columns) {
        double[] product = new double[rows * columns];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < svd.rank(); k++) {
                for (int j = 0; j < columns; j++) {
                    product[i * columns + j] += svd.b()[i * svd.rank() + k] * svd.a()[k * columns + j];
                }
            }
        }
        return product;
    }

    /** The sum of the squared singular values of m beyond the first r. */
    private static double tail(double[][] m, int rank) {
        double[] flat = Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
        double[] singular = singularValues(flat, m.length, m[0].length);
        return Arrays.stream(singular, rank, singular.length).map(s -> s * s).sum();
    }

    /** The min(rows, columns) singular values, descending, from LAPACK's eigenvalues of the smaller Gram matrix. */
    private static double[] singularValues(double[] m, int rows, int columns) {
        INDArray matrix = Nd4j.create(m, new long[] {rows, columns}, 'c');
        INDArray gram = rows >= columns ? matrix.transpose().mmul(matrix) : matrix.mmul(matrix.transpose());
        double[] eigenvalues = Eigen.symmetricGeneralizedEigenvalues(gram.dup(), false).toDoubleVector();
        return Arrays.stream(eigenvalues).map(e -> Math.sqrt(Math.max(0, e))).boxed()
                .sorted((a, b) -> Double.compare(b, a)).mapToDouble(Double::doubleValue).toArray();
    }

    private static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum;
    }

    private static double squaredDistance(double[][] a, double[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += squaredDistance(a[i], b[i]);
        }
        return sum;
    }

    private static double squaredNorm(double[] m) {
        return squaredDistance(m, new double[m.length]);
    }

    private static double squaredNorm(double[][] m) {
        return Arrays.stream(m).mapToDouble(LoraSvdTest::squaredNorm).sum();
    }
}
