package org.recursa.engine.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.recursa.engine.Init;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.Tape;
import org.recursa.engine.Var;
import org.recursa.engine.ops.Columns;
import org.recursa.engine.ops.Elementwise;
import org.recursa.engine.ops.Linear;

/**
 * A linear map whose output splits into k equal slices, each relaxed by a low-rank correction of its own:
 * <pre>
 *   y = base(x) + [(x A_1^T) B_1^T | ... | (x A_k^T) B_k^T]        A_i: (r, in)  B_i: (out / k, r)
 * </pre>
 * so that the effective weight is W plus the row blocks {@code [B_1 A_1; ...; B_k A_k]}, with r (in + out / k)
 * parameters per slice rather than the (in + out) r' of one {@link LoraLinear} over the whole map. On the packed
 * q/k/v projection with slices q, k and v this is what the relaxed transformer's authors do with separate
 * {@code q_proj}, {@code k_proj} and {@code v_proj} ({@link QkvLora#SEPARATE}). Parameters
 * {@code name.<slice>.lora_a} and {@code name.<slice>.lora_b}, slice by slice; as in {@link LoraLinear}, A starts
 * from N(0, 0.02²) and B at zero.
 *
 * @since 0.6.0
 */
public final class SplitLoraLinear implements LinearMap {

    private final LinearMap base;
    private final List<String> slices;
    private final List<Parameter> a;
    private final List<Parameter> b;

    private SplitLoraLinear(LinearMap base, List<String> slices, List<Parameter> a, List<Parameter> b) {
        this.base = base;
        this.slices = slices;
        this.a = a;
        this.b = b;
    }

    /**
     * @param slices names of the output slices in order, e.g. q, k, v; their number must divide {@code base.out()}
     * @param rank   r of each slice; must be in [1, min(in, out / k)] (the slice's full rank)
     */
    public static SplitLoraLinear create(ParameterSet parameters, String name, LinearMap base, List<String> slices,
                                         int rank, SplittableRandom random) {
        if (slices.isEmpty() || base.out() % slices.size() != 0) {
            throw new IllegalArgumentException(name + ": " + slices.size() + " slices do not divide its "
                    + base.out() + " outputs");
        }
        int sliceOut = base.out() / slices.size();
        if (rank < 1 || rank > Math.min(base.in(), sliceOut)) {
            throw new IllegalArgumentException("LoRA rank " + rank + " of a slice of " + name + " is not in [1, min("
                    + base.in() + ", " + sliceOut + ")]");
        }
        List<Parameter> a = new ArrayList<>();
        List<Parameter> b = new ArrayList<>();
        for (String slice : slices) {
            String prefix = name + "." + slice;
            a.add(parameters.add(prefix + ".lora_a", Init.linearWeight(random, Block.Shape.STD, base.in(), rank)));
            b.add(parameters.add(prefix + ".lora_b", Init.constant(0, sliceOut, rank)));
        }
        return new SplitLoraLinear(base, List.copyOf(slices), List.copyOf(a), List.copyOf(b));
    }

    @Override
    public Var apply(Tape tape, Var x) {
        Var y = base.apply(tape, x);
        Var[] corrections = new Var[slices.size()];
        for (int i = 0; i < corrections.length; i++) {
            corrections[i] = Linear.apply(tape, Linear.apply(tape, x, a.get(i), null), b.get(i), null);
        }
        return Elementwise.add(tape, y, Columns.concat(tape, corrections));
    }

    @Override
    public int in() {
        return base.in();
    }

    @Override
    public int out() {
        return base.out();
    }

    /** The map this one corrects. */
    public LinearMap base() {
        return base;
    }

    /** The slices' names, in the order their outputs are laid side by side. */
    public List<String> slices() {
        return slices;
    }

    /** A of slice i, (r, in). */
    public Parameter a(int slice) {
        return a.get(slice);
    }

    /** B of slice i, (out / k, r). */
    public Parameter b(int slice) {
        return b.get(slice);
    }
}
