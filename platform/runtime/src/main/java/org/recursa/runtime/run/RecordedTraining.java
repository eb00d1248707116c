package org.recursa.runtime.run;

import java.util.Locale;
import org.recursa.runstore.RunWriter;
import org.recursa.runtime.train.Evaluation;
import org.recursa.runtime.train.Progress;
import org.recursa.runtime.train.Trainer;

/**
 * What a run does with the trainer's events, for training ({@code recursa run}) and uptraining
 * ({@code recursa compress}) alike: the progress display and the run's {@code metrics.jsonl}; after each step, first
 * whatever the caller must restore in the weights (a compression's zeros).
 */
final class RecordedTraining implements Trainer.Listener {

    private final Progress progress;
    private final RunWriter writer;
    private final Runnable afterStep;

    RecordedTraining(Progress progress, RunWriter writer, Runnable afterStep) {
        this.progress = progress;
        this.writer = writer;
        this.afterStep = afterStep;
    }

    @Override
    public void onStep(Trainer.StepMetrics metrics) {
        afterStep.run();
        progress.step(metrics.step(), metrics.loss(), metrics.learningRate(), metrics.tokensPerSecond());
        writer.progress(RunRecords.step(metrics));
    }

    @Override
    public void onEval(int step, Evaluation.Result result) {
        progress.note(String.format(Locale.ROOT, "eval step %d: %s token acc %.4f seq acc %.4f", step,
                result.split(), result.tokenAccuracy(), result.sequenceAccuracy()));
        writer.progress(RunRecords.eval(step, result));
    }
}
