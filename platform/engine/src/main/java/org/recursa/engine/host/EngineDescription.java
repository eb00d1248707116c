package org.recursa.engine.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Precision;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.ProductLibrary;
import org.recursa.engine.nn.Block;
import org.recursa.engine.nn.LayerNorm;
import org.recursa.engine.optim.AdamW;

/**
 * The engine's fixed numerical settings and the libraries it computes with: what is not a run setting yet changes
 * a run's numbers, for a run's provenance (docs/runs.md). Each value is read from the constant the engine computes
 * with, so the description cannot drift from the code.
 *
 * @param precision             floating-point type of new weights ({@link Precision})
 * @param adamBeta1             {@link AdamW#BETA1}
 * @param adamBeta2             {@link AdamW#BETA2}
 * @param adamEps               {@link AdamW#EPS}
 * @param initStd               std of the normal weight initialisation, GPT-2's ({@link Block.Shape#STD})
 * @param residualProjectionStd how architectures scale the residual output projections' std with depth
 * @param normalInit            how initial weights are drawn ({@link org.recursa.engine.Init})
 * @param layerNormEps          {@link LayerNorm#EPS}
 * @param blas                  the OpenBLAS library files this process computes with ({@link #blasLibrary()})
 * @param products              which library computes the float32 matrix products ({@link #productLibrary()})
 * @param kernelThreads         threads of the native kernels ({@link Threads#configured()})
 * @param nd4j                  ND4J's version
 * @param javacpp               JavaCPP's version
 * @param openblas              the OpenBLAS build's version (its JavaCPP preset)
 * @param java                  Java runtime version
 * @param javaVendor            Java runtime vendor
 * @param os                    operating system name and version
 * @param arch                  processor architecture
 */
public record EngineDescription(String precision, double adamBeta1, double adamBeta2, double adamEps, double initStd,
                                String residualProjectionStd, String normalInit, double layerNormEps, String blas,
                                String products, int kernelThreads, String nd4j, String javacpp, String openblas,
                                String java, String javaVendor, String os, String arch) {

    /** What a library version reads as when its jar does not say. */
    public static final String UNKNOWN = "unknown";

    /** The first-party architectures' convention (GPT-2): one factor of 2 per residual branch of a block. */
    static final String RESIDUAL_PROJECTION_STD = "init_std / sqrt(2 * block applications per token)";
    /** {@link org.recursa.engine.Init#normal}'s method. */
    static final String NORMAL_INIT =
            "Box-Muller over java.util.SplittableRandom seeded by the run, rounded to float32";

    /**
     * Describes the engine as this process runs it. Loads the OpenBLAS library if it is not loaded yet.
     *
     * @throws IllegalArgumentException if {@code RECURSA_KERNEL_THREADS} is not a thread count (as training would)
     */
    public static EngineDescription describe() {
        return new EngineDescription(Precision.dataType().name(), AdamW.BETA1, AdamW.BETA2, AdamW.EPS,
                Block.Shape.STD, RESIDUAL_PROJECTION_STD, NORMAL_INIT, LayerNorm.EPS, blasLibrary(),
                productLibrary(), Threads.configured(), libraryVersion("org.nd4j", "nd4j-api"),
                libraryVersion("org.bytedeco", "javacpp"), libraryVersion("org.bytedeco", "openblas"),
                Runtime.version().toString(), System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    /**
     * The files of the OpenBLAS library this process computes with, as the dynamic linker mapped them (builds of
     * one release round differently in the last bits), comma-separated, or {@code unknown}.
     */
    public static String blasLibrary() {
        return Blas.library();
    }

    /**
     * Which library computes the float32 matrix products ({@link ProductLibrary#describe}), e.g. oneDNN's sgemm
     * above a size and OpenBLAS below it.
     */
    public static String productLibrary() {
        return ProductLibrary.selected().describe();
    }

    /** A library's Maven version, from the {@code pom.properties} its jar carries, or {@link #UNKNOWN}. */
    static String libraryVersion(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Nd4j.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
