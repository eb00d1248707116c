package org.recursa.runtime.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Training progress for a person: a bar rewritten in place on a terminal, plain log lines otherwise (CI logs,
 * files), at most one per {@code plainEvery} steps.
 */
public final class Progress {

    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final int total;
    private final int plainEvery;
    private final long started = System.nanoTime();
    private long lastDraw;

    /**
     * @param terminal whether {@code out} is an interactive terminal
     */
    public Progress(PrintStream out, boolean terminal, int total) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.plainEvery = Math.max(1, total / 20);
    }

    /** Reports a finished step. */
    public void step(int step, double loss, double learningRate, double tokensPerSecond) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw < 100_000_000L && step != total) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) BAR * step / total);
            String bar = "=".repeat(filled) + (filled < BAR ? ">" : "") + " ".repeat(Math.max(0, BAR - filled - 1));
            out.printf(Locale.ROOT, "\rstep %d/%d [%s] loss %.4f lr %.1e %,.0f tok/s ETA %s   ", step, total, bar, loss,
                    learningRate, tokensPerSecond, eta(step, now));
            out.flush();
        } else if (step % plainEvery == 0 || step == total) {
            out.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.1e %,.0f tok/s ETA %s%n", step, total, loss,
                    learningRate, tokensPerSecond, eta(step, now));
        }
    }

    /** Reports an evaluation, on its own line. */
    public void note(String message) {
        if (terminal) {
            out.print("\r" + " ".repeat(100) + "\r");
        }
        out.println(message);
        out.flush();
    }

    private String eta(int step, long now) {
        if (step == 0) {
            return "?";
        }
        long remaining = (now - started) / step * (total - step);
        Duration d = Duration.ofNanos(remaining);
        return d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSecondsPart() + "s";
    }
}
