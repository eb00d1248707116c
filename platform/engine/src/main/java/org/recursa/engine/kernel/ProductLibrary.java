package org.recursa.engine.kernel;

import java.util.Locale;

/**
 * Which library computes the engine's float32 matrix products ({@link Blas}). oneDNN's sgemm is the faster on
 * every product of a training step and on decoding's skinny ones, OpenBLAS's small-matrix kernels on the tiniest
 * (oneDNN is about 12% slower at 32^3 and 64^3, under a microsecond a call), so with oneDNN chosen the products
 * below {@link #ONEDNN_MIN_WORK} multiply-adds (attention's per-head products at short lengths) stay on OpenBLAS.
 * The two round differently in the last bits, so a run records which computed it. {@code RECURSA_GEMM} chooses:
 * {@code auto} (the default: oneDNN where its library loads, linux-x86_64), {@code onednn} (fail if it does not
 * load) or {@code openblas} (every product on OpenBLAS, as before oneDNN served them).
 */
public enum ProductLibrary {
    ONEDNN,
    OPENBLAS;

    /** The environment variable that chooses. */
    public static final String VARIABLE = "RECURSA_GEMM";

    /** The smallest product, in multiply-adds (m n k), that oneDNN computes when chosen. */
    static final long ONEDNN_MIN_WORK = 1L << 18;

    private static volatile ProductLibrary selected = parse(null, OneDnnGemm.loaded());

    /** The library this process multiplies with. */
    public static ProductLibrary selected() {
        return selected;
    }

    /**
     * The choice of {@code RECURSA_GEMM}.
     *
     * @throws IllegalArgumentException in one line when the value is not a choice, or is {@code onednn} and oneDNN
     *                                  does not load here
     */
    public static ProductLibrary fromEnvironment() {
        return parse(System.getenv(VARIABLE), OneDnnGemm.loaded());
    }

    /**
     * The library that {@code value} chooses ({@code null} or blank: {@code auto}), given whether oneDNN loads.
     *
     * @throws IllegalArgumentException in one line, as {@link #fromEnvironment()}
     */
    static ProductLibrary parse(String value, boolean oneDnnLoads) {
        String choice = value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "auto":
                return oneDnnLoads ? ONEDNN : OPENBLAS;
            case "openblas":
                return OPENBLAS;
            case "onednn":
                if (!oneDnnLoads) {
                    throw new IllegalArgumentException(VARIABLE + "=" + value + ", but oneDNN's library does not load"
                            + " on this platform; use " + VARIABLE + "=auto or openblas");
                }
                return ONEDNN;
            default:
                throw new IllegalArgumentException(VARIABLE + "=" + value + " is not a choice; use auto, onednn or"
                        + " openblas");
        }
    }

    /** Makes {@code library} compute this process's products from now on. */
    public static void use(ProductLibrary library) {
        selected = library;
    }

    /**
     * What a run records: e.g. {@code oneDNN 2.7.1 sgemm (products of >= 262144 multiply-adds), OpenBLAS below},
     * or {@code OpenBLAS}.
     */
    public String describe() {
        return this == ONEDNN
                ? "oneDNN " + OneDnnGemm.version() + " sgemm (products of >= " + ONEDNN_MIN_WORK
                + " multiply-adds), OpenBLAS below"
                : "OpenBLAS";
    }

    /** Whether this library sends an (m, n, k) product to oneDNN. */
    boolean oneDnnComputes(int m, int n, int k) {
        return this == ONEDNN && (long) m * n * k >= ONEDNN_MIN_WORK;
    }
}
