package org.recursa.index;

import java.nio.file.Path;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;

/**
 * A process that owns a run and never ends it, for the test that kills it with SIGKILL: {@code OwnedRun <runs>}
 * creates a run, writes the proof artifacts of one split (as a run being evaluated has), prints {@code id <id>},
 * and blocks.
 */
public final class OwnedRun {

    private OwnedRun() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws InterruptedException {
        RunWriter writer = RunFixtures.open(RunStore.at(Path.of(args[0])), "universal");
        writer.artifacts("test-ood-carry", RunFixtures.artifacts(writer.id(), "universal", java.util.List.of(6, 7)));
        System.out.println("id " + writer.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
