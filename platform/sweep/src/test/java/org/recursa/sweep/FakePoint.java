package org.recursa.sweep;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.recursa.runstore.RunStore;
import org.recursa.runstore.RunWriter;

/**
 * A stand-in for {@code recursa} in a child JVM, for the runner's tests: understands exactly what
 * {@link LocalSweepExecutor} starts, {@code --home H sweep run-point ID POINT}, and runs the point through the real
 * {@link PointCommand} (lock, run-store check), but instead of training it records a run of the point at once.
 * A file {@code H/behave-<point>} changes that: {@code fail} records a failed run and exits 1, {@code crash} creates
 * the run and halts without recording an outcome (as kill -9 would), {@code usage} exits 2 without a run,
 * {@code slow} waits a second before recording.
 */
public final class FakePoint {

    private FakePoint() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[1]);
        String id = args[4];
        String key = args[5];
        Sweep sweep = SweepStore.at(home.resolve("sweeps")).open(id);
        RunStore store = RunStore.at(home.resolve("runs"));
        PrintWriter out = new PrintWriter(System.out, true);
        Path behave = home.resolve("behave-" + key);
        String behaviour = Files.exists(behave) ? Files.readString(behave).trim() : "";
        int code = PointCommand.execute(sweep, key, store, out, (List<String> run) -> {
            SweepPoint point = sweep.plan().point(key);
            switch (behaviour) {
                case "fail" -> {
                    Runs.failed(store, sweep, point, "training failed: a test said so");
                    out.println("recursa: training failed: a test said so");
                    return 1;
                }
                case "crash" -> {
                    RunWriter writer = store.create(Runs.config(sweep, point), "copy-" + point.arch());
                    out.println("created " + writer.id());
                    Runtime.getRuntime().halt(137);
                    return 137;
                }
                case "usage" -> {
                    out.println("recursa: unknown setting 'nope'; valid settings: a test's");
                    return PointCommand.USAGE;
                }
                default -> { }
            }
            out.println("run " + Runs.finished(store, sweep, point, Runs.splits(point.seed())) + " finished");
            return 0;
        });
        System.exit(code);
    }

    /** The command that starts this class as {@code recursa} against {@code home}. */
    static List<String> command(Path home) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), FakePoint.class.getName(), "--home",
                home.toString());
    }
}
