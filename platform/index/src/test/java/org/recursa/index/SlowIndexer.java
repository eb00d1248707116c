package org.recursa.index;

import java.nio.file.Path;
import java.time.Duration;
import org.recursa.runstore.RunStore;

/**
 * The indexer process of the crash tests, a real JVM the test kills with SIGKILL mid-way: {@code SlowIndexer
 * rebuild|catchup <home>} opens {@code <home>/index} for writing, prints {@code open}, rebuilds it from (or
 * catches it up with) {@code <home>/runs}, and prints {@code done <indexed>}. The test makes it slow where it wants
 * it stopped: one run's summary is a named pipe, so reading it blocks until the test lets go (or kills it).
 */
public final class SlowIndexer {

    private SlowIndexer() {
    }

    /** See the class comment. */
    public static void main(String[] args) {
        Path home = Path.of(args[1]);
        RunStore store = RunStore.at(home.resolve("runs"));
        try (RunIndex index = LuceneRunIndex.open(home.resolve("index"), Duration.ofSeconds(30), () -> { })) {
            System.out.println("open");
            System.out.flush();
            RunIndex.Sync sync = args[0].equals("rebuild") ? index.rebuild(store, s -> { })
                    : index.catchUp(store, s -> { });
            System.out.println("done " + sync.indexed());
        }
    }
}
