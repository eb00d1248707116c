package org.recursa.runstore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code final.json}: how a run ended and the accuracy of every evaluated split (docs/runs.md). Written once,
 * atomically, when the run ends; its presence is what marks a run as ended.
 *
 * @param format       run-format version
 * @param status       {@code finished}, {@code interrupted} or {@code failed}
 * @param finishedAt   ISO-8601 instant
 * @param steps        optimiser steps taken (null when the run failed before training)
 * @param stoppedEarly whether held-out accuracy reached the stopping target
 * @param seconds      training time (null when unknown)
 * @param error        why a failed run failed, or null
 * @param splits       split name to its result, in the task's split order
 * @param training     what training computed, or null (runs written before it was recorded)
 * @param depths       for a recurrent model evaluated at other inference depths ({@code eval.recursions}): depth,
 *                     then split name, then the result at that depth; null when it was not
 * @param compression  for a compressed run ({@code recursa compress}), what the compression saved; null otherwise
 */
public record FinalRecord(int format, String status, String finishedAt, Integer steps, Boolean stoppedEarly,
                          Double seconds, String error, Map<String, SplitResult> splits, Training training,
                          Map<String, Map<String, SplitResult>> depths, Compression compression) {

    /** Copies the splits; missing reads as none. */
    public FinalRecord {
        splits = splits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        depths = depths == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(depths));
    }

    /** A record of a run that no compressor made. */
    public FinalRecord(int format, String status, String finishedAt, Integer steps, Boolean stoppedEarly,
                       Double seconds, String error, Map<String, SplitResult> splits, Training training,
                       Map<String, Map<String, SplitResult>> depths) {
        this(format, status, finishedAt, steps, stoppedEarly, seconds, error, splits, training, depths, null);
    }

    /** A record without training figures or depth results, as runs were recorded before them. */
    public FinalRecord(int format, String status, String finishedAt, Integer steps, Boolean stoppedEarly,
                       Double seconds, String error, Map<String, SplitResult> splits) {
        this(format, status, finishedAt, steps, stoppedEarly, seconds, error, splits, null, null);
    }

    /**
     * What training computed.
     *
     * @param flops          multiply-adds of every step taken, forward and backward (three forward passes), at the
     *                       depth each step ran at
     * @param fullDepthFlops what the same steps would have cost at the model's full depth; below it only under a
     *                       depth curriculum
     * @param depthStages    for a depth curriculum, each depth trained at and the steps spent at it; null otherwise
     */
    public record Training(double flops, double fullDepthFlops, Map<String, Integer> depthStages) {
    }

    /**
     * What a compression saved ({@code recursa compress}). Parameters and bytes are those of the weights
     * ({@code org.recursa.api.model.WeightSet}); the checkpoint sizes are the files on disk, header included.
     *
     * @param parametersBefore       the parent's parameters
     * @param parametersAfter        the compressed model's
     * @param bytesBefore            bytes the parent's weights take in storage
     * @param bytesAfter             bytes the compressed weights take
     * @param parentCheckpointBytes  size of the parent's checkpoint file
     * @param checkpointBytes        size of this run's checkpoint file
     * @param summary                the compressor's one-line summary
     * @param measures               the compressor's own figures by name
     * @param uptrainSteps           uptraining steps taken after compressing (0 for none)
     * @param uptrainSeconds         time they took
     * @param compressSeconds        time the compressor took
     */
    public record Compression(long parametersBefore, long parametersAfter, long bytesBefore, long bytesAfter,
                              long parentCheckpointBytes, long checkpointBytes, String summary,
                              Map<String, Double> measures, int uptrainSteps, double uptrainSeconds,
                              double compressSeconds) {

        /** Copies the measures; missing reads as none. */
        public Compression {
            measures = measures == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(measures));
        }

        /** Parent checkpoint bytes over this run's: how many times smaller the file is. */
        public double checkpointRatio() {
            return checkpointBytes == 0 ? Double.POSITIVE_INFINITY : (double) parentCheckpointBytes / checkpointBytes;
        }
    }

    /** The status as an enum. */
    public RunStatus runStatus() {
        return RunStatus.of(status);
    }

    /**
     * One evaluated split. The fields after {@code byFeature} were added to run format 2 later (docs/runs.md) and
     * are null in runs written before them.
     *
     * @param examples               evaluated examples
     * @param tokenAcc               share of target tokens predicted right
     * @param seqAcc                 share of examples predicted exactly
     * @param traceValid             share of examples whose predicted trace reaches the answer (trace mode), or null
     * @param byFeature              feature name, then feature value, then the accuracy of those examples
     * @param distinctInputs         how many distinct inputs the examples have (a split may repeat an input)
     * @param seqAccInterval         Wilson 95% interval of {@code seqAcc} over {@code examples}
     * @param seqAccDistinct         sequence accuracy per distinct input: the mean over distinct inputs of the share
     *                               of their examples predicted exactly, so that each input counts once
     * @param seqAccDistinctInterval Wilson 95% interval of {@code seqAccDistinct} over {@code distinctInputs}
     * @param decoding               what decoding the split cost: speed, depth, FLOPs, model calls; null in runs
     *                               recorded before it
     */
    public record SplitResult(int examples, double tokenAcc, double seqAcc, Double traceValid,
                              Map<String, Map<String, Cell>> byFeature, Integer distinctInputs,
                              Interval seqAccInterval, Double seqAccDistinct, Interval seqAccDistinctInterval,
                              Decoding decoding) {

        /** Copies the breakdown; missing reads as none. */
        public SplitResult {
            Map<String, Map<String, Cell>> copy = new LinkedHashMap<>();
            if (byFeature != null) {
                byFeature.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            }
            byFeature = Collections.unmodifiableMap(copy);
        }

        /** A result without decoding figures, as runs recorded before they existed. */
        public SplitResult(int examples, double tokenAcc, double seqAcc, Double traceValid,
                           Map<String, Map<String, Cell>> byFeature, Integer distinctInputs,
                           Interval seqAccInterval, Double seqAccDistinct, Interval seqAccDistinctInterval) {
            this(examples, tokenAcc, seqAcc, traceValid, byFeature, distinctInputs, seqAccInterval, seqAccDistinct,
                    seqAccDistinctInterval, null);
        }

        /** A result without distinct inputs or intervals, as runs recorded before they existed. */
        public SplitResult(int examples, double tokenAcc, double seqAcc, Double traceValid,
                           Map<String, Map<String, Cell>> byFeature) {
            this(examples, tokenAcc, seqAcc, traceValid, byFeature, null, null, null, null, null);
        }

        /**
         * The Wilson 95% interval of {@code seqAcc}: the recorded one, or for a run recorded before intervals, the
         * one computed from {@code examples} and {@code seqAcc}.
         */
        public Interval seqAccIntervalOrDerived() {
            return seqAccInterval != null ? seqAccInterval
                    : Interval.wilson(Math.round(seqAcc * examples), examples);
        }
    }

    /**
     * What decoding one split cost, as the sampler reported it ({@code Decoded}), summed over the split's decode
     * calls. Figures the sampler did not record are null.
     *
     * @param tokensPerS      generated tokens per second of decoding wall-clock time
     * @param generatedTokens tokens generated over all examples, as the sampler counted them
     * @param modelCalls      forward passes the sampler made
     * @param flops           forward floating-point operations from the decode session's count; null when the
     *                        sampler counted none (it decoded without a session)
     * @param avgDepth        mean depth (recursions) spent per generated token; null when the sampler recorded
     *                        no depths (a fixed-depth model, or a sampler that does not track them)
     */
    public record Decoding(double tokensPerS, long generatedTokens, long modelCalls, Long flops, Double avgDepth) {
    }

    /**
     * A confidence interval for a proportion.
     *
     * @param low  lower bound, in [0, 1]
     * @param high upper bound, in [low, 1]
     */
    public record Interval(double low, double high) {

        /** The two-sided 95% quantile of the standard normal distribution, Φ⁻¹(0.975). */
        public static final double Z95 = 1.959963984540054;

        /**
         * The Wilson score interval at 95% for {@code successes} out of {@code trials} (Wilson 1927; Brown, Cai and
         * DasGupta 2001 recommend it over the normal approximation, which collapses to a point at 0 and 1 of n):
         * {@code (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)}. No trials give {@code [0, 1]}.
         *
         * @param successes how many succeeded; a fraction is allowed (a mean of per-input shares)
         * @param trials    how many were tried
         */
        public static Interval wilson(double successes, int trials) {
            if (trials <= 0) {
                return new Interval(0, 1);
            }
            double n = trials;
            double p = Math.min(1, Math.max(0, successes / n));
            double z2 = Z95 * Z95;
            double scale = 1 + z2 / n;
            double center = (p + z2 / (2 * n)) / scale;
            double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / scale;
            // At p = 0 and p = 1 the bound on that side is exactly 0 or 1; rounding would leave 1 - 1e-16.
            return new Interval(p == 0 ? 0 : Math.max(0, center - half), p == 1 ? 1 : Math.min(1, center + half));
        }
    }

    /**
     * Accuracy over the examples that share one feature value.
     *
     * @param examples how many
     * @param tokenAcc share of their target tokens predicted right
     * @param seqAcc   share predicted exactly
     */
    public record Cell(int examples, double tokenAcc, double seqAcc) {
    }
}
