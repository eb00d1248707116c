package org.recursa.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A child process for the crash test: indexes the runs of a home one at a time (one commit each) and prints
 * "indexed N" after each, so the test can kill it with SIGKILL in the middle of the work.
 */
public final class SlowIndexer {

    private SlowIndexer() {
    }

    /** {@code SlowIndexer <home>}. */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        try (RunIndex index = RunIndex.open(home.resolve("index"), Duration.ofSeconds(30), () -> { });
             Stream<Path> list = Files.list(home.resolve("runs"))) {
            int n = 0;
            for (Path dir : list.sorted().toList()) {
                index.index(dir);
                System.out.println("indexed " + ++n);
                System.out.flush();
                Thread.sleep(20);  // slow enough that the test kills it mid-way, never after the last run
            }
        }
        System.out.println("done");
    }
}
