package org.recursa.engine.host;

import org.recursa.engine.Parameter;

/**
 * Per-worker gradient buffers for data-parallel training: several threads run forward and backward passes over
 * shards of one batch on the same model at once, and each adds its parameter gradients into its own slot, so that
 * no two threads ever add into the same buffer. The host then {@link #reduce reduces} the slots into slot 0, the
 * one the optimiser reads, always in slot order, so that a fixed number of workers gives bit-identical results.
 *
 * <p>A thread computes into slot 0 unless it {@link #bind binds} another. Like {@link Gradients}, this is the
 * host's machinery, not part of the public contract: a plugin's op reads and adds gradients through {@link
 * org.recursa.engine.Var#grad()} and {@link org.recursa.engine.Var#accumulate} and lands in the right slot
 * without knowing.
 */
public final class GradientSlots {

    /** What {@link Parameter} lets this class do; installed once by {@link Parameter} itself. */
    public interface Access {

        /** Makes sure {@code parameter} has at least {@code slots} gradient buffers (slot 0 always exists). */
        void reserve(Parameter parameter, int slots);

        /** Adds slots 1.. into slot 0, in slot order, and clears them. */
        void reduce(Parameter parameter);
    }

    private static final ThreadLocal<int[]> BOUND = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile Access access;

    private GradientSlots() {
    }

    /**
     * Called once, by {@link Parameter}'s class initialiser.
     *
     * @throws IllegalStateException on a second call
     */
    public static synchronized void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("gradient slot access is installed already");
        }
        access = implementation;
    }

    /** The slot this thread's backward passes add parameter gradients into. */
    public static int current() {
        return BOUND.get()[0];
    }

    /**
     * Binds this thread to {@code slot} until the next call; a worker binds once, when it starts.
     *
     * @throws IllegalArgumentException if {@code slot} is negative
     */
    public static void bind(int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("gradient slot " + slot + " is negative");
        }
        BOUND.get()[0] = slot;
    }

    /** {@link Access#reserve}; call it before workers start, on the thread that owns the model. */
    public static void reserve(Parameter parameter, int slots) {
        ensureInstalled();
        access.reserve(parameter, slots);
    }

    /** {@link Access#reduce}; call it after every worker has finished its backward pass. */
    public static void reduce(Parameter parameter) {
        ensureInstalled();
        access.reduce(parameter);
    }

    private static void ensureInstalled() {
        if (access == null) {
            try {
                // Parameter installs the access in its class initialiser.
                Class.forName(Parameter.class.getName(), true, Parameter.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
