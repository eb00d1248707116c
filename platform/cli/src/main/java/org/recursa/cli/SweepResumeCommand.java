package org.recursa.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa sweep resume ID}: runs the points of a sweep that are not done. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a sweep: run its points that have no finished run (failed, crashed and interrupted "
                + "ones again), and wait for those another process is running.")
final class SweepResumeCommand implements Callable<Integer> {

    @ParentCommand
    private SweepCommand sweep;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Sweep id (or a unique prefix).")
    private String id;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Runs at once (default: one per core, fewer if memory is short).")
    private Integer parallel;

    @Mixin
    private SweepExecutorOptions executor;

    @Override
    public Integer call() {
        SweepSession.checkParallel(spec.commandLine(), parallel);
        SweepSession.Spark spark = SweepSession.Spark.of(executor, spec.commandLine());
        return SweepSession.resume(sweep.root, spec.commandLine().getOut(), id, parallel, spark);
    }
}
