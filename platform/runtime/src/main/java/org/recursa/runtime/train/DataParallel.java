package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.recursa.engine.Parameter;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.GradientSlots;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.TrainableModel;

/**
 * The forward and backward passes of one training step, over the whole batch on the calling thread or split
 * across data-parallel workers: each worker owns a thread, a contiguous shard of the batch's rows, a scratch and a
 * gradient slot ({@link GradientSlots}), and runs the model's own passes on the shared parameters with
 * single-threaded kernels. Afterwards the slots are reduced into the one the optimiser reads, always in worker
 * order, so a fixed number of workers gives bit-identical results and any number the single-thread results up to
 * the order of float sums.
 *
 * <p>Shards keep the batch's padded length, so every row computes what it computes in the whole batch. Each shard's
 * task loss is weighted by its share of the batch's supervised tokens, and each auxiliary loss by its share of the
 * units the loss says it is a mean over ({@link Forward.NamedLoss#over}): the weighted sum is the whole batch's
 * loss. Models that draw per-row randomness from one stream per step, or whose losses are products of batch-wide
 * statistics, compute those per shard (docs/runs.md, "Threads and reproducibility").
 */
public final class DataParallel implements AutoCloseable {

    /**
     * What one step's passes computed.
     *
     * @param total the loss back-propagated: the task loss plus every auxiliary loss
     * @param task  the task loss; with several supervised outputs their weighted sum
     * @param aux   each auxiliary loss by name, and {@code ce_<name>} for each supervised output
     * @param stats the model's diagnostics ({@link Forward#stats}), combined across shards by name
     */
    public record Losses(double total, double task, Map<String, Double> aux, Map<String, Double> stats) {
    }

    private final TrainableModel model;
    private final List<Worker> workers = new ArrayList<>();

    /**
     * @param model   the model whose parameters every worker shares
     * @param threads data-parallel workers; 1 runs every pass on the calling thread, as training always did
     */
    public DataParallel(TrainableModel model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("data-parallel training needs at least one thread, got " + threads);
        }
        this.model = model;
        if (threads > 1) {
            for (Parameter parameter : model.parameters().all()) {
                GradientSlots.reserve(parameter, threads);
            }
            for (int slot = 0; slot < threads; slot++) {
                workers.add(new Worker(slot));
            }
        }
    }

    /** Worker threads in use: 1 when the calling thread computes alone. */
    public int threads() {
        return Math.max(1, workers.size());
    }

    /**
     * Runs the forward and backward passes of {@code batch}; the parameters' gradients (slot 0) hold the result.
     * Call it inside a {@link Scratch}: with one thread the passes allocate there (the workers have their own).
     *
     * @param options the pass's depth and supervision for a {@link RecurrentModel}, or null for a plain forward pass
     */
    public Losses backward(Encoding.Batch batch, ForwardOptions options) {
        int shards = Math.min(workers.size(), batch.batch().batch());
        if (shards <= 1) {
            return whole(batch, options);
        }
        List<Encoding.Batch> parts = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            parts.add(batch.rows(s * batch.batch().batch() / shards, (s + 1) * batch.batch().batch() / shards));
        }
        List<Shard> forwards = new ArrayList<>();
        try {
            forwards = await(submitEach(shards, s -> workers.get(s).forward(parts.get(s), options)));
            Weights weights = Weights.of(forwards);
            await(submitEach(shards, s -> {
                workers.get(s).backward(weights.task()[s], weights.aux(s));
                return null;
            }));
            reduce();
            return weights.combine(forwards);
        } finally {
            await(submitEach(shards, s -> {
                workers.get(s).release();
                return null;
            }));
        }
    }

    /** The passes on the calling thread, over the whole batch. */
    private Losses whole(Encoding.Batch batch, ForwardOptions options) {
        Tape tape = Tape.training();
        Forward forward = forward(tape, batch, options);
        Map<String, Double> aux = new LinkedHashMap<>();
        Var taskLoss = taskLoss(tape, forward, batch.targets(), aux);
        Var total = taskLoss;
        for (Forward.NamedLoss loss : forward.auxLosses()) {
            total = Elementwise.add(tape, total, loss.value());
            aux.put(loss.name(), loss.value().value().getDouble(0));
        }
        tape.backward(total);
        return new Losses(total.value().getDouble(0), taskLoss.value().getDouble(0), aux, forward.stats());
    }

    private Forward forward(Tape tape, Encoding.Batch batch, ForwardOptions options) {
        return options == null ? model.forward(tape, batch.batch())
                : ((RecurrentModel) model).forward(tape, batch.batch(), options);
    }

    /** Slot 0 += every other slot, parameters spread over the workers (each parameter's sum in slot order). */
    private void reduce() {
        List<Parameter> parameters = new ArrayList<>(model.parameters().all());
        await(submitEach(workers.size(), w -> {
            for (int i = w; i < parameters.size(); i += workers.size()) {
                GradientSlots.reduce(parameters.get(i));
            }
            return null;
        }));
    }

    private interface WorkerTask<T> {
        T run(int worker) throws Exception;
    }

    private <T> List<Future<T>> submitEach(int count, WorkerTask<T> task) {
        List<Future<T>> futures = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            int worker = w;
            futures.add(workers.get(w).thread.submit(() -> task.run(worker)));
        }
        return futures;
    }

    /** Every future's value, after all of them finished; the first failure is thrown once all have ended. */
    private static <T> List<T> await(List<Future<T>> futures) {
        List<T> values = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<T> future : futures) {
            try {
                values.add(future.get());
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException runtime ? runtime
                        : e.getCause() instanceof Error error ? new IllegalStateException(error)
                        : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted while training", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return values;
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.thread.shutdownNow();
        }
    }

    /**
     * The cross-entropy of the logits, or, when the pass supervises more than them (every recursion step,
     * LoopFormer's short trajectory), the sum of each supervised output's cross-entropy times its weight
     * ({@link Forward#supervised}); each one's unweighted cross-entropy goes to {@code parts} as {@code ce_<name>}.
     */
    static Var taskLoss(Tape tape, Forward forward, int[] targets, Map<String, Double> parts) {
        if (forward.supervised().isEmpty()) {
            return CrossEntropy.apply(tape, forward.logits(), targets);
        }
        Var sum = null;
        for (Forward.Supervised supervised : forward.supervised()) {
            Var loss = CrossEntropy.apply(tape, supervised.logits(), targets);
            parts.put("ce_" + supervised.name(), loss.value().getDouble(0));
            Var weighted = Elementwise.scale(tape, loss, supervised.weight());
            sum = sum == null ? weighted : Elementwise.add(tape, sum, weighted);
        }
        return sum;
    }

    /**
     * What a shard's forward pass computed, read out of its scratch.
     *
     * @param counted    supervised tokens of the shard
     * @param realTokens non-padding tokens of the shard
     * @param task       its task loss
     * @param parts      its {@code ce_<name>} losses
     * @param aux        its auxiliary losses by name, in the model's order
     * @param over       for each auxiliary loss, the units it is a mean over (real tokens when the loss does not say)
     * @param stats      the model's diagnostics
     */
    private record Shard(int counted, int realTokens, double task, Map<String, Double> parts,
                         Map<String, Double> aux, Map<String, Double> over, Map<String, Double> stats) {
    }

    /** One worker: a thread bound to a gradient slot, and the state of its shard between the two phases. */
    private final class Worker {
        private final ExecutorService thread;
        private Scratch scratch;
        private Tape tape;
        private Var task;
        private List<Forward.NamedLoss> auxLosses;

        Worker(int slot) {
            this.thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread worker = new Thread(() -> {
                    GradientSlots.bind(slot);
                    runnable.run();
                }, "recursa-train-" + slot);
                worker.setDaemon(true);
                return worker;
            });
        }

        Shard forward(Encoding.Batch shard, ForwardOptions options) {
            scratch = Scratch.open("train-shard");
            tape = Tape.training();
            Forward forward = DataParallel.this.forward(tape, shard, options);
            Map<String, Double> parts = new LinkedHashMap<>();
            task = taskLoss(tape, forward, shard.targets(), parts);
            auxLosses = forward.auxLosses();
            int realTokens = shard.realTokens();
            Map<String, Double> aux = new LinkedHashMap<>();
            Map<String, Double> over = new LinkedHashMap<>();
            for (Forward.NamedLoss loss : auxLosses) {
                aux.merge(loss.name(), loss.value().value().getDouble(0), Double::sum);
                over.put(loss.name(), Double.isNaN(loss.over()) ? realTokens : loss.over());
            }
            return new Shard(shard.counted(), realTokens, task.value().getDouble(0), parts, aux, over,
                    forward.stats());
        }

        void backward(double taskWeight, Map<String, Double> auxWeights) {
            Var total = Elementwise.scale(tape, task, taskWeight);
            for (Forward.NamedLoss loss : auxLosses) {
                total = Elementwise.add(tape, total, Elementwise.scale(tape, loss.value(),
                        auxWeights.get(loss.name())));
            }
            tape.backward(total);
        }

        void release() {
            tape = null;
            task = null;
            auxLosses = null;
            if (scratch != null) {
                scratch.close();
                scratch = null;
            }
        }
    }

    /** Each shard's weight in the task loss and in each auxiliary loss. */
    private record Weights(double[] task, List<Map<String, Double>> auxByShard) {

        static Weights of(List<Shard> shards) {
            int counted = shards.stream().mapToInt(Shard::counted).sum();
            double[] task = new double[shards.size()];
            for (int s = 0; s < task.length; s++) {
                task[s] = counted == 0 ? 0 : (double) shards.get(s).counted() / counted;
            }
            Map<String, Double> totals = new LinkedHashMap<>();
            shards.forEach(shard -> shard.over().forEach((name, over) -> totals.merge(name, over, Double::sum)));
            List<Map<String, Double>> aux = new ArrayList<>();
            for (Shard shard : shards) {
                Map<String, Double> weights = new LinkedHashMap<>();
                shard.over().forEach((name, over) -> weights.put(name, totals.get(name) > 0
                        ? over / totals.get(name) : 1.0 / shards.size()));
                aux.add(weights);
            }
            return new Weights(task, aux);
        }

        Map<String, Double> aux(int shard) {
            return auxByShard.get(shard);
        }

        /** The whole batch's losses and stats from the shards'. */
        Losses combine(List<Shard> shards) {
            double taskLoss = 0;
            Map<String, Double> aux = new LinkedHashMap<>();
            for (int s = 0; s < shards.size(); s++) {
                Shard shard = shards.get(s);
                taskLoss += task[s] * shard.task();
                double weight = task[s];
                shard.parts().forEach((name, value) -> aux.merge(name, weight * value, Double::sum));
                Map<String, Double> weights = auxByShard.get(s);
                shard.aux().forEach((name, value) -> aux.merge(name, weights.get(name) * value, Double::sum));
            }
            double total = taskLoss;
            for (Map.Entry<String, Double> entry : aux.entrySet()) {
                if (!entry.getKey().startsWith("ce_")) {
                    total += entry.getValue();
                }
            }
            return new Losses(total, taskLoss, aux, stats(shards));
        }

        /** {@code mean_*} weighted by real tokens, {@code tokens_*} summed, any other the largest. */
        private static Map<String, Double> stats(List<Shard> shards) {
            int real = shards.stream().mapToInt(Shard::realTokens).sum();
            Map<String, Double> stats = new LinkedHashMap<>();
            for (Shard shard : shards) {
                shard.stats().forEach((name, value) -> {
                    if (name.startsWith("mean_")) {
                        stats.merge(name, value * shard.realTokens() / Math.max(1, real), Double::sum);
                    } else if (name.startsWith("tokens_")) {
                        stats.merge(name, value, Double::sum);
                    } else {
                        stats.merge(name, value, Math::max);
                    }
                });
            }
            return stats;
        }
    }
}
