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
import org.recursa.engine.host.ProductPrecision;
import org.recursa.engine.host.Scratch;
import org.recursa.engine.host.Threads;
import org.recursa.engine.ops.CrossEntropy;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.train.Forward;
import org.recursa.engine.train.ForwardOptions;
import org.recursa.engine.train.RecurrentModel;
import org.recursa.engine.train.TrainableModel;

/**
 * The forward and backward passes of one training step, over the whole batch on the calling thread or split
 * across data-parallel workers: each worker owns a thread (worker 0 the calling one), a share of the batch's rows, a
 * scratch and a gradient slot ({@link GradientSlots}), and runs the model's own passes on the shared parameters with
 * single-threaded kernels. Afterwards the slots are reduced into the one the optimiser reads, always in worker
 * order, so a fixed number of workers gives bit-identical results and any number the single-thread results up to
 * the order of float sums.
 *
 * <p>A share is one or more groups of rows, each padded only to its own longest row ({@link
 * Encoding.Batch#select}): where rows of different lengths would waste much of the batch on padding, the rows are
 * sorted by length into twice as many groups as workers, and each worker takes a short and a long group, so the
 * workers have alike work and a group of short rows computes no padding up to the batch's longest. Padding after a
 * row never reaches it, so every row computes what it computes in the whole batch. Each group's task loss is
 * weighted by its share of the batch's supervised tokens, and each auxiliary loss by its share of the units the loss
 * says it is a mean over ({@link Forward.NamedLoss#over}): the weighted sum is the whole batch's loss. Models that
 * draw per-row randomness from one stream per step, or whose losses are products of batch-wide statistics, compute
 * those per group (docs/runs.md, "Threads and reproducibility").
 */
public final class DataParallel implements AutoCloseable {

    /**
     * What one step's passes computed.
     *
     * @param total the loss back-propagated: the task loss plus every auxiliary loss
     * @param task  the task loss; with several supervised outputs their weighted sum
     * @param aux   each auxiliary loss by name, and {@code ce_<name>} for each supervised output
     * @param stats the model's diagnostics ({@link Forward#stats}), combined across groups by name
     */
    public record Losses(double total, double task, Map<String, Double> aux, Map<String, Double> stats) {
    }

    /** Cut the batch into length groups when that saves at least this share of its padded tokens. */
    static final double GROUPING_SAVES = 0.2;

    private final TrainableModel model;
    private final int threads;
    private final List<Worker> workers = new ArrayList<>();

    /**
     * @param model   the model whose parameters every worker shares
     * @param threads data-parallel workers, the calling thread the first of them
     */
    public DataParallel(TrainableModel model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("data-parallel training needs at least one thread, got " + threads);
        }
        this.model = model;
        this.threads = threads;
        if (threads > 1) {
            for (Parameter parameter : model.parameters().all()) {
                GradientSlots.reserve(parameter, threads);
            }
        }
        for (int slot = 0; slot < threads; slot++) {
            workers.add(new Worker(slot));
        }
    }

    /** Worker threads in use, the calling thread included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs the forward and backward passes of {@code batch}; the parameters' gradients (slot 0) hold the result.
     * Call it inside a {@link Scratch}: the calling thread's single pass over the whole batch allocates there.
     *
     * @param options the pass's depth and supervision for a {@link RecurrentModel}, or null for a plain forward pass
     */
    public Losses backward(Encoding.Batch batch, ForwardOptions options) {
        List<List<int[]>> shares = plan(batch.batch().lengths(), threads);
        if (shares.size() == 1 && shares.get(0).size() == 1) {
            return whole(batch, options);
        }
        int used = shares.size();
        try {
            List<List<Group>> forwards = onEach(used, w -> workers.get(w).forward(select(batch, shares.get(w)),
                    options));
            List<Group> groups = forwards.stream().flatMap(List::stream).toList();
            Weights weights = Weights.of(groups);
            onEach(used, w -> {
                workers.get(w).backward(weights);
                return null;
            });
            if (used > 1) {
                reduce();
            }
            return weights.combine(groups);
        } finally {
            onEach(used, w -> {
                workers.get(w).release();
                return null;
            });
        }
    }

    /**
     * Each worker's groups of rows, as row indices: one group of contiguous rows per worker, or, where that saves at
     * least {@link #GROUPING_SAVES} of the padded tokens, the rows sorted by length into two groups per worker,
     * worker w taking the w-th shortest and the w-th longest (when there are two rows per worker). Never more
     * workers than rows.
     */
    static List<List<int[]>> plan(int[] lengths, int threads) {
        int rows = lengths.length;
        int workers = Math.min(threads, rows);
        Integer[] byLength = new Integer[rows];
        for (int i = 0; i < rows; i++) {
            byLength[i] = i;
        }
        java.util.Arrays.sort(byLength, java.util.Comparator.comparingInt(i -> lengths[i]));
        int groups = 2 * workers;
        List<List<int[]>> shares = new ArrayList<>();
        if (rows >= groups && paddedTokens(lengths, byLength, groups)
                <= (1 - GROUPING_SAVES) * paddedTokens(lengths, null, workers)) {
            for (int w = 0; w < workers; w++) {
                shares.add(List.of(range(byLength, cut(rows, groups, w), cut(rows, groups, w + 1)),
                        range(byLength, cut(rows, groups, groups - 1 - w), cut(rows, groups, groups - w))));
            }
        } else {
            for (int w = 0; w < workers; w++) {
                shares.add(List.of(range(null, cut(rows, workers, w), cut(rows, workers, w + 1))));
            }
        }
        return shares;
    }

    /**
     * The tokens computed when the rows, in {@code order} (null: as they are), are cut into {@code parts} nearly
     * equal parts, each padded to its longest row.
     */
    private static long paddedTokens(int[] lengths, Integer[] order, int parts) {
        long tokens = 0;
        for (int part = 0; part < parts; part++) {
            int longest = 0;
            for (int i = cut(lengths.length, parts, part); i < cut(lengths.length, parts, part + 1); i++) {
                longest = Math.max(longest, lengths[order == null ? i : order[i]]);
            }
            tokens += (long) (cut(lengths.length, parts, part + 1) - cut(lengths.length, parts, part)) * longest;
        }
        return tokens;
    }

    /** The first row of part {@code part} of {@code rows} cut into {@code parts} nearly equal parts. */
    private static int cut(int rows, int parts, int part) {
        return (int) ((long) part * rows / parts);
    }

    /** The rows at positions [from, to) of {@code order} (null: the rows as they are), in row order. */
    private static int[] range(Integer[] order, int from, int to) {
        int[] rows = new int[to - from];
        for (int i = from; i < to; i++) {
            rows[i - from] = order == null ? i : order[i];
        }
        java.util.Arrays.sort(rows);
        return rows;
    }

    private static List<Encoding.Batch> select(Encoding.Batch batch, List<int[]> groups) {
        return groups.stream().map(batch::select).toList();
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
        onEach(threads, w -> {
            for (int i = w; i < parameters.size(); i += threads) {
                GradientSlots.reduce(parameters.get(i));
            }
            return null;
        });
    }

    private interface WorkerTask<T> {
        T run(int worker) throws Exception;
    }

    /**
     * Runs {@code task} for workers 0 to {@code count - 1}, worker 0 on the calling thread, each in the calling
     * thread's product precision, and returns their values in worker order once every one has ended; the first
     * failure is thrown then.
     */
    private <T> List<T> onEach(int count, WorkerTask<T> task) {
        // Every worker computes its products in the calling thread's precision (train.precision).
        ProductPrecision precision = ProductPrecision.current();
        List<Future<T>> others = new ArrayList<>();
        for (int w = 1; w < count; w++) {
            int worker = w;
            others.add(workers.get(w).thread.submit(() -> {
                try (ProductPrecision.Scope products = precision.use()) {
                    return task.run(worker);
                }
            }));
        }
        List<T> values = new ArrayList<>();
        RuntimeException failure = null;
        try {
            values.add(task.run(0));
        } catch (RuntimeException e) {
            failure = e;
        } catch (Exception e) {
            failure = new IllegalStateException(e);
        }
        for (Future<T> future : others) {
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
            if (worker.thread != null) {
                worker.thread.shutdownNow();
            }
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
     * What a group's forward pass computed, read out of its scratch.
     *
     * @param counted    supervised tokens of the group
     * @param realTokens non-padding tokens of the group
     * @param task       its task loss
     * @param parts      its {@code ce_<name>} losses
     * @param aux        its auxiliary losses by name, in the model's order
     * @param over       for each auxiliary loss, the units it is a mean over (real tokens when the loss does not say)
     * @param stats      the model's diagnostics
     */
    private record Group(int counted, int realTokens, double task, Map<String, Double> parts,
                         Map<String, Double> aux, Map<String, Double> over, Map<String, Double> stats) {
    }

    /** A group's pass between the two phases: its tape, task loss and auxiliary losses. */
    private record Pass(Tape tape, Var task, List<Forward.NamedLoss> auxLosses, Group group) {
    }

    /** One worker: a thread bound to a gradient slot (worker 0: the calling thread), and its groups' passes. */
    private final class Worker {
        private final ExecutorService thread;
        private final List<Pass> passes = new ArrayList<>();
        private Scratch scratch;

        Worker(int slot) {
            this.thread = slot == 0 ? null : Executors.newSingleThreadExecutor(runnable -> {
                Thread worker = new Thread(() -> {
                    GradientSlots.bind(slot);
                    // OpenMP's thread count is per thread: a new thread would otherwise run its ops on every core.
                    Threads.applyToThisThread();
                    runnable.run();
                }, "recursa-train-" + slot);
                worker.setDaemon(true);
                return worker;
            });
        }

        List<Group> forward(List<Encoding.Batch> groups, ForwardOptions options) {
            scratch = Scratch.open("train-shard");
            List<Group> computed = new ArrayList<>();
            for (Encoding.Batch group : groups) {
                Tape tape = Tape.training();
                Forward forward = DataParallel.this.forward(tape, group, options);
                Map<String, Double> parts = new LinkedHashMap<>();
                Var task = taskLoss(tape, forward, group.targets(), parts);
                int realTokens = group.realTokens();
                Map<String, Double> aux = new LinkedHashMap<>();
                Map<String, Double> over = new LinkedHashMap<>();
                for (Forward.NamedLoss loss : forward.auxLosses()) {
                    aux.merge(loss.name(), loss.value().value().getDouble(0), Double::sum);
                    over.put(loss.name(), Double.isNaN(loss.over()) ? realTokens : loss.over());
                }
                Group result = new Group(group.counted(), realTokens, task.value().getDouble(0), parts, aux, over,
                        forward.stats());
                passes.add(new Pass(tape, task, forward.auxLosses(), result));
                computed.add(result);
            }
            return computed;
        }

        void backward(Weights weights) {
            for (Pass pass : passes) {
                Var total = Elementwise.scale(pass.tape(), pass.task(), weights.task(pass.group()));
                for (Forward.NamedLoss loss : pass.auxLosses()) {
                    total = Elementwise.add(pass.tape(), total, Elementwise.scale(pass.tape(), loss.value(),
                            weights.aux(pass.group(), loss.name())));
                }
                pass.tape().backward(total);
            }
        }

        void release() {
            passes.clear();
            if (scratch != null) {
                scratch.close();
                scratch = null;
            }
        }
    }

    /** Each group's weight in the task loss and in each auxiliary loss. */
    private static final class Weights {
        private final Map<Group, Double> task = new java.util.IdentityHashMap<>();
        private final Map<Group, Map<String, Double>> aux = new java.util.IdentityHashMap<>();

        static Weights of(List<Group> groups) {
            Weights weights = new Weights();
            int counted = groups.stream().mapToInt(Group::counted).sum();
            Map<String, Double> totals = new LinkedHashMap<>();
            groups.forEach(group -> group.over().forEach((name, over) -> totals.merge(name, over, Double::sum)));
            for (Group group : groups) {
                weights.task.put(group, counted == 0 ? 0 : (double) group.counted() / counted);
                Map<String, Double> shares = new LinkedHashMap<>();
                group.over().forEach((name, over) -> shares.put(name, totals.get(name) > 0
                        ? over / totals.get(name) : 1.0 / groups.size()));
                weights.aux.put(group, shares);
            }
            return weights;
        }

        double task(Group group) {
            return task.get(group);
        }

        double aux(Group group, String name) {
            return aux.get(group).get(name);
        }

        /** The whole batch's losses and stats from the groups', summed in group order. */
        Losses combine(List<Group> groups) {
            double taskLoss = 0;
            Map<String, Double> losses = new LinkedHashMap<>();
            for (Group group : groups) {
                double weight = task(group);
                taskLoss += weight * group.task();
                group.parts().forEach((name, value) -> losses.merge(name, weight * value, Double::sum));
                group.aux().forEach((name, value) -> losses.merge(name, aux(group, name) * value, Double::sum));
            }
            double total = taskLoss;
            for (Map.Entry<String, Double> entry : losses.entrySet()) {
                if (!entry.getKey().startsWith("ce_")) {
                    total += entry.getValue();
                }
            }
            return new Losses(total, taskLoss, losses, stats(groups));
        }

        /** {@code mean_*} weighted by real tokens, {@code tokens_*} summed, any other the largest. */
        private static Map<String, Double> stats(List<Group> groups) {
            int real = groups.stream().mapToInt(Group::realTokens).sum();
            Map<String, Double> stats = new LinkedHashMap<>();
            for (Group group : groups) {
                group.stats().forEach((name, value) -> {
                    if (name.startsWith("mean_")) {
                        stats.merge(name, value * group.realTokens() / Math.max(1, real), Double::sum);
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
