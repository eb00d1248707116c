package org.recursa.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.recursa.api.task.Mode;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.RecursaHome;
import org.recursa.runtime.RecursaHost;
import org.recursa.runtime.UsageException;
import org.recursa.runtime.run.RunCheck;
import org.recursa.runtime.run.RunRequest;
import org.recursa.sweep.Configuration;
import org.recursa.sweep.LocalSweepExecutor;
import org.recursa.sweep.Parallelism;
import org.recursa.sweep.Sweep;
import org.recursa.sweep.SweepException;
import org.recursa.sweep.SweepExecutor;
import org.recursa.sweep.SweepPlanner;
import org.recursa.sweep.SweepRunner;
import org.recursa.sweep.SweepSpec;
import org.recursa.sweep.SweepState;
import org.recursa.sweep.SweepStore;
import org.recursa.sweep.SweepSyntaxException;
import org.recursa.sweep.UnknownSweepException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What {@code recursa sweep} and {@code sweep resume} share: every configuration is checked in a host the way
 * {@code recursa run} checks it (ids, settings through the same routing, model sizes) before any run starts; then
 * the host is closed and the points run as child processes of this JVM's own class path ({@link #recursaCommand}).
 */
final class SweepSession {

    private SweepSession() {
    }

    /**
     * {@code --executor spark}: where Spark's master is, and where the tasks write finished runs (null: back to
     * this process).
     */
    record Spark(String master, String runsUri) {

        /** The choice of the options; null for the local executor. */
        static Spark of(SweepExecutorOptions options, CommandLine line) {
            return options.spark(line) ? new Spark(options.master, options.runsUri) : null;
        }
    }

    static void checkParallel(CommandLine line, Integer parallel) {
        if (parallel != null && parallel < 1) {
            throw new ParameterException(line, "--parallel must be at least 1, got " + parallel);
        }
    }

    /** Creates the sweep (or, with the id of one planning the same points, resumes it) and runs it. */
    static int start(RecursaCommand root, PrintWriter out, SweepSpec spec, String id, Integer parallel,
                     Spark spark) {
        RecursaHome home = RecursaHome.resolve(root.home(), System.getenv());
        List<Configuration> configurations = SweepPlanner.configurations(spec);
        long modelBytes = check(root, spec, configurations);
        SweepStore.Created created;
        try {
            created = SweepStore.at(home.sweeps()).create(id, spec, Instant.now());
        } catch (SweepSyntaxException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (SweepException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        Sweep sweep = created.sweep();
        out.println((created.existed() ? "resuming sweep " + sweep.id() + ", which plans the same points"
                : "created sweep " + sweep.id()) + "; plan in " + sweep.dir());
        out.flush();
        return execute(home, out, sweep, parallel, modelBytes, spark);
    }

    /** Runs the points of an existing sweep that are not done. */
    static int resume(RecursaCommand root, PrintWriter out, String id, Integer parallel, Spark spark) {
        RecursaHome home = RecursaHome.resolve(root.home(), System.getenv());
        Sweep sweep = open(home, id);
        SweepSpec spec = sweep.plan().spec();
        long modelBytes = check(root, spec, SweepPlanner.configurations(spec));
        out.println("resuming sweep " + sweep.id() + "; plan in " + sweep.dir());
        out.flush();
        return execute(home, out, sweep, parallel, modelBytes, spark);
    }

    /** Opens a sweep by id or prefix; an unknown one is a usage error. */
    static Sweep open(RecursaHome home, String id) {
        try {
            return SweepStore.at(home.sweeps()).open(id);
        } catch (UnknownSweepException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (SweepException e) {
            throw new RecursaException(e.getMessage(), e);
        }
    }

    /**
     * Checks every configuration in a host and returns the largest estimated training memory (0 when no
     * architecture sizes its models).
     *
     * @throws UsageException naming the configuration and, as {@code recursa run} would, what is wrong with it
     */
    private static long check(RecursaCommand root, SweepSpec spec, List<Configuration> configurations) {
        long largest = 0;
        try (RecursaHost host = HostSession.open(root)) {
            for (Configuration configuration : configurations) {
                RunRequest request = new RunRequest(spec.task(), configuration.arch(), spec.sampler(),
                        configuration.settings(), spec.seeds().get(0), Mode.of(spec.mode()), Map.of(), null);
                try {
                    largest = Math.max(largest, RunCheck.check(host, request).orElse(0));
                } catch (UsageException e) {
                    throw new UsageException(configurations.size() == 1 ? e.getMessage()
                            : "configuration '" + configuration.label() + "': " + e.getMessage(), e);
                }
            }
        }
        return largest;
    }

    private static int execute(RecursaHome home, PrintWriter out, Sweep sweep, Integer parallel, long modelBytes,
                               Spark spark) {
        SweepExecutor executor;
        if (spark != null) {
            executor = SparkLoader.open(sparkOptions(home, spark, parallel, modelBytes), home.runStore());
            out.println("running on " + executor + ", " + executor.slots() + (executor.slots() == 1 ? " task slot"
                    : " task slots") + " now; logs in "
                    + sweep.dir().resolve("logs"));
        } else {
            int left = (int) SweepState.of(sweep, home.runStore()).stream()
                    .filter(p -> p.state() != SweepState.State.DONE).count();
            Parallelism slots = parallel != null ? Parallelism.given(parallel)
                    : Parallelism.choose(left, Runtime.getRuntime().availableProcessors(),
                    Parallelism.availableMemory(), modelBytes);
            out.println("running " + slots.reason() + "; logs in " + sweep.dir().resolve("logs"));
            executor = new LocalSweepExecutor(recursaCommand(home), Map.of(), slots.slots());
        }
        out.flush();
        SweepRunner runner = new SweepRunner(sweep, home.runStore(), executor, out);
        Thread hook = new Thread(() -> {
            runner.stop();
            executor.close(); // Ctrl-C or SIGTERM: the children record their runs as interrupted
            out.println("sweep " + sweep.id() + " stopped; 'recursa sweep resume " + sweep.id() + "' continues it");
            out.flush();
        }, "recursa-sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        SweepRunner.Result result;
        try {
            result = runner.run();
        } catch (SweepException e) {
            executor.close();
            throw new RecursaException(e.getMessage(), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the children
            }
        }
        executor.close();
        if (!result.complete()) {
            throw new RecursaException(result.counts().failed() + result.counts().pending() == 0
                    ? "sweep " + sweep.id() + " is not complete: " + result.counts()
                    : (result.failed().isEmpty() ? "" : result.failed().size() + " of " + result.counts().total()
                    + " points failed; ") + "'recursa sweep resume " + sweep.id() + "' runs the points that are not "
                    + "done");
        }
        return 0;
    }

    /**
     * What the Spark executor gets: the master, this process's class path (the distribution's {@code lib/}, shipped
     * to the executors), the home's installed plugins, the per-run memory estimate (each child's heap) and this
     * JVM's options for the children (less a debugger agent, heap sizes and the distribution).
     */
    private static Map<String, String> sparkOptions(RecursaHome home, Spark spark, Integer parallel,
                                                    long modelBytes) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("master", spark.master());
        if (spark.runsUri() != null) {
            options.put("runs-uri", spark.runsUri());
        }
        if (parallel != null) {
            options.put("parallel", parallel.toString());
        }
        options.put("run-bytes", Long.toString(Parallelism.perRunBytes(modelBytes)));
        options.put("class-path", System.getProperty("java.class.path"));
        options.put("plugins", home.plugins().toString());
        options.put("jvm-options", String.join("\n", ManagementFactory.getRuntimeMXBean().getInputArguments()
                .stream().filter(o -> !o.startsWith("-agentlib:jdwp") && !o.startsWith("-Xrunjdwp")
                        && !o.equals("-Xdebug") && !o.startsWith("-Xmx") && !o.startsWith("-Xms")
                        && !o.startsWith("-D" + HostSession.DISTRIBUTION_PROPERTY + "=")).toList()));
        return options;
    }

    /**
     * The command that starts {@code recursa} as this process was started: the same Java, JVM options and class
     * path, the distribution ({@link HostSession#DISTRIBUTION_PROPERTY}) and the home. A debugger agent is left out
     * (its port is taken).
     */
    static List<String> recursaCommand(RecursaHome home) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp") || option.equals("-Xdebug")
                    || option.startsWith("-D" + HostSession.DISTRIBUTION_PROPERTY + "=")) {
                continue;
            }
            command.add(option);
        }
        String distribution = System.getProperty(HostSession.DISTRIBUTION_PROPERTY);
        if (distribution != null) {
            command.add("-D" + HostSession.DISTRIBUTION_PROPERTY + "=" + distribution);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", home.root().toString()));
        return command;
    }
}
