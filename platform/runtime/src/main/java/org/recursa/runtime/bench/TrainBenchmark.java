package org.recursa.runtime.bench;

import java.util.Map;
import java.util.SplittableRandom;
import org.recursa.api.Config;
import org.recursa.api.model.ModelSpec;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.host.EngineStart;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.optim.AdamW;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableArchitecture;
import org.recursa.engine.train.TrainableModel;
import org.recursa.runtime.train.Trainer;

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
     * @param batch  sequences per step
     * @param length tokens per sequence
     */
    public static Result run(TrainableArchitecture architecture, Config config, int batch, int length, int warmup, int steps,
                             long seed) {
        EngineStart.start();   // done by the host already; here for callers without one
        TrainableModel model = architecture.build(new ModelSpec(VOCABULARY, length, seed), config);
        AdamW optimizer = new AdamW(model.parameters(), AdamW.Settings.defaults());
        SplittableRandom random = new SplittableRandom(seed);
        long started = 0;
        for (int step = 0; step < warmup + steps; step++) {
            if (step == warmup) {
                started = System.nanoTime();
            }
            int[][] rows = new int[batch][length + 1];
            for (int[] row : rows) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = 3 + random.nextInt(VOCABULARY - 3);
                }
            }
            int[][] inputs = new int[batch][];
            int[] targets = new int[batch * length];
            for (int b = 0; b < batch; b++) {
                inputs[b] = java.util.Arrays.copyOf(rows[b], length);
                System.arraycopy(rows[b], 1, targets, b * length, length);
            }
            try (Scratch scratch = Scratch.open("train")) {
                Tape tape = Tape.training();
                Forward forward = model.forward(tape, TokenBatch.of(inputs, 0));
                Var loss = Trainer.taskLoss(tape, forward, targets);
                for (Forward.NamedLoss aux : forward.auxLosses()) {
                    loss = Elementwise.add(tape, loss, aux.value());
                }
                tape.backward(loss);
                optimizer.step(1e-3);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(architecture.id(), config.asMap(), (double) batch * length * steps / seconds,
                seconds / steps, model.parameters().count());
    }
}
