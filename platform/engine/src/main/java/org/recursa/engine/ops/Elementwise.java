package org.recursa.engine.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.host.Gradients;
import org.recursa.engine.kernel.Blas;

/** Sums, products and reductions: the glue of residual connections, gates and losses. */
public final class Elementwise {

    private Elementwise() {
    }

    /** {@code a + b}, same shapes. */
    public static Var add(Tape tape, Var a, Var b) {
        requireSameShape(a, b);
        Var out = new Var(a.value().add(b.value()), tape.needsGrad(a, b));
        tape.record(() -> {
            // out's gradient is dead once this runs, so the first input may take the buffer itself.
            b.accumulate(out.grad());
            Gradients.adopt(a, out.grad());
        }, a, b);
        return out;
    }

    /**
     * Adds the same (T, C) block to every run of T rows: {@code a[b*T + t, :] + s[t, :]}. Position and step
     * signals are one row per position, shared by the batch; adding them by broadcast costs one pass, where
     * looking them up per token would build and back-propagate a (B*T, C) copy.
     *
     * @param a (B*T, C)
     * @param s (T, C)
     */
    public static Var addTiled(Tape tape, Var a, Var s) {
        long rows = a.value().rows();
        long period = s.value().rows();
        long width = s.value().columns();
        if (a.value().rank() != 2 || s.value().rank() != 2 || a.value().columns() != width || period == 0
                || rows % period != 0) {
            throw new IllegalArgumentException("cannot tile " + java.util.Arrays.toString(s.shape()) + " over "
                    + java.util.Arrays.toString(a.shape()));
        }
        long blocks = rows / period;
        INDArray y = a.value().ulike();
        Nd4j.exec(new BroadcastAddOp(a.value().reshape(blocks, period, width), s.value(),
                y.reshape(blocks, period, width), 1, 2));
        Var out = new Var(y, tape.needsGrad(a, s));
        tape.record(() -> {
            if (s.requiresGrad()) {
                Gradients.adopt(s, blockSums(out.grad(), blocks, period * width).reshape(period, width));
            }
            Gradients.adopt(a, out.grad());
        }, a, s);
        return out;
    }

    /** The sum of the {@code blocks} consecutive runs of {@code size} values of {@code g}, as (size). */
    private static INDArray blockSums(INDArray g, long blocks, long size) {
        INDArray sums = Nd4j.zeros(g.dataType(), size);
        addColumnSums(g.reshape(blocks, size), sums);     // ND4J's sum over axis 0 strides across rows
        return sums;
    }

    /** Adds the column sums of the (rows, cols) {@code m} into {@code into} (cols): a bias or a tiled signal's gradient. */
    static void addColumnSums(INDArray m, INDArray into) {
        if (Blas.applies(m) && Blas.denseFloat(into)) {
            Blas.addColumnSums(m, into);                  // one streaming sgemv
        } else {
            // A GEMM with a row of ones: one BLAS call instead of a strided reduction.
            INDArray ones = Nd4j.ones(m.dataType(), 1, m.rows());
            Nd4j.gemm(ones, m, into.reshape(1, m.columns()), false, false, 1.0, 1.0);
        }
    }

    /** {@code a * b} element by element, same shapes. */
    public static Var mul(Tape tape, Var a, Var b) {
        requireSameShape(a, b);
        Var out = new Var(a.value().mul(b.value()), tape.needsGrad(a, b));
        tape.record(() -> {
            if (a.requiresGrad()) {
                Gradients.adopt(a, out.grad().mul(b.value()));
            }
            if (b.requiresGrad()) {
                Gradients.adopt(b, out.grad().mul(a.value()));
            }
            Gradients.release(out);
        }, a, b);
        return out;
    }

    /**
     * Scales each row of {@code a} by one number: {@code a[i, :] * s[i]}; ACT's weighted state update.
     *
     * @param a (N, C)
     * @param s (N, 1)
     */
    public static Var mulColumn(Tape tape, Var a, Var s) {
        Var out = new Var(a.value().mulColumnVector(s.value()), tape.needsGrad(a, s));
        tape.record(() -> {
            if (a.requiresGrad()) {
                Gradients.adopt(a, out.grad().mulColumnVector(s.value()));
            }
            if (s.requiresGrad()) {
                Gradients.adopt(s, out.grad().mul(a.value()).sum(true, 1));
            }
            Gradients.release(out);
        }, a, s);
        return out;
    }

    /**
     * Scales each column of {@code a} by one number: {@code a[i, j] * r[j]}; LayerScale's per-channel gain and
     * AdaLN's per-sequence modulation.
     *
     * @param a (N, C)
     * @param r (1, C), or (C) for a parameter that weight decay should leave alone
     * @since 0.6.0
     */
    public static Var mulRow(Tape tape, Var a, Var r) {
        long width = a.value().columns();
        boolean row = r.value().rank() == 2 && r.value().rows() == 1;
        if (a.value().rank() != 2 || !(row || r.value().rank() == 1) || r.value().length() != width) {
            throw new IllegalArgumentException("mulRow needs (N, C) and (1, C) or (C), got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(r.shape()));
        }
        INDArray gains = r.value().reshape(1, width);
        Var out = new Var(a.value().mulRowVector(gains), tape.needsGrad(a, r));
        tape.record(() -> {
            if (r.requiresGrad()) {
                INDArray sums = Nd4j.zeros(r.value().dataType(), width);
                addColumnSums(out.grad().mul(a.value()), sums);
                Gradients.adopt(r, sums.reshape(r.value().shape()));
            }
            if (a.requiresGrad()) {
                Gradients.adopt(a, out.grad().mulRowVector(gains));
            }
            Gradients.release(out);
        }, a, r);
        return out;
    }

    /** {@code a * factor}. */
    public static Var scale(Tape tape, Var a, double factor) {
        Var out = new Var(a.value().mul(factor), tape.needsGrad(a));
        tape.record(() -> {
            Gradients.adopt(a, out.grad().mul(factor));
            Gradients.release(out);
        }, a);
        return out;
    }

    /**
     * {@code a * alpha} with a learnable scalar: the residual coefficients of sliced recursion and similar gates.
     *
     * @param alpha a one-element variable
     */
    public static Var scaleBy(Tape tape, Var a, Var alpha) {
        if (alpha.value().length() != 1) {
            throw new IllegalArgumentException("scaleBy needs a one-element factor, got shape "
                    + java.util.Arrays.toString(alpha.shape()));
        }
        double factor = alpha.value().getDouble(0);
        Var out = new Var(a.value().mul(factor), tape.needsGrad(a, alpha));
        tape.record(() -> {
            if (a.requiresGrad()) {
                Gradients.adopt(a, out.grad().mul(factor));
            }
            if (alpha.requiresGrad()) {
                double dAlpha = out.grad().mul(a.value()).sumNumber().doubleValue();
                Gradients.adopt(alpha, alpha.value().ulike().assign(dAlpha));
            }
            Gradients.release(out);
        }, a, alpha);
        return out;
    }

    /** {@code a + constant}. */
    public static Var shift(Tape tape, Var a, double constant) {
        Var out = new Var(a.value().add(constant), tape.needsGrad(a));
        tape.record(() -> Gradients.adopt(a, out.grad()), a);
        return out;
    }

    /** The sum of all elements, as a scalar. */
    public static Var sum(Tape tape, Var a) {
        Var out = new Var(a.value().sum().reshape(1), tape.needsGrad(a));
        tape.record(() -> Gradients.adopt(a, a.value().ulike().assign(out.grad().getDouble(0))), a);
        return out;
    }

    /** The mean of all elements, as a scalar. */
    public static Var mean(Tape tape, Var a) {
        return scale(tape, sum(tape, a), 1.0 / a.value().length());
    }

    private static void requireSameShape(Var a, Var b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shapes differ: " + java.util.Arrays.toString(a.shape()) + " and "
                    + java.util.Arrays.toString(b.shape()));
        }
    }

    /** A copy of a value, for ops that must not alias their input. */
    static INDArray copy(INDArray value) {
        return value.dup();
    }
}
