package org.recursa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.recursa.client.DownloadProgress;

/**
 * A download progress bar on the terminal, redrawn in place on standard error at most ten times a second, e.g.
 * {@code recursa-arch-mor 0.1.0  [##########..........]  52%  140.2 KiB / 270.0 KiB}. When standard error is not a
 * terminal (a pipe, a log, a test) it draws nothing, as curl and pip do: the plan and the result lines say what
 * happened.
 */
final class ProgressBar implements DownloadProgress, AutoCloseable {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private String current;
    private long lastDraw;

    private ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** A bar on {@code err} if the process has a terminal, otherwise one that draws nothing. */
    static ProgressBar onConsole(PrintWriter err) {
        return new ProgressBar(err, System.console() != null);
    }

    @Override
    public void advanced(String what, long done, long total) {
        if (!enabled) {
            return;
        }
        boolean finished = done >= total;
        long now = System.nanoTime();
        if (!what.equals(current)) {
            finishLine();
            current = what;
        } else if (!finished && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        err.print("\r" + line(what, done, total));
        err.flush();
    }

    /** One frame of the bar. */
    static String line(String what, long done, long total) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        return what + "  [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]  "
                + String.format(Locale.ROOT, "%3d%%", Math.round(fraction * 100)) + "  " + bytes(done) + " / "
                + bytes(total);
    }

    /** A size for people: bytes, KiB or MiB with one decimal. */
    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        if (count < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", count / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", count / (1024.0 * 1024));
    }

    private void finishLine() {
        if (current != null) {
            err.println();
            err.flush();
        }
    }

    @Override
    public void close() {
        if (enabled) {
            finishLine();
        }
    }
}
