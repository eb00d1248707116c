package org.recursa.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Ctrl-C stops training cleanly: a shutdown hook raises the stop flag the trainer polls between steps and holds the
 * JVM (up to a minute) until the work has recorded the run as interrupted.
 */
final class StopOnInterrupt {

    private StopOnInterrupt() {
    }

    /** Runs {@code work} with a stop flag that Ctrl-C raises. */
    static <T> T run(Function<BooleanSupplier, T> work) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                written.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "recursa-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.apply(stop::get);
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is waiting for the latch released above
            }
        }
    }
}
