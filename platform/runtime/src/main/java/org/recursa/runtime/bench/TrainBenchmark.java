package org.recursa.runtime.bench;

import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.host.EngineStart;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.optim.AdamW;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runtime.train.DataParallel;
import org.recursa.runtime.train.Encoding;

/**
 * Training throughput on the reference configuration of the engine issue: random tokens, vocabulary 16,
 * batch 64 x 32, full next-token loss, AdamW. Measures steps after a warm-up, as tokens (B x T) per second.
 */
public final class TrainBenchmark {

    /**
     * One measurement.
     *
     * @param architecture    the architecture id
     * @param settings        its settings
     * @param tokensPerSecond B x T tokens per second over the measured steps
     * @param secondsPerStep  mean wall-clock seconds per step
     * @param parameters      the model's parameter count
     */
    public record Result(String architecture, Map<String, Object> settings, double tokensPerSecond,
                         double secondsPerStep, long parameters) {
    }

    /** Reference vocabulary size. */
    public static final int VOCABULARY = 16;

    private TrainBenchmark() {
    }

    /**
     * Trains {@code warmup + steps} steps and times the last {@code steps}.
     *
     * @param batch   sequences per step
     * @param length  tokens per sequence
     * @param threads data-parallel workers ({@link DataParallel})
     */
    public static Result run(TrainableArchitecture architecture, Config config, int batch, int length, int warmup,
                             int steps, long seed, int threads) {
        EngineStart.start();   // done by the host already; here for callers without one
        TrainableModel model = architecture.build(new ModelSpec(VOCABULARY, length, seed), config);
        AdamW optimizer = new AdamW(model.parameters(), AdamW.Settings.defaults());
        SplittableRandom random = new SplittableRandom(seed);
        long started = 0;
        try (DataParallel passes = new DataParallel(model, threads)) {
            for (int step = 0; step < warmup + steps; step++) {
                if (step == warmup) {
                    started = System.nanoTime();
                }
                try (Scratch scratch = Scratch.open("train")) {
                    passes.backward(randomBatch(random, batch, length), null);
                    optimizer.step(1e-3);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(architecture.id(), config.asMap(), (double) batch * length * steps / seconds,
                seconds / steps, model.parameters().count());
    }

    /** Random tokens, every position supervised with the next token. */
    private static Encoding.Batch randomBatch(SplittableRandom random, int batch, int length) {
        int[][] inputs = new int[batch][];
        int[] targets = new int[batch * length];
        for (int b = 0; b < batch; b++) {
            int[] row = new int[length + 1];
            for (int t = 0; t < row.length; t++) {
                row[t] = 3 + random.nextInt(VOCABULARY - 3);
            }
            inputs[b] = java.util.Arrays.copyOf(row, length);
            System.arraycopy(row, 1, targets, b * length, length);
        }
        return new Encoding.Batch(TokenBatch.of(inputs, 0), targets, targets.length);
    }
}
