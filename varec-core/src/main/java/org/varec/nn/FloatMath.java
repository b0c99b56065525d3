package org.varec.nn;

/**
 * Float {@code exp}, {@code tanh} and {@code log1p} on [0, 1] made of IEEE basic operations only
 * (add, multiply, fused multiply-add, divide, and integer bit manipulation of the exponent), so
 * that {@link VectorKernels} can compute the same functions lane by lane with the same sequence of
 * operations and get the same bits. Neither {@link Math} nor the Vector API's transcendental
 * operators allow that: the Vector API computes {@code EXP} with the JIT's vector math library once
 * a loop is compiled and with {@code (float) Math.exp(x)} per lane before, so a training run would
 * depend on when the JIT compiled it.
 *
 * <p>The polynomials are Cephes' single-precision ones (S. L. Moshier, Cephes Math Library,
 * {@code expf.c}, {@code tanhf.c}, {@code logf.c}): relative error within 2 ulps for exp and tanh,
 * 3 for log1p (FloatMathTest measures them on dense grids).
 * Range handling: {@code exp} is +inf above {@code 88.376} and 0 below {@code -87.337} (no
 * subnormal results).
 */
final class FloatMath {
    static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split into a part with few bits (exact products with small integers) and the rest. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float MAX_LOG = 88.3762626647949f;
    static final float MIN_LOG = -87.3365447504019f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer (to nearest even). */
    static final float ROUND = 12582912f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;
    static final float T0 = -5.70498872745e-3f;
    static final float T1 = 2.06390887954e-2f;
    static final float T2 = -5.37397155531e-2f;
    static final float T3 = 1.33314422036e-1f;
    static final float T4 = -3.33332819422e-1f;
    /** Below this |x| tanh uses its odd polynomial, above it the exponential form. */
    static final float TANH_SMALL = 0.625f;
    static final float SQRT2 = 1.41421356237f;
    static final float L0 = 7.0376836292e-2f;
    static final float L1 = -1.1514610310e-1f;
    static final float L2 = 1.1676998740e-1f;
    static final float L3 = -1.2420140846e-1f;
    static final float L4 = 1.4249322787e-1f;
    static final float L5 = -1.6668057665e-1f;
    static final float L6 = 2.0000714765e-1f;
    static final float L7 = -2.4999993993e-1f;
    static final float L8 = 3.3333331174e-1f;

    private FloatMath() {
    }

    /**
     * {@code e^x}: {@code x = n ln2 + r} with n the nearest integer to {@code x log2 e} and
     * {@code |r| <= ln2 / 2} (r by two fmas, exact), {@code e^r} by Cephes' degree-7 polynomial
     * {@code 1 + r + r^2 P(r)}, times {@code 2^n} built in the exponent bits.
     */
    static float exp(float x) {
        if (x > MAX_LOG) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < MIN_LOG) {
            return 0f;
        }
        float shifted = x * LOG2E + ROUND;
        float n = shifted - ROUND;
        int ni = Float.floatToRawIntBits(shifted) - Float.floatToRawIntBits(ROUND);
        float r = Math.fma(-n, LN2_HI, x);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * Float.intBitsToFloat((ni + 127) << 23);
    }

    /**
     * {@code tanh x}: for {@code |x| < 0.625} Cephes' odd polynomial {@code x + x^3 P(x^2)}, above it
     * {@code 1 - 2 / (e^{2|x|} + 1)} with the sign of x (1 once the exponential overflows).
     */
    static float tanh(float x) {
        float z = Math.abs(x);
        if (z < TANH_SMALL) {
            float s = x * x;
            float p = Math.fma(T0, s, T1);
            p = Math.fma(p, s, T2);
            p = Math.fma(p, s, T3);
            p = Math.fma(p, s, T4);
            return Math.fma(p * s, x, x);
        }
        float r = 1f - 2f / (exp(z + z) + 1f);
        return x < 0 ? -r : r;
    }

    /**
     * {@code log(1 + t)} for {@code t} in [0, 1]: {@code u = 1 + t} rounded, {@code log u} by
     * Cephes' {@code logf} polynomial on {@code f = u - 1} (or {@code u/2 - 1} plus ln 2 above
     * sqrt 2; both differences exact), corrected by {@code t / (u - 1)} for the rounding of u
     * (Goldberg 1991, Theorem 4); {@code t} itself when u rounds to 1.
     */
    static float log1pUnit(float t) {
        float u = 1f + t;
        if (u == 1f) {
            return t;
        }
        boolean high = u > SQRT2;
        float f = high ? u * 0.5f - 1f : u - 1f;
        float e = high ? 1f : 0f;
        float z = f * f;
        float p = Math.fma(L0, f, L1);
        p = Math.fma(p, f, L2);
        p = Math.fma(p, f, L3);
        p = Math.fma(p, f, L4);
        p = Math.fma(p, f, L5);
        p = Math.fma(p, f, L6);
        p = Math.fma(p, f, L7);
        p = Math.fma(p, f, L8);
        float y = p * f * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        float log = Math.fma(e, LN2_HI, f + y);
        return log * (t / (u - 1f));
    }

    /** The stable sigmoid: with {@code t = e^-|x|}, {@code 1 / (1 + t)} for x >= 0 and {@code t / (1 + t)} below. */
    static float sigmoid(float x) {
        float t = exp(-Math.abs(x));
        float s = 1f / (1f + t);
        return x >= 0 ? s : t * s;
    }

    /** {@code log(1 + e^x) = max(x, 0) + log1p(e^-|x|)}. */
    static float softplus(float x) {
        return Math.max(x, 0f) + log1pUnit(exp(-Math.abs(x)));
    }
}
