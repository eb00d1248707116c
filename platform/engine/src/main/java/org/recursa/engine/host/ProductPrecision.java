package org.recursa.engine.host;

import java.util.List;

/**
 * The number format of the layer products ({@link org.recursa.engine.ops.Linear}) on the calling thread: float32,
 * or bf16 operands with float32 results ({@code train.precision=bf16}). Weights, gradients, optimiser state and
 * every other op stay float32 either way. Per thread, because the trainer turns bf16 on for its training steps only
 * (evaluation and decoding stay float32, as they would on a model saved from a float32 run) and a worker thread
 * that computes part of a step opens the same scope.
 */
public enum ProductPrecision {
    FLOAT32("float32"),
    BF16("bf16");

    /** The setting's values, in the order help lists them. */
    public static final List<String> NAMES = List.of(FLOAT32.id, BF16.id);

    private static final ThreadLocal<ProductPrecision> CURRENT = ThreadLocal.withInitial(() -> FLOAT32);

    private final String id;

    ProductPrecision(String id) {
        this.id = id;
    }

    /** The setting's value: {@code float32} or {@code bf16}. */
    public String id() {
        return id;
    }

    /** The precision named {@code id}; callers validate against {@link #NAMES} first. */
    public static ProductPrecision of(String id) {
        for (ProductPrecision precision : values()) {
            if (precision.id.equals(id)) {
                return precision;
            }
        }
        throw new IllegalArgumentException("precision " + id + " is not one of " + NAMES);
    }

    /** The calling thread's product precision. */
    public static ProductPrecision current() {
        return CURRENT.get();
    }

    /**
     * Computes this thread's products in {@code this} precision until the returned scope closes, which restores
     * the previous one. bf16 needs a CPU that has it: check {@link Bf16Support#missingHere()} first.
     */
    public Scope use() {
        ProductPrecision previous = CURRENT.get();
        CURRENT.set(this);
        return () -> CURRENT.set(previous);
    }

    /** A precision in force on one thread; closing it restores the one before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
