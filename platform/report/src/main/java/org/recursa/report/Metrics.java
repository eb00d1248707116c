package org.recursa.report;

import java.util.List;
import org.recursa.runstore.ProgressLog;

/**
 * The training and evaluation curves of a run, from its progress log (docs/runs.md).
 *
 * @param steps one record per optimiser step, in file order
 * @param evals one record per evaluation of the held-out set, in file order
 */
public record Metrics(List<Step> steps, List<Eval> evals) {

    /**
     * A {@code type=step} record.
     *
     * @param step optimiser step, from 1
     * @param loss total training loss (may be NaN when training diverged)
     */
    public record Step(int step, double loss) {
    }

    /**
     * A {@code type=eval} record.
     *
     * @param step     step after which the evaluation ran
     * @param split    evaluated split, {@code test-id} for the held-out set
     * @param tokenAcc share of target tokens predicted right
     * @param seqAcc   share of examples predicted exactly
     */
    public record Eval(int step, String split, double tokenAcc, double seqAcc) {
    }

    public Metrics {
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
    }

    /** The curves of a run's progress log. */
    static Metrics of(ProgressLog log) {
        return new Metrics(log.steps().stream().map(s -> new Step(s.step(), s.loss())).toList(),
                log.evals().stream().map(e -> new Eval(e.step(), e.split(), e.tokenAcc(), e.seqAcc())).toList());
    }

    /** Evaluations of one split, e.g. {@code test-id}, the held-out set used for early stopping. */
    public List<Eval> evals(String split) {
        return evals.stream().filter(e -> e.split().equals(split)).toList();
    }
}
