package org.varec.nn;

/**
 * Element-wise activation functions with their derivatives, in float. The scalar methods here are
 * the definitions and the scalar kernels' implementation; the vector kernels compute the same
 * sequence of float operations lane by lane and give the same bits (the exponentials and
 * logarithms are {@link FloatMath}'s, within 2 ulps of the exact functions).
 *
 * <p>Numerically stable forms: the sigmoid is {@code 1 / (1 + e^-x)} for {@code x >= 0} and
 * {@code e^x / (1 + e^x)} below, so neither branch overflows; the softplus is
 * {@code max(x, 0) + log1p(e^-|x|)}, exact to float precision for large |x| (no
 * {@code log(1 + e^x)} overflow at x > 88, no loss of the small value at x << 0).
 */
public enum Activation {
    /** {@code f(x) = x}. */
    IDENTITY,
    /** {@code f(x) = 1 / (1 + e^-x)}, {@code f' = f (1 - f)}. */
    SIGMOID,
    /** {@code f(x) = tanh x}, {@code f' = 1 - f^2}. */
    TANH,
    /** {@code f(x) = max(x, 0)} (NaN stays NaN), {@code f' = [x > 0]} (0 at x = 0). */
    RELU,
    /** {@code f(x) = log(1 + e^x)}, {@code f' = sigmoid(x)}. */
    SOFTPLUS;

    /** {@code f(x)}. */
    public float apply(float x) {
        return switch (this) {
            case IDENTITY -> x;
            case SIGMOID -> sigmoid(x);
            case TANH -> FloatMath.tanh(x);
            case RELU -> Math.max(x, 0f);
            case SOFTPLUS -> softplus(x);
        };
    }

    /**
     * {@code dOut * f'(x)} given the input {@code x} and the output {@code y = f(x)} (the sigmoid
     * and tanh derivatives are taken from {@code y}, the others from {@code x}). The products are in
     * float, in the order the vector kernels use: {@code dOut * (y * (1 - y))}, {@code dOut * (1 - y * y)}.
     */
    public float backward(float x, float y, float dOut) {
        return switch (this) {
            case IDENTITY -> dOut;
            case SIGMOID -> dOut * (y * (1f - y));
            case TANH -> dOut * (1f - y * y);
            case RELU -> x > 0 ? dOut : 0f;
            case SOFTPLUS -> dOut * sigmoid(x);
        };
    }

    /** Whether the forward output equals the input, so a network can skip the layer. */
    public boolean isIdentity() {
        return this == IDENTITY;
    }

    /** The logistic sigmoid in its stable two-branch form, {@code 1 / (1 + t)} or {@code t / (1 + t)} with {@code t = e^-|x|}. */
    public static float sigmoid(float x) {
        return FloatMath.sigmoid(x);
    }

    /** {@code log(1 + e^x) = max(x, 0) + log1p(e^-|x|)}. */
    public static float softplus(float x) {
        return FloatMath.softplus(x);
    }
}
