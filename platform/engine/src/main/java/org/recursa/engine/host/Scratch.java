package org.recursa.engine.host;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scratch memory for one forward/backward pass: every array created while a scratch is open comes from one
 * ND4J workspace block that is reused by the next pass, instead of a fresh native allocation per op.
 * Measured on the reference model, native allocation was three quarters of the step time without it
 * (docs/benchmarks.md).
 *
 * <p>Arrays created inside a scratch are invalid once it closes: extract numbers ({@code getDouble},
 * {@code toFloatVector}) before closing, and create anything that must live longer (parameters, optimiser
 * state) outside.
 */
public final class Scratch implements AutoCloseable {

    // Learn the block size from the first pass and keep it; a later pass that needs more spills the excess to
    // ordinary allocations, freed when the scratch closes. (Re-learning on every spill re-allocates and zeroes the
    // whole block, hundreds of megabytes, at every close.)
    private static final WorkspaceConfiguration CONFIGURATION = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.25)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.EXTERNAL)
            .build();

    private final MemoryWorkspace workspace;

    private Scratch(MemoryWorkspace workspace) {
        this.workspace = workspace;
    }

    /**
     * Opens the scratch named {@code name} on this thread; passes of the same kind should share a name so that
     * they share the learned block size.
     */
    public static Scratch open(String name) {
        return new Scratch(Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIGURATION, "recursa-" + name));
    }

    /** Runs {@code action} with allocations outside any scratch (for arrays that must outlive it). */
    public static <T> T outside(java.util.function.Supplier<T> action) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return action.get();
        }
    }

    @Override
    public void close() {
        workspace.close();
    }
}
