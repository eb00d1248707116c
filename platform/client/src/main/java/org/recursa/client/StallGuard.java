package org.recursa.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a response body that has delivered nothing for a while, so that the blocked read fails instead of hanging: a
 * server (or a man in the middle) that sends the headers and then trickles or stops would otherwise hold a command
 * forever. A watchdog thread checks the time of the last byte once a second (or more often for short timeouts).
 */
final class StallGuard implements AutoCloseable {

    private final InputStream in;
    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private final AtomicBoolean tripped = new AtomicBoolean();
    private final ScheduledExecutorService watchdog;

    StallGuard(InputStream in, Duration timeout) {
        this.in = in;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "download-stall-guard");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgress.get() > timeout.toNanos() && tripped.compareAndSet(false, true)) {
                try {
                    in.close();
                } catch (IOException e) {
                    // the read it unblocks reports the stall
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** The body, noting the time of every read that returns bytes. */
    InputStream stream() {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastProgress.set(System.nanoTime());
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                lastProgress.set(System.nanoTime());
                return n;
            }
        };
    }

    /** Whether the body was cut off for stalling. */
    boolean tripped() {
        return tripped.get();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
