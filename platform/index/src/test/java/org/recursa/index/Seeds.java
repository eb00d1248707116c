package org.recursa.index;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds for randomized tests: a fresh one per run, or the one given as {@code -Dtests.seed=N} to replay a
 * failure. Every randomized assertion names its seed.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed for this run. */
    public static long seed() {
        String given = System.getProperty("tests.seed");
        return given != null && !given.isBlank() ? Long.parseLong(given.trim()) : ThreadLocalRandom.current().nextLong();
    }
}
