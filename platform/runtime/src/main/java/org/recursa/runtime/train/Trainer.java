package org.recursa.runtime.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.recursa.api.Config;
import org.recursa.api.decode.Sampler;
import org.recursa.api.task.Example;
import org.recursa.api.task.Split;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.EngineStart;
import org.recursa.engine.host.ProductPrecision;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.optim.AdamW;
import org.recursa.engine.optim.LrSchedule;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.TrainableModel;

/**
 * The training loop, the same for every architecture: batches from the run's finite training set, epoch by epoch,
 * task loss plus the model's auxiliary losses, AdamW on a schedule, evaluation on held-out test-id samples every N
 * steps, early stopping.
 */
public final class Trainer {

    /** Receives what happens, for progress display and the run's metrics file. */
    public interface Listener {
        /** After each optimiser step. */
        void onStep(StepMetrics metrics);

        /** After each evaluation. */
        void onEval(int step, Evaluation.Result result);
    }

    /**
     * One step's numbers.
     *
     * @param step            1-based step
     * @param loss            total loss (task + auxiliary)
     * @param taskLoss        cross-entropy on the answer tokens
     * @param auxLosses       weighted auxiliary losses by name, and {@code ce_<name>}, the unweighted cross-entropy of
     *                        each supervised output when the model supervises several
     * @param learningRate    the rate used
     * @param gradientNorm    global gradient norm before clipping
     * @param tokensPerSecond batch tokens (B x T) per second of this step
     * @param stats           the model's diagnostics, e.g. mean ACT depth
     * @param depth           the depth the step asked a recurrent model for (its curriculum's), or 0 for a
     *                        fixed-depth model
     * @param flops           training multiply-adds of the step (forward and backward, about three forward passes)
     *                        at that depth, over the batch's B x T tokens; for a fixed-depth model at its depth
     * @param fullDepthFlops  what the step would have cost at the model's full depth
     */
    public record StepMetrics(int step, double loss, double taskLoss, Map<String, Double> auxLosses,
                              double learningRate, double gradientNorm, double tokensPerSecond,
                              Map<String, Double> stats, int depth, double flops, double fullDepthFlops) {
    }

    /**
     * How training ended.
     *
     * @param steps        steps taken
     * @param stoppedEarly whether the accuracy target was reached
     * @param interrupted  whether the stop signal ended it
     * @param seconds      wall-clock time
     * @param flops          training multiply-adds of every step taken ({@link StepMetrics#flops})
     * @param fullDepthFlops what those steps would have cost at full depth
     * @param depthSteps     for a recurrent model, each depth its steps ran at and how many steps did, in order
     */
    public record Outcome(int steps, boolean stoppedEarly, boolean interrupted, double seconds, double flops,
                          double fullDepthFlops, Map<Integer, Integer> depthSteps) {
    }

    private static final long EVAL_STREAM = 0x6A09E667F3BCC909L;
    /** A training step costs about three forward passes: the forward, and a backward of twice its work. */
    private static final double TRAINING_PASSES = 3;

    private final TrainableModel model;
    private final BoundTask task;
    private final TrainingSet training;
    private final Sampler sampler;
    private final Config samplerConfig;
    private final TrainSettings settings;
    private final long seed;

    /** A trainer for one model on one task's training set. */
    public Trainer(TrainableModel model, BoundTask task, TrainingSet training, Sampler sampler, Config samplerConfig,
                   TrainSettings settings, long seed) {
        EngineStart.start();   // done by the host already; here for callers without one
        this.model = model;
        this.task = task;
        this.training = training;
        this.sampler = sampler;
        this.samplerConfig = samplerConfig;
        this.settings = settings.requireSupportedHere();
        this.seed = seed;
    }

    /**
     * The held-out sample evaluated after {@code step}: a fresh draw of test-id from its own stream at every
     * evaluation, with every training input rejected ({@link HeldOut}), so that {@code stop_patience} evaluations in
     * a row are independent evidence about inputs the model was not trained on. On one fixed sample, stopping at
     * the first evaluation that reads above {@code stop_at} picks the moment the model happens to suit that sample
     * (measured: mor on copy stopped at 0.996 and 0.998 on its fixed sample and scored 0.981 and 0.990 on the
     * held-out split).
     */
    public List<Example> validationSample(int step) {
        return HeldOut.draw(task, Split.TEST_ID, settings.evalExamples(), validationSeed(step), training);
    }

    /** The seed of the held-out sample after {@code step}, and of the sampler's choices on it. */
    private long validationSeed(int step) {
        return (seed ^ EVAL_STREAM) + step;
    }

    /**
     * Trains until the step budget, the accuracy target, or {@code stop}.
     *
     * @param stop polled before each step; true ends training cleanly (Ctrl-C)
     */
    public Outcome run(Listener listener, BooleanSupplier stop) {
        try (DataParallel passes = new DataParallel(model, TrainSettings.resolveThreads(settings.threads()))) {
            return run(passes, listener, stop);
        }
    }

    private Outcome run(DataParallel passes, Listener listener, BooleanSupplier stop) {
        long started = System.nanoTime();
        AdamW optimizer = new AdamW(model.parameters(), settings.adam());
        LrSchedule schedule = settings.schedule().equals("wsd")
                ? LrSchedule.warmupStableDecay(settings.learningRate(), settings.learningRate() / 10, settings.warmup(),
                settings.steps(), 0.2)
                : LrSchedule.cosine(settings.learningRate(), settings.learningRate() / 10, settings.warmup(),
                settings.steps());
        int step = 0;
        int evaluationsAtTarget = 0;
        double flops = 0;
        double fullDepthFlops = 0;
        Map<Integer, Integer> depthSteps = new LinkedHashMap<>();
        while (step < settings.steps()) {
            if (stop.getAsBoolean()) {
                return new Outcome(step, false, true, seconds(started), flops, fullDepthFlops, depthSteps);
            }
            StepMetrics metrics = step(passes, optimizer, schedule, step);
            flops += metrics.flops();
            fullDepthFlops += metrics.fullDepthFlops();
            if (metrics.depth() > 0) {
                depthSteps.merge(metrics.depth(), 1, Integer::sum);
            }
            listener.onStep(metrics);
            step++;
            if (step % settings.evalEvery() == 0 || step == settings.steps()) {
                Evaluation.Result result = Evaluation.run(model, task, sampler, samplerConfig, Split.TEST_ID,
                        validationSample(step), false, validationSeed(step));
                listener.onEval(step, result);
                evaluationsAtTarget = result.sequenceAccuracy() >= settings.stopAt() ? evaluationsAtTarget + 1 : 0;
                if (evaluationsAtTarget >= settings.stopPatience()) {
                    return new Outcome(step, true, false, seconds(started), flops, fullDepthFlops, depthSteps);
                }
            }
        }
        return new Outcome(step, false, false, seconds(started), flops, fullDepthFlops, depthSteps);
    }

    /** One step; its layer products in {@code train.precision}, evaluations between steps in float32. */
    private StepMetrics step(DataParallel passes, AdamW optimizer, LrSchedule schedule, int step) {
        try (Scratch scratch = Scratch.open("train"); ProductPrecision.Scope products = settings.precision().use()) {
            return stepInScratch(passes, optimizer, schedule, step);
        }
    }

    private StepMetrics stepInScratch(DataParallel passes, AdamW optimizer, LrSchedule schedule, int step) {
        long begin = System.nanoTime();
        List<Example> examples = training.batch(step, settings.batchSize());
        Encoding.Batch batch = Encoding.batch(task.vocabulary(), examples);
        int depth = 0;
        ForwardOptions options = null;
        long tokens = (long) batch.batch().batch() * batch.batch().length();
        double flops;
        double fullDepthFlops;
        if (model instanceof RecurrentModel recurrent) {
            depth = settings.curriculum().depthAt(step, settings.steps(), recurrent.defaultDepth());
            options = new ForwardOptions(depth, settings.supervision(), step, null);
            flops = TRAINING_PASSES * tokens * recurrent.flopsPerToken(depth);
            fullDepthFlops = TRAINING_PASSES * tokens * recurrent.flopsPerToken(recurrent.defaultDepth());
        } else {
            flops = TRAINING_PASSES * tokens * model.info().flopsPerToken();
            fullDepthFlops = flops;
        }
        DataParallel.Losses losses = passes.backward(batch, options);
        double learningRate = schedule.at(step);
        double norm = optimizer.step(learningRate);
        double elapsed = (System.nanoTime() - begin) / 1e9;
        return new StepMetrics(step + 1, losses.total(), losses.task(), losses.aux(), learningRate, norm,
                tokens / elapsed, losses.stats(), depth, flops, fullDepthFlops);
    }

    /**
     * The cross-entropy of the logits, or, when the pass supervises more than them (every recursion step,
     * LoopFormer's short trajectory), the sum of each supervised output's cross-entropy times its weight
     * ({@link Forward#supervised}).
     */
    public static Var taskLoss(Tape tape, Forward forward, int[] targets) {
        return DataParallel.taskLoss(tape, forward, targets, new LinkedHashMap<>());
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
