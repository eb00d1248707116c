package org.recursa.engine.host;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many threads ND4J's kernels use. The engine's ops are small (a few hundred thousand elements), so on a
 * small machine the OpenMP and OpenBLAS thread pools spend more time handing work over and spinning at barriers
 * than computing: on 2 cores a training step runs about twice as fast with one kernel thread (see
 * docs/benchmarks.md). The host calls {@link #use(int)} once at start.
 */
public final class Threads {

    /** The environment variable that overrides the kernel thread count, as OpenMP's own does. */
    public static final String VARIABLE = "RECURSA_KERNEL_THREADS";

    /** The count of the last {@link #use}, for threads that compute after it ({@link #applyToThisThread}). */
    private static volatile int current = 1;
    /** The OpenMP count each thread last gave itself, 0 before it did. */
    private static final ThreadLocal<int[]> APPLIED = ThreadLocal.withInitial(() -> new int[1]);

    private Threads() {
    }

    /** {@code RECURSA_KERNEL_THREADS} if set, else 1. */
    public static int configured() {
        return fromEnvironment(VARIABLE).orElse(1);
    }

    /**
     * The thread count the environment variable {@code name} sets, or empty when it is unset or blank.
     *
     * @throws IllegalArgumentException in one line naming the variable, when its value is not a whole number >= 1
     */
    public static java.util.OptionalInt fromEnvironment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return java.util.OptionalInt.empty();
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return java.util.OptionalInt.of(threads);
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(name + "=" + value + " is not a thread count; use a whole number >= 1");
    }

    /** Sets OpenMP, libnd4j and OpenBLAS thread counts for this process. */
    public static void use(int threads) {
        // The environment first: it loads the backend, which NativeOpsHolder needs to find its native library.
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        current = threads;
        APPLIED.get()[0] = threads;
    }

    /**
     * Gives the calling thread the OpenMP thread count of the last {@link #use}. OpenMP keeps that count per
     * thread: a thread other than the one that called {@code use} would run oneDNN's bf16 products (which
     * parallelise with OpenMP, the library ND4J loaded) on every core of the machine.
     */
    public static void applyToThisThread() {
        int threads = current;
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        APPLIED.get()[0] = threads;
    }

    /**
     * {@link #applyToThisThread} unless this thread already runs with the current count: cheap enough to call
     * before every OpenMP-parallel native call on threads the engine does not own (decoding, a server's).
     */
    public static void matchThisThread() {
        if (APPLIED.get()[0] != current) {
            applyToThisThread();
        }
    }
}
