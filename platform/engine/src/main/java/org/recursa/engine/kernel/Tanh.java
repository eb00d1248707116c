package org.recursa.engine.kernel;

/**
 * A float tanh the JIT can vectorise: {@link Math#tanh} is a scalar library call that would cost more than the
 * native op it replaces. {@code tanh(x) = x P(x^2) / Q(x^2)}, a rational approximation fitted by
 * {@code bench/tanh_fit.py} (relative error 1.5e-9 in exact arithmetic on the clamped range; in float32 the
 * rounding of the evaluation dominates, about 3.5e-7 absolute, a few ulps), with x clamped to +-7.905, beyond
 * which tanh rounds to +-1 in float32.
 */
final class Tanh {

    private static final float CLAMP = 7.90531110763549805f;
    private static final float P0 = 9.9999999845352783e-01f;
    private static final float P1 = 1.3127922348587512e-01f;
    private static final float P2 = 3.1534107124091631e-03f;
    private static final float P3 = 1.1686916361480135e-05f;
    private static final float P4 = -2.2513796918668896e-08f;
    private static final float P5 = 6.4763126031436792e-11f;
    private static final float P6 = -1.1904358503076921e-13f;
    private static final float Q1 = 4.6461254072643099e-01f;
    private static final float Q2 = 2.4690952190276925e-02f;
    private static final float Q3 = 2.6189797925495016e-04f;

    private Tanh() {
    }

    static float of(float x) {
        float c = Math.max(-CLAMP, Math.min(CLAMP, x));
        float z = c * c;
        float p = ((((((P6 * z + P5) * z + P4) * z + P3) * z + P2) * z + P1) * z + P0) * c;
        float q = ((Q3 * z + Q2) * z + Q1) * z + 1;
        return p / q;
    }
}
