package org.recursa.runstore;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What produced a run, as {@code config.json} records it under {@code provenance} (docs/runs.md): the Recursa build,
 * every plugin bundle the host had started with the SHA-256 of its jar, the versions of the packages the host
 * exported to plugins, and the engine's fixed numerical settings. A reviewer can check each bundle hash against a jar
 * and rebuild the platform from the commit. Runs written before provenance was recorded have none ({@code null}).
 *
 * @param platform the Recursa build
 * @param bundles  every bundle started in the host when the run was created, by symbolic name
 * @param packages every {@code org.recursa} package the host exported to plugins, name to version, by name
 * @param engine   the engine's settings and the libraries it computed with
 */
public record Provenance(Platform platform, List<Bundle> bundles, Map<String, String> packages, Engine engine) {

    /** The value of a fact the build or the machine did not provide. */
    public static final String UNKNOWN = "unknown";

    /** Copies the collections; missing ones read as empty. */
    public Provenance {
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
        packages = packages == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(packages));
    }

    /**
     * The Recursa build.
     *
     * @param version    the Recursa version, e.g. {@code 0.1.0}
     * @param commit     the full git commit it was built from, or {@link #UNKNOWN} (built without git metadata)
     * @param commitTime that commit's time (ISO-8601), or null when unknown
     * @param dirty      whether the working tree had uncommitted changes at build time, or null when unknown
     */
    public record Platform(String version, String commit, String commitTime, Boolean dirty) {
    }

    /**
     * One bundle started in the host.
     *
     * @param symbolicName its Bundle-SymbolicName
     * @param version      its Bundle-Version
     * @param sha256       hex SHA-256 of the jar bytes the framework installed, or {@link #UNKNOWN}
     * @param supplies     which of the run's components it supplied: {@code task}, {@code architecture},
     *                     {@code sampler}, {@code compressor}; empty for the others
     */
    public record Bundle(String symbolicName, String version, String sha256, List<String> supplies) {

        /** Copies the roles; missing reads as none. */
        public Bundle {
            supplies = supplies == null ? List.of() : List.copyOf(supplies);
        }
    }

    /**
     * The engine's fixed settings: what is not a run setting but changes the numbers.
     *
     * @param precision     floating-point type of new weights ({@code FLOAT} for training)
     * @param adam          AdamW's constants
     * @param init          the weight-initialisation conventions
     * @param layerNormEps  layer normalisation's epsilon
     * @param blas          the OpenBLAS library files the process computed with, or {@link #UNKNOWN}
     * @param products      which library computed the float32 matrix products (oneDNN's sgemm above a size,
     *                      OpenBLAS below it, or OpenBLAS alone); null in runs recorded before it was
     * @param kernelThreads threads of the native kernels (OpenMP and OpenBLAS)
     * @param nd4j          ND4J's version
     * @param javacpp       JavaCPP's version
     * @param openblas      the version of the OpenBLAS build (JavaCPP preset)
     * @param java          Java runtime version
     * @param javaVendor    Java runtime vendor
     * @param os            operating system name and version
     * @param arch          processor architecture
     */
    public record Engine(String precision, Adam adam, Init init, double layerNormEps, String blas, String products,
                         int kernelThreads, String nd4j, String javacpp, String openblas, String java,
                         String javaVendor, String os, String arch) {
    }

    /**
     * AdamW's constants (the run's {@code train} settings hold its weight decay and clip).
     *
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param eps   denominator floor
     */
    public record Adam(double beta1, double beta2, double eps) {
    }

    /**
     * Weight-initialisation conventions.
     *
     * @param std                  std of the normal initialisation of weights (GPT-2's)
     * @param residualProjectionStd how the residual output projections' std is scaled down with depth
     * @param normal               how the normal values are drawn
     */
    public record Init(double std, String residualProjectionStd, String normal) {
    }

    /** The bundle that supplied {@code role} ({@code task}, {@code architecture}, ...), if recorded. */
    public java.util.Optional<Bundle> supplierOf(String role) {
        return bundles.stream().filter(b -> b.supplies().contains(role)).findFirst();
    }

    /**
     * The same JSON tree as in {@code config.json}, as maps and lists: for files that embed provenance in their own
     * format, such as a checkpoint's header.
     */
    public Map<String, Object> toMap() {
        return Json.LINE.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }

    /**
     * Reads provenance back from {@link #toMap()}'s form (e.g. a checkpoint's header).
     *
     * @throws IllegalArgumentException if the map does not have provenance's shape
     */
    public static Provenance fromMap(Map<String, ?> map) {
        return Json.LINE.convertValue(map, Provenance.class);
    }
}
