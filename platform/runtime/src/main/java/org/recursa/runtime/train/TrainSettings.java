package org.recursa.runtime.train;

import org.recursa.api.Config;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;
import org.recursa.engine.host.Bf16Support;
import org.recursa.engine.host.ProductPrecision;
import org.recursa.engine.host.Threads;
import org.recursa.engine.optim.AdamW;
import org.recursa.engine.train.Supervision;
import org.recursa.runtime.UsageException;

/**
 * The trainer's settings, resolved from {@link #SCHEMA} (keys {@code train.*} on the command line).
 *
 * @param steps          optimiser steps at most
 * @param examples       size of the training set drawn once per run (0: the task's
 *                       {@link org.recursa.api.task.Task#trainingExamples default}; a prepared run records the
 *                       resolved number)
 * @param batchSize      examples per step, sampled from the training set
 * @param learningRate   peak learning rate
 * @param warmup         warmup steps
 * @param schedule       {@code cosine} or {@code wsd}
 * @param evalEvery      steps between evaluations on test-id
 * @param evalExamples   examples per evaluation split
 * @param stopAt         stop early once test-id sequence accuracy reaches this (1.0 waits for perfection; >1 never)
 * @param stopPatience   evaluations in a row that must reach {@code stopAt}: one lucky evaluation sample (a few
 *                       hundred examples) can read above the target while the model is still just below it
 * @param adam           optimiser constants
 * @param curriculum     the depth of each step for recurrent models ({@link DepthCurriculum})
 * @param supervision    every recursion step supervised with these weights, or null for the final output only
 * @param threads        data-parallel worker threads, each a shard of every batch ({@link DataParallel}); 0 until
 *                       resolved ({@link #resolveThreads}), which a prepared run records
 * @param precision      the number format of the training steps' layer products (float32 or bf16 operands; weights,
 *                       gradients and optimiser state are float32 either way)
 */
public record TrainSettings(int steps, int examples, int batchSize, double learningRate, int warmup, String schedule,
                            int evalEvery, int evalExamples, double stopAt, int stopPatience, AdamW.Settings adam,
                            DepthCurriculum curriculum, Supervision supervision, int threads,
                            ProductPrecision precision) {

    /**
     * The environment variable that sets {@code train.threads} where it is 0: a sweep sets it to 1 for its runs,
     * which already fill the cores with runs.
     */
    public static final String THREADS_VARIABLE = "RECURSA_TRAIN_THREADS";

    /** Every trainer setting with its default. */
    public static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofInt("steps", 1500, 1, 10_000_000, "optimiser steps at most"),
            Setting.ofInt("examples", 0, 0, 10_000_000,
                    "training-set size, drawn once per run; batches are sampled from it (0: the task's default)"),
            Setting.ofInt("batch_size", 64, 1, 4096, "examples per step, sampled from the training set"),
            Setting.ofDouble("lr", 1e-3, 1e-7, 1.0, "peak learning rate"),
            Setting.ofInt("warmup", 100, 0, 1_000_000, "linear warmup steps"),
            Setting.ofChoice("schedule", "cosine", java.util.List.of("cosine", "wsd"),
                    "after warmup: cosine decay, or warmup-stable-decay"),
            Setting.ofInt("eval_every", 100, 1, 1_000_000, "steps between evaluations on test-id"),
            Setting.ofInt("eval_examples", 256, 1, 100_000, "examples per evaluated split"),
            Setting.ofDouble("stop_at", 0.995, 0.0, 2.0, "stop once test-id sequence accuracy reaches this"),
            Setting.ofInt("stop_patience", 2, 1, 1_000_000,
                    "evaluations in a row that must reach stop_at before stopping early"),
            Setting.ofDouble("weight_decay", 0.1, 0.0, 10.0, "AdamW decoupled weight decay (matrices only)"),
            Setting.ofDouble("clip", 1.0, 0.0, 1e6, "global gradient-norm clip (0: none)"),
            Setting.ofChoice("depth_curriculum", "none", java.util.List.of("none", "cgar"),
                    "recurrent models: full depth throughout, or CGAR's progressive depth curriculum"),
            Setting.ofString("curriculum_thresholds", "0.3,0.6",
                    "cgar: training-progress thresholds between depth stages (k thresholds, k + 1 stages)"),
            Setting.ofChoice("supervision", "final", java.util.List.of("final", "every"),
                    "recurrent models: supervise the final output only, or every recursion step"),
            Setting.ofDouble("supervision_decay", 0.7, 1e-6, 1.0,
                    "every: the loss of step t (0-based) is weighted by decay^t (CGAR's hierarchical weighting)"),
            Setting.ofBoolean("supervision_normalised", false,
                    "every: divide the step weights by their sum (CGAR's paper) or not (its code)"),
            Setting.ofInt("threads", 0, 0, 1024, "data-parallel worker threads, each training a shard of every "
                    + "batch (0: RECURSA_TRAIN_THREADS if set, else every core: cores / RECURSA_KERNEL_THREADS)"),
            Setting.ofChoice("precision", "float32", ProductPrecision.NAMES,
                    "training steps' layer products: float32, or bf16 operands with float32 accumulation (needs "
                            + "AVX512-BF16 or AMX); weights and optimiser state stay float32"));

    /** Reads resolved settings. */
    public static TrainSettings of(Config config) {
        AdamW.Settings adam = new AdamW.Settings(AdamW.BETA1, AdamW.BETA2, AdamW.EPS, config.getDouble("weight_decay"),
                config.getDouble("clip"));
        return new TrainSettings(config.getInt("steps"), config.getInt("examples"), config.getInt("batch_size"),
                config.getDouble("lr"), config.getInt("warmup"), config.getString("schedule"),
                config.getInt("eval_every"), config.getInt("eval_examples"), config.getDouble("stop_at"),
                config.getInt("stop_patience"), adam,
                DepthCurriculum.of(config.getString("depth_curriculum"), config.getString("curriculum_thresholds")),
                config.getString("supervision").equals("every") ? new Supervision(config.getDouble("supervision_decay"),
                        config.getBoolean("supervision_normalised")) : null, config.getInt("threads"),
                ProductPrecision.of(config.getString("precision")));
    }

    /**
     * The worker threads {@code train.threads = configured} means here: itself when positive; for 0,
     * {@code RECURSA_TRAIN_THREADS} if set, else the cores divided by the kernel threads each worker's products use
     * ({@code RECURSA_KERNEL_THREADS}, default 1), at least 1.
     *
     * @throws IllegalArgumentException if {@code RECURSA_TRAIN_THREADS} is not a whole number >= 1
     */
    public static int resolveThreads(int configured) {
        if (configured > 0) {
            return configured;
        }
        return Threads.fromEnvironment(THREADS_VARIABLE)
                .orElseGet(() -> Math.max(1, Runtime.getRuntime().availableProcessors() / Threads.configured()));
    }

    /**
     * These settings, when this CPU can run them: bf16 products need AVX512-BF16 or AMX-BF16 (without them oneDNN
     * would emulate bf16, slower than float32).
     *
     * @throws UsageException {@link Bf16Support#ERROR}, one line, when bf16 is asked of a CPU without it
     */
    public TrainSettings requireSupportedHere() {
        if (precision == ProductPrecision.BF16) {
            Bf16Support.missingHere().ifPresent(missing -> {
                throw new UsageException(missing);
            });
        }
        return this;
    }
}
