package org.recursa.sweep;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How many points run at once by default: one per core (each child computes on one kernel thread), fewer when the
 * machine's available memory does not hold that many runs.
 *
 * @param slots  how many at once
 * @param reason what decided it, for the sweep's first line
 */
public record Parallelism(int slots, String reason) {

    /**
     * What a child process takes beyond its model: the JVM's heap and code, Felix and the plugins, ND4J's native
     * libraries. A small run (d_model 16) measured 264 MB resident on Linux/x86-64; rounded up for headroom.
     */
    public static final long CHILD_BASE_BYTES = 400_000_000L;

    /** Share of the available memory the children may take together. */
    static final double MEMORY_SHARE = 0.8;

    /**
     * The default.
     *
     * @param points    points left to run (never more slots than that)
     * @param cores     available processors
     * @param available memory available on the machine, in bytes ({@link #availableMemory()}), or a negative value
     *                  when unknown
     * @param modelBytes what the largest run needs for its model, gradients, optimiser state and activations, as
     *                   the runtime estimates it before building a model, 0 when unknown
     */
    public static Parallelism choose(int points, int cores, long available, long modelBytes) {
        long perRun = perRunBytes(modelBytes);
        long byMemory = available < 0 ? Long.MAX_VALUE : (long) (available * MEMORY_SHARE / perRun);
        int slots = (int) Math.max(1, Math.min(Math.min(cores, byMemory), Math.max(1, points)));
        String memory = available < 0 ? "available memory unknown"
                : String.format(Locale.ROOT, "%.1f GB available, about %.1f GB per run", available / 1e9, perRun / 1e9);
        return new Parallelism(slots, slots + " at a time (" + cores + (cores == 1 ? " core, " : " cores, ") + memory
                + (points < Math.min(cores, byMemory) ? ", " + points + (points == 1 ? " point" : " points") + " to run"
                : "") + ")");
    }

    /**
     * What one run's process is estimated to take: {@link #CHILD_BASE_BYTES} plus twice the model's estimate (ND4J's
     * temporaries, as much again).
     */
    public static long perRunBytes(long modelBytes) {
        return CHILD_BASE_BYTES + 2 * Math.max(0, modelBytes);
    }

    /** {@code --parallel N}. */
    public static Parallelism given(int slots) {
        return new Parallelism(slots, slots + " at a time (--parallel)");
    }

    /**
     * Memory the machine can give to new processes without swapping: {@code MemAvailable} of {@code /proc/meminfo}
     * on Linux, else the free physical memory the JVM reports; negative when neither is known.
     */
    public static long availableMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JVM
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getFreeMemorySize();
        }
        return -1;
    }
}
