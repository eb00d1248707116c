package org.example.pondernet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.recursa.api.model.ModelSpec;
import org.recursa.api.task.Vocabulary;
import org.recursa.engine.Tape;
import org.recursa.engine.TokenBatch;
import org.recursa.engine.Var;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.optim.AdamW;
import org.recursa.engine.optim.LrSchedule;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.TrainableModel;

/**
 * It learns: copying sequences of 1..5 symbols, trained as the host trains (the supervised output's cross-entropy
 * on the answer tokens plus the auxiliary losses, AdamW with clipping, warmup and cosine decay), then decoded
 * greedily on sequences it was not trained on.
 */
class PonderNetTrainingTest {

    private static final int SYMBOLS = 6;
    private static final int FIRST_SYMBOL = Vocabulary.STEP_ID + 1;
    private static final int MAX_INPUT = 5;
    private static final int STEPS = 320;
    private static final int BATCH = 32;

    @Test
    void learnsToCopyAndReportsItsHaltingStep() {
        PonderNetArchitecture architecture = new PonderNetArchitecture();
        TrainableModel model = architecture.build(new ModelSpec(FIRST_SYMBOL + SYMBOLS, 2 * MAX_INPUT + 2, 1),
                architecture.schema().resolve(Map.of("d_model", "32", "heads", "2", "ffn", "64", "max_steps", "5")));
        AdamW optimizer = new AdamW(model.parameters(), AdamW.Settings.defaults());
        LrSchedule schedule = LrSchedule.cosine(3e-3, 3e-4, 40, STEPS);
        SplittableRandom data = new SplittableRandom(11);
        Forward last = null;
        for (int step = 0; step < STEPS; step++) {
            int[][] rows = new int[BATCH][];
            for (int b = 0; b < BATCH; b++) {
                rows[b] = sequence(input(data));
            }
            TokenBatch batch = TokenBatch.of(rows, Vocabulary.PAD_ID);
            Tape tape = Tape.training();
            last = model.forward(tape, batch);
            Var loss = CrossEntropy.apply(tape, last.supervised().get(0).logits(), answerTargets(batch));
            for (Forward.NamedLoss aux : last.auxLosses()) {
                loss = Elementwise.add(tape, loss, aux.value());
            }
            tape.backward(loss);
            optimizer.step(schedule.at(step));
            if (step % 50 == 0 || step == STEPS - 1) {
                System.out.printf("step %d expected CE %.4f kl %.4f halt_step %.2f expected_step %.2f%n", step + 1,
                        loss.value().getDouble(0) - last.auxLosses().get(1).value().value().getDouble(0),
                        last.auxLosses().get(1).value().value().getDouble(0), last.stats().get("halt_step"),
                        last.stats().get("expected_step"));
            }
        }
        SplittableRandom held = new SplittableRandom(99);
        int correct = 0;
        int tested = 100;
        List<int[]> decoded = new ArrayList<>();
        for (int i = 0; i < tested; i++) {
            int[] input = input(held);
            int[] output = greedy(model, input);
            correct += Arrays.equals(output, input) ? 1 : 0;
            int[] full = Arrays.copyOf(input, input.length + 1 + output.length + 1);
            full[input.length] = Vocabulary.SEP_ID;
            System.arraycopy(output, 0, full, input.length + 1, output.length);
            full[full.length - 1] = Vocabulary.EOS_ID;
            decoded.add(full);
        }
        Forward evaluation = model.forward(Tape.inference(), TokenBatch.of(decoded.toArray(int[][]::new),
                Vocabulary.PAD_ID));
        double accuracy = (double) correct / tested;
        System.out.printf("held-out sequence accuracy %.3f (%d/%d); mean halting step on answer positions %.2f "
                + "(expected %.2f, prior %.2f)%n", accuracy, correct, tested, evaluation.stats().get("halt_step"),
                evaluation.stats().get("expected_step"), evaluation.stats().get("prior_step"));
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
        assertThat(evaluation.stats().get("halt_step")).isBetween(1.0, 5.0);
    }

    private static int[] input(SplittableRandom random) {
        int[] input = new int[1 + random.nextInt(MAX_INPUT)];
        for (int i = 0; i < input.length; i++) {
            input[i] = FIRST_SYMBOL + random.nextInt(SYMBOLS);
        }
        return input;
    }

    /** {@code input SEP input EOS}, the stream the API fixes. */
    private static int[] sequence(int[] input) {
        int[] sequence = new int[2 * input.length + 2];
        System.arraycopy(input, 0, sequence, 0, input.length);
        sequence[input.length] = Vocabulary.SEP_ID;
        System.arraycopy(input, 0, sequence, input.length + 1, input.length);
        sequence[sequence.length - 1] = Vocabulary.EOS_ID;
        return sequence;
    }

    /** The next token from SEP on, as the host's loss counts it; elsewhere ignored. */
    private static int[] answerTargets(TokenBatch batch) {
        int[] targets = new int[batch.ids().length];
        Arrays.fill(targets, CrossEntropy.IGNORE);
        for (int b = 0; b < batch.batch(); b++) {
            int length = batch.lengths()[b];
            int separator = (length - 2) / 2;
            for (int t = separator; t < length - 1; t++) {
                targets[b * batch.length() + t] = batch.ids()[b * batch.length() + t + 1];
            }
        }
        return targets;
    }

    private static int[] greedy(TrainableModel model, int[] input) {
        int[] sequence = Arrays.copyOf(input, input.length + 1);
        sequence[input.length] = Vocabulary.SEP_ID;
        List<Integer> output = new ArrayList<>();
        while (sequence.length < 2 * MAX_INPUT + 2) {
            float[] logits = model.nextTokenLogits(new int[][] {sequence})[0];
            int next = 0;
            for (int v = 1; v < logits.length; v++) {
                next = logits[v] > logits[next] ? v : next;
            }
            if (next == Vocabulary.EOS_ID) {
                break;
            }
            output.add(next);
            sequence = Arrays.copyOf(sequence, sequence.length + 1);
            sequence[sequence.length - 1] = next;
        }
        return output.stream().mapToInt(Integer::intValue).toArray();
    }
}
