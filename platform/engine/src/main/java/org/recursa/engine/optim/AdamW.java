package org.recursa.engine.optim;

import java.util.IdentityHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recursa.engine.Parameter;
import org.recursa.engine.ParameterSet;
import org.recursa.engine.kernel.AdamWKernel;
import org.recursa.engine.kernel.Blas;
import org.recursa.engine.kernel.HeapFloats;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}:
 * {@code p -= lr * wd * p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr * m^ / (sqrt(v^) + eps)}.
 * Decay applies to matrices only ({@link Parameter#decays()}). Gradients are clipped by global norm first.
 */
public final class AdamW {

    /** First-moment decay of every run: nanoGPT's choice for small models. */
    public static final double BETA1 = 0.9;
    /** Second-moment decay of every run: nanoGPT's 0.99 for small models (PyTorch's default is 0.999). */
    public static final double BETA2 = 0.99;
    /** Denominator floor, PyTorch's default. */
    public static final double EPS = 1e-8;

    /**
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param eps         denominator floor
     * @param weightDecay decoupled decay factor
     * @param clipNorm    global gradient-norm limit, or 0 for none
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, double clipNorm) {
        /** nanoGPT's choice for small models: betas (0.9, 0.99), decay 0.1, clip 1.0. */
        public static Settings defaults() {
            return new Settings(BETA1, BETA2, EPS, 0.1, 1.0);
        }
    }

    private final ParameterSet parameters;
    private final Settings settings;
    private final Map<Parameter, Moments> moments = new IdentityHashMap<>();
    private long step;

    /** An optimiser for these parameters. */
    public AdamW(ParameterSet parameters, Settings settings) {
        this.parameters = parameters;
        this.settings = settings;
        for (Parameter p : parameters.all()) {
            moments.put(p, Moments.zeros(p.value()));
        }
    }

    /**
     * Clips, updates every parameter with a gradient, and clears the gradients.
     *
     * @param learningRate this step's learning rate
     * @return the global gradient norm before clipping
     */
    public double step(double learningRate) {
        step++;
        double norm = gradientNorm();
        double clip = settings.clipNorm() > 0 && norm > settings.clipNorm() ? settings.clipNorm() / (norm + 1e-6) : 1;
        double correction1 = 1 - Math.pow(settings.beta1(), step);
        double correction2 = 1 - Math.pow(settings.beta2(), step);
        for (Parameter p : parameters.all()) {
            if (!p.hasGrad()) {
                continue;
            }
            double decay = p.decays() ? 1 - learningRate * settings.weightDecay() : 1;
            Moments state = moments.get(p);
            if (state.floats()) {
                updateKernel(p, state, clip, decay, learningRate / correction1, correction2);
            } else {
                updateReference(p, state, clip, decay, learningRate / correction1, correction2);
            }
        }
        parameters.zeroGrad();
        return norm;
    }

    /** Float32 parameters: one pass per parameter, moments on the Java heap. */
    private void updateKernel(Parameter p, Moments state, double clip, double decay, double stepSize,
                              double correction2) {
        float[] values = HeapFloats.read(p.value(), 0);
        AdamWKernel.update(values, HeapFloats.read(p.grad(), 1), state.firstFloats, state.secondFloats,
                state.firstFloats.length, (float) clip, (float) settings.beta1(), (float) settings.beta2(),
                (float) settings.eps(), (float) decay, (float) stepSize, (float) correction2);
        HeapFloats.write(values, p.value());
    }

    /** Any precision, as ND4J ops. */
    private void updateReference(Parameter p, Moments state, double clip, double decay, double stepSize,
                                 double correction2) {
        INDArray g = clip == 1 ? p.grad() : p.grad().muli(clip);
        state.first.muli(settings.beta1()).addi(g.mul(1 - settings.beta1()));
        state.second.muli(settings.beta2()).addi(g.mul(g).muli(1 - settings.beta2()));
        if (decay != 1) {
            p.value().muli(decay);
        }
        INDArray denominator = Transforms.sqrt(state.second.div(correction2), false).addi(settings.eps());
        p.value().subi(state.first.div(denominator).muli(stepSize));
    }

    /** First and second moments of one parameter: Java arrays for float32, ND4J arrays otherwise. */
    private static final class Moments {
        private INDArray first;
        private INDArray second;
        private float[] firstFloats;
        private float[] secondFloats;

        static Moments zeros(INDArray like) {
            Moments moments = new Moments();
            if (HeapFloats.applies(like)) {
                moments.firstFloats = new float[Math.toIntExact(like.length())];
                moments.secondFloats = new float[moments.firstFloats.length];
            } else {
                moments.first = like.like();
                moments.second = like.like();
            }
            return moments;
        }

        boolean floats() {
            return firstFloats != null;
        }
    }

    /** The L2 norm of all gradients together. */
    public double gradientNorm() {
        double sum = 0;
        for (Parameter p : parameters.all()) {
            if (p.hasGrad()) {
                INDArray g = p.grad();
                if (Blas.denseFloat(g)) {
                    sum += Blas.sumOfSquares(g);
                } else {
                    double n = g.norm2Number().doubleValue();
                    sum += n * n;
                }
            }
        }
        return Math.sqrt(sum);
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }
}
