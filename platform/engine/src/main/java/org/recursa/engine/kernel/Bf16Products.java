package org.recursa.engine.kernel;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_bf16;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_sum;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recursa.engine.host.Threads;

/**
 * Matrix products with bf16 operands and float32 results, {@code c = op(a) op(b) (+ c)}, through oneDNN's matmul
 * primitive: OpenBLAS (bundled or Debian's) is built without {@code sbgemm}, and oneDNN's public gemm is float32
 * and int8 only. The operands stay float32 in memory; each call rounds them to bf16 (oneDNN's reorder, round to
 * nearest even) into buffers of its thread, and the product accumulates in float32. Callers check the CPU first
 * ({@link org.recursa.engine.host.Bf16Support}): without AVX512-BF16 or AMX oneDNN emulates bf16 or refuses.
 *
 * <p>Thread-safe: every thread has its own oneDNN engine, stream, operand buffers and primitives, cached by shape
 * and transpositions (oneDNN's own cache makes a re-created primitive cheap, so a bounded cache suffices).
 */
public final class Bf16Products {

    /** Distinct product shapes a thread keeps primitives for; a model uses a few dozen. */
    private static final int PLANS_PER_THREAD = 128;

    private static final ThreadLocal<Context> CONTEXT = ThreadLocal.withInitial(Context::new);

    private Bf16Products() {
    }

    /**
     * {@code c = op(a) op(b) + beta c} on dense row-major float32 matrices (rank 2, views of a dense block allowed).
     *
     * @param beta 0 (overwrite {@code c}) or 1 (add to it)
     */
    public static void matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, int beta) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2 || !Blas.applies(a, b, c) || (beta != 0 && beta != 1)) {
            throw new IllegalArgumentException("bf16 products take rank-2 dense float arrays and beta 0 or 1, got "
                    + Arrays.toString(a.shape()) + " x " + Arrays.toString(b.shape()) + " -> "
                    + Arrays.toString(c.shape()) + ", beta " + beta);
        }
        int m = (int) c.rows();
        int n = (int) c.columns();
        int k = (int) (transposeA ? a.rows() : a.columns());
        if ((transposeA ? a.columns() : a.rows()) != m || (transposeB ? b.columns() : b.rows()) != k
                || (transposeB ? b.rows() : b.columns()) != n) {
            throw new IllegalArgumentException("matmul shapes do not fit: " + Arrays.toString(a.shape())
                    + (transposeA ? "^T" : "") + " x " + Arrays.toString(b.shape()) + (transposeB ? "^T" : "")
                    + " -> " + Arrays.toString(c.shape()));
        }
        gemm(transposeA, transposeB, m, n, k, Blas.pointer(a), (int) a.columns(), Blas.pointer(b),
                (int) b.columns(), Blas.pointer(c), n, beta == 1);
    }

    /**
     * One product on row-major float32 blocks given by their first element and row stride, as {@link Blas#gemm}
     * with {@code alpha = 1} and {@code beta} 0 or 1 ({@code accumulate}).
     */
    public static void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, FloatPointer a, int lda,
                            FloatPointer b, int ldb, FloatPointer c, int ldc, boolean accumulate) {
        Context context = CONTEXT.get();
        Plan plan = context.plan(new Shape(transposeA, transposeB, m, n, k, lda, ldb, ldc, accumulate));
        plan.run(context, a, b, c);
    }

    /**
     * The oneDNN implementation that serves a product of this shape on this thread, e.g.
     * {@code brg:avx512_core_bf16}: tests and benchmarks check that the bf16 instructions are really used.
     */
    public static String implementation(boolean transposeA, boolean transposeB, int m, int n, int k) {
        return CONTEXT.get().plan(new Shape(transposeA, transposeB, m, n, k, transposeA ? m : k, transposeB ? k : n,
                n, false)).implementation;
    }

    /** What a cached primitive was made for: the transpositions, sizes, row strides and whether it adds to c. */
    private record Shape(boolean transposeA, boolean transposeB, int m, int n, int k, int lda, int ldb, int ldc,
                         boolean accumulate) {
    }

    /** A thread's oneDNN engine and stream, its bf16 operand buffers and its primitives by shape. */
    private static final class Context {

        final dnnl_engine engine = new dnnl_engine();
        final dnnl_stream stream = new dnnl_stream();
        ShortPointer bufferA = new ShortPointer(0L);
        ShortPointer bufferB = new ShortPointer(0L);
        final Map<Shape, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Shape, Plan> eldest) {
                if (size() > PLANS_PER_THREAD) {
                    eldest.getValue().destroy();
                    return true;
                }
                return false;
            }
        };

        Context() {
            Threads.applyToThisThread();
            check(dnnl_engine_create(engine, dnnl_cpu, 0), "create a CPU engine");
            check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "create a stream");
        }

        Plan plan(Shape shape) {
            Plan plan = plans.get(shape);
            if (plan == null) {
                plan = new Plan(this, shape);
                plans.put(shape, plan);
            }
            return plan;
        }

        /** The thread's two operand buffers, grown to hold {@code a} and {@code b} bf16 values. */
        void reserve(long a, long b) {
            if (bufferA.capacity() < a) {
                bufferA.close();
                bufferA = new ShortPointer(a);
            }
            if (bufferB.capacity() < b) {
                bufferB.close();
                bufferB = new ShortPointer(b);
            }
        }
    }

    /**
     * The three primitives of one shape: a reorder of each operand from float32 (row stride {@code ld}) to a dense
     * bf16 copy, and the matmul reading the copies (a transposed operand as the copy with swapped strides).
     */
    private static final class Plan {

        private final List<dnnl_primitive> primitives = new ArrayList<>();
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final dnnl_primitive reorderA;
        private final dnnl_primitive reorderB;
        private final dnnl_primitive matmul;
        private final dnnl_memory floatA;
        private final dnnl_memory floatB;
        private final dnnl_memory denseA;
        private final dnnl_memory denseB;
        private final dnnl_memory sourceA;
        private final dnnl_memory sourceB;
        private final dnnl_memory result;
        private final dnnl_exec_arg_t reorderArgsA;
        private final dnnl_exec_arg_t reorderArgsB;
        private final dnnl_exec_arg_t matmulArgs;
        private final long sizeA;
        private final long sizeB;
        final String implementation;

        Plan(Context context, Shape shape) {
            // As stored: a is (m, k), or (k, m) when transposed; b is (k, n), or (n, k).
            long rowsA = shape.transposeA() ? shape.k() : shape.m();
            long colsA = shape.transposeA() ? shape.m() : shape.k();
            long rowsB = shape.transposeB() ? shape.n() : shape.k();
            long colsB = shape.transposeB() ? shape.k() : shape.n();
            sizeA = rowsA * colsA;
            sizeB = rowsB * colsB;
            dnnl_engine engine = context.engine;
            dnnl_memory_desc_t floatDescA = desc(dnnl_f32, rowsA, colsA, shape.lda(), 1);
            dnnl_memory_desc_t floatDescB = desc(dnnl_f32, rowsB, colsB, shape.ldb(), 1);
            dnnl_memory_desc_t denseDescA = desc(dnnl_bf16, rowsA, colsA, colsA, 1);
            dnnl_memory_desc_t denseDescB = desc(dnnl_bf16, rowsB, colsB, colsB, 1);
            dnnl_memory_desc_t sourceDescA = shape.transposeA() ? desc(dnnl_bf16, shape.m(), shape.k(), 1, shape.m())
                    : denseDescA;
            dnnl_memory_desc_t sourceDescB = shape.transposeB() ? desc(dnnl_bf16, shape.k(), shape.n(), 1, shape.k())
                    : denseDescB;
            dnnl_memory_desc_t resultDesc = desc(dnnl_f32, shape.m(), shape.n(), shape.ldc(), 1);
            floatA = memory(floatDescA, engine);
            floatB = memory(floatDescB, engine);
            denseA = memory(denseDescA, engine);
            denseB = memory(denseDescB, engine);
            sourceA = memory(sourceDescA, engine);
            sourceB = memory(sourceDescB, engine);
            result = memory(resultDesc, engine);
            reorderA = reorder(floatDescA, denseDescA, engine);
            reorderB = reorder(floatDescB, denseDescB, engine);

            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            dnnl_post_ops sum = new dnnl_post_ops();
            check(dnnl_primitive_attr_create(attr), "create primitive attributes");
            if (shape.accumulate()) {
                // dst = product + dst: the bias already written into y, or the weight gradient accumulated over uses.
                check(dnnl_post_ops_create(sum), "create post-ops");
                check(dnnl_post_ops_append_sum(sum, 1f), "append a sum post-op");
                check(dnnl_primitive_attr_set_post_ops(attr, sum), "set post-ops");
            }
            dnnl_matmul_desc_t op = new dnnl_matmul_desc_t();
            check(dnnl_matmul_desc_init(op, sourceDescA, sourceDescB, null, resultDesc), "describe a bf16 matmul");
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(op), attr, engine, null),
                    "create a bf16 matmul for " + shape);
            implementation = implementationOf(pd);
            matmul = primitive(pd);
            if (shape.accumulate()) {
                dnnl_post_ops_destroy(sum);
            }
            dnnl_primitive_attr_destroy(attr);

            reorderArgsA = args(DNNL_ARG_FROM, floatA, DNNL_ARG_TO, denseA);
            reorderArgsB = args(DNNL_ARG_FROM, floatB, DNNL_ARG_TO, denseB);
            matmulArgs = args(DNNL_ARG_SRC, sourceA, DNNL_ARG_WEIGHTS, sourceB, DNNL_ARG_DST, result);
        }

        void run(Context context, FloatPointer a, FloatPointer b, FloatPointer c) {
            context.reserve(sizeA, sizeB);
            check(dnnl_memory_set_data_handle(floatA, a), "bind a");
            check(dnnl_memory_set_data_handle(floatB, b), "bind b");
            check(dnnl_memory_set_data_handle(denseA, context.bufferA), "bind bf16 a");
            check(dnnl_memory_set_data_handle(denseB, context.bufferB), "bind bf16 b");
            check(dnnl_memory_set_data_handle(sourceA, context.bufferA), "bind bf16 a");
            check(dnnl_memory_set_data_handle(sourceB, context.bufferB), "bind bf16 b");
            check(dnnl_memory_set_data_handle(result, c), "bind c");
            check(dnnl_primitive_execute(reorderA, context.stream, 2, reorderArgsA), "round a to bf16");
            check(dnnl_primitive_execute(reorderB, context.stream, 2, reorderArgsB), "round b to bf16");
            check(dnnl_primitive_execute(matmul, context.stream, 3, matmulArgs), "multiply in bf16");
            check(dnnl_stream_wait(context.stream), "wait for the product");
        }

        void destroy() {
            primitives.forEach(p -> dnnl_primitive_destroy(p));
            memories.forEach(m -> dnnl_memory_destroy(m));
            reorderArgsA.close();
            reorderArgsB.close();
            matmulArgs.close();
        }

        private dnnl_memory memory(dnnl_memory_desc_t desc, dnnl_engine engine) {
            dnnl_memory memory = new dnnl_memory();
            // Created without a buffer of its own (handle null); every run binds the caller's.
            check(dnnl_memory_create(memory, desc, engine, null), "create a memory object");
            memories.add(memory);
            return memory;
        }

        private dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to, dnnl_engine engine) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "create a bf16 reorder");
            return primitive(pd);
        }

        private dnnl_primitive primitive(dnnl_primitive_desc pd) {
            dnnl_primitive primitive = new dnnl_primitive();
            int status = dnnl_primitive_create(primitive, pd);
            dnnl_primitive_desc_destroy(pd);
            check(status, "create a primitive");
            primitives.add(primitive);
            return primitive;
        }

        private static String implementationOf(dnnl_primitive_desc pd) {
            try (PointerPointer<BytePointer> name = new PointerPointer<>(1)) {
                check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "query the implementation");
                return new BytePointer(name.get(0)).getString();
            }
        }

        private static dnnl_exec_arg_t args(Object... pairs) {
            dnnl_exec_arg_t args = new dnnl_exec_arg_t(pairs.length / 2);
            for (int i = 0; i < pairs.length / 2; i++) {
                args.position(i).arg((Integer) pairs[2 * i]).memory((dnnl_memory) pairs[2 * i + 1]);
            }
            return args.position(0);
        }

        /** A row-major 2-d descriptor of (rows, cols) with the given strides in elements. */
        private static dnnl_memory_desc_t desc(int type, long rows, long cols, long rowStride, long colStride) {
            dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
            check(dnnl_memory_desc_init_by_strides(desc, 2, new long[] {rows, cols}, type,
                    new long[] {rowStride, colStride}), "describe a " + rows + " x " + cols + " matrix");
            return desc;
        }
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN could not " + what + " (status " + status + ")");
        }
    }
}
