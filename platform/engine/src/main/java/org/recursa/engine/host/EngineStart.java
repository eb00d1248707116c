package org.recursa.engine.host;

import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.kernel.ProductLibrary;

/**
 * Loads the ND4J backend and sets the kernel thread count and the products library, once per process. The host
 * calls {@link #start()} before any plugin starts: ND4J finds its backend with {@code ServiceLoader} and the
 * thread's context class loader, which inside a bundle's thread is the bundle's and cannot see the backend; and
 * native code can be loaded by one class loader only, the host's.
 */
public final class EngineStart {

    private static boolean started;

    private EngineStart() {
    }

    /**
     * Starts the engine if this process has not yet.
     *
     * @throws IllegalArgumentException if {@code RECURSA_KERNEL_THREADS} is not a thread count or
     *                                  {@code RECURSA_GEMM} not a choice ({@link ProductLibrary})
     */
    public static synchronized void start() {
        if (started) {
            return;
        }
        int threads = Threads.configured();
        ProductLibrary products = ProductLibrary.fromEnvironment();
        Nd4j.getBackend();
        Threads.use(threads);
        ProductLibrary.use(products);
        started = true;
    }
}
