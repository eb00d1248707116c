package org.recursa.runtime.run;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.bytedeco.javacpp.Pointer;
import org.recursa.api.Config;
import org.recursa.api.model.Architecture;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Precision;
import org.recursa.runtime.RecursaException;

/**
 * What a run will need in memory, estimated before its model is built, so that a model that cannot fit is refused
 * in one line instead of dying in an OutOfMemoryError half-way through allocating it. The tensors live off-heap
 * (ND4J through JavaCPP), so the bound that matters is JavaCPP's: {@link Pointer#maxBytes()} for the tensors and
 * {@link Pointer#maxPhysicalBytes()} for the whole process, and the machine's free memory.
 *
 * <p>Training keeps four values per parameter (the weight, its gradient and AdamW's two moments) and, per token of
 * a batch, the activations the architecture reports plus as many gradients of them.
 *
 * @param parameters          the exact parameter count ({@link Architecture#parameterCount})
 * @param activationsPerToken values kept per token for the backward pass ({@link Architecture#activationsPerToken})
 * @param tokens              batch size times maximum length
 * @param bytesPerValue       4 for float32
 */
public record MemoryBudget(long parameters, long activationsPerToken, long tokens, int bytesPerValue) {

    private static final double GB = 1e9;

    /** The budget of a run, if the architecture can size its model (third-party ones need not). */
    static Optional<MemoryBudget> of(Architecture architecture, ModelSpec spec, Config settings, int batchSize) {
        OptionalLong parameters = architecture.parameterCount(spec, settings);
        if (parameters.isEmpty()) {
            return Optional.empty();
        }
        long activations = architecture.activationsPerToken(spec, settings).orElse(0);
        return Optional.of(new MemoryBudget(parameters.getAsLong(), activations, (long) batchSize * spec.maxLength(),
                Precision.dataType().width()));
    }

    /** Bytes of the weights alone. */
    public long weightBytes() {
        return saturating(parameters, bytesPerValue);
    }

    /** Bytes of the weights, their gradients and AdamW's two moments. */
    public long parameterStateBytes() {
        return saturating(weightBytes(), 4);
    }

    /** Bytes of one step's activations and their gradients. */
    public long activationBytes() {
        return saturating(saturating(saturating(activationsPerToken, tokens), 2), bytesPerValue);
    }

    /** Everything training holds at once. */
    public long trainingBytes() {
        long sum = parameterStateBytes() + activationBytes();
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Refuses the run if it cannot fit in what this process may allocate now.
     *
     * @param architecture the architecture's id, for the message
     * @throws RecursaException one line with the estimate and what is available
     */
    void check(String architecture) {
        Available available = Available.now();
        if (trainingBytes() <= available.bytes()) {
            return;
        }
        throw new RecursaException(String.format(Locale.ROOT, "%s with these settings needs about %s to train "
                        + "(%,d parameters: %s of weights, x4 with gradients and AdamW state, plus %s of activations for "
                        + "%,d tokens per batch) but %s is available (%s); make the model or batch_size smaller, "
                        + "or give the JVM more memory (RECURSA_JAVA_OPTS: -Xmx, -Dorg.bytedeco.javacpp.maxbytes)",
                architecture, size(trainingBytes()), parameters, size(weightBytes()), size(activationBytes()), tokens,
                size(available.bytes()), available.describe()));
    }

    /**
     * What the process may still allocate: the least of JavaCPP's off-heap room, its room for the whole process,
     * and the machine's free memory.
     */
    record Available(long offHeap, long physical, long machine, long heap) {

        static Available now() {
            long maxBytes = Pointer.maxBytes();
            long maxPhysical = Pointer.maxPhysicalBytes();
            long offHeap = maxBytes > 0 ? Math.max(0, maxBytes - Pointer.totalBytes()) : Long.MAX_VALUE;
            long physical = maxPhysical > 0 ? Math.max(0, maxPhysical - Pointer.physicalBytes()) : Long.MAX_VALUE;
            long free = Pointer.availablePhysicalBytes();
            long machine = free > 0 ? free : Long.MAX_VALUE;
            return new Available(offHeap, physical, machine, Runtime.getRuntime().maxMemory());
        }

        long bytes() {
            return Math.min(offHeap, Math.min(physical, machine));
        }

        String describe() {
            return "off-heap " + limit(offHeap) + " (JavaCPP maxbytes), process " + limit(physical)
                    + " (JavaCPP maxphysicalbytes), free on the machine " + limit(machine) + ", heap " + limit(heap) + " (-Xmx)";
        }

        private static String limit(long bytes) {
            return bytes == Long.MAX_VALUE ? "unlimited" : size(bytes);
        }
    }

    static String size(long bytes) {
        if (bytes >= 1e12) {
            return String.format(Locale.ROOT, "%.1f TB", bytes / 1e12);
        }
        if (bytes >= GB) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / GB);
        }
        return String.format(Locale.ROOT, "%.0f MB", Math.ceil(bytes / 1e6));
    }

    private static long saturating(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }
}
