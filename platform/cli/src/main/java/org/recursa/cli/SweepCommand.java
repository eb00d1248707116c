package org.recursa.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.recursa.api.task.Mode;
import org.recursa.runtime.UsageException;
import org.recursa.sweep.GridAxis;
import org.recursa.sweep.RandomAxis;
import org.recursa.sweep.Seeds;
import org.recursa.sweep.SweepSpec;
import org.recursa.sweep.SweepSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa sweep}: a grid or random search over settings and seeds, one child process per run; resumable. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a grid and/or random search over settings and seeds: every configuration once per seed, "
                + "each run a 'recursa run' in a child process, as many at once as the cores and memory allow. "
                + "The plan is kept in $RECURSA_HOME/sweeps/<id>/; a finished point is never run again, so a sweep "
                + "that was stopped or killed is continued with 'recursa sweep resume ID' (or the same command with "
                + "--id ID).",
            "", "Example: recursa sweep --task binary-successor --grid arch=vanilla,universal,mor "
                + "--grid arch.d_model=64,128 --seeds 1..5 --set train.steps=500"},
        subcommands = {SweepResumeCommand.class, SweepShowCommand.class, SweepListCommand.class,
                SweepPointCommand.class})
final class SweepCommand implements Callable<Integer> {

    @ParentCommand
    RecursaCommand root;

    @Spec
    private CommandSpec spec;

    /** The task of the main job in the README: a sweep of architectures or settings needs no more to start. */
    static final String DEFAULT_TASK = "binary-successor";

    @Option(names = "--task", paramLabel = "ID", defaultValue = DEFAULT_TASK,
            description = "Task id (default: ${DEFAULT-VALUE}).")
    private String task;

    @Option(names = "--arch", paramLabel = "ID", description = "Architecture, unless swept with --grid arch=...")
    private String arch;

    @Option(names = "--sampler", defaultValue = "greedy", paramLabel = "ID",
            description = "Sampler used for evaluation (default: ${DEFAULT-VALUE}).")
    private String sampler;

    @Option(names = "--mode", defaultValue = "io", paramLabel = "io|trace",
            description = "What the runs learn (default: ${DEFAULT-VALUE}).")
    private String mode;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (same as --set train.steps=N).")
    private Integer steps;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A setting every run gets, as for 'recursa run'.")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--grid", paramLabel = "KEY=V1,V2,...",
            description = "Sweep a key over these values (repeat for a cartesian product); the key 'arch' sweeps the "
                    + "architecture, e.g. --grid arch=vanilla,universal --grid arch.d_model=64,128.")
    private List<String> grid = new ArrayList<>();

    @Option(names = "--random", paramLabel = "KEY=DISTRIBUTION",
            description = "Draw a key --trials times: uniform:LOW:HIGH, loguniform:LOW:HIGH, int:LOW:HIGH or "
                    + "choice:A,B,...; e.g. --random train.lr=loguniform:1e-4:1e-2 --trials 8.")
    private List<String> random = new ArrayList<>();

    @Option(names = "--trials", paramLabel = "N", defaultValue = "0", description = "Random draws (with --random).")
    private int trials;

    @Option(names = "--sample-seed", paramLabel = "S", defaultValue = "1",
            description = "Seeds the random draws; the same command draws the same values (default: ${DEFAULT-VALUE}).")
    private long sampleSeed;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "1",
            description = "Run seeds of every configuration: 1..5, 1,3,7 or 1..3,9 (default: ${DEFAULT-VALUE}).")
    private String seeds;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Runs at once (default: one per core, fewer if memory is short).")
    private Integer parallel;

    @Mixin
    private SweepExecutorOptions executor;

    @Option(names = "--id", paramLabel = "ID",
            description = "The sweep's id; when that sweep exists with the same points, it is resumed.")
    private String id;

    @Override
    public Integer call() {
        try {
            Mode.of(mode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--mode: " + e.getMessage());
        }
        SweepSession.checkParallel(spec.commandLine(), parallel);
        SweepSession.Spark spark = SweepSession.Spark.of(executor, spec.commandLine());
        Map<String, String> all = new LinkedHashMap<>(settings);
        if (steps != null) {
            all.put("train.steps", Integer.toString(steps));
        }
        SweepSpec sweep;
        try {
            sweep = new SweepSpec(task, mode, sampler, arch, all, grid.stream().map(GridAxis::parse).toList(),
                    random.stream().map(RandomAxis::parse).toList(), trials, sampleSeed, Seeds.parse(seeds));
        } catch (SweepSyntaxException e) {
            throw new UsageException(e.getMessage(), e);
        }
        return SweepSession.start(root, spec.commandLine().getOut(), sweep, id, parallel, spark);
    }
}
