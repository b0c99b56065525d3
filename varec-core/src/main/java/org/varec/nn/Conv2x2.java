package org.varec.nn;

import java.util.List;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * A 2x2 convolution with stride 2 and bias, the layer of ConvNCF (He et al. 2018, sec. 3.2: each
 * layer halves the side of the feature map), written as one matrix product (im2col) on the
 * {@link Kernels}: for output position (oy, ox) and output channel o,
 * <pre>
 *   z[oy, ox, o] = b[o] + sum_(dy, dx in {0,1}) sum_c x[2 oy + dy, 2 ox + dx, c] W[(2 dy + dx) Cin + c, o]
 * </pre>
 *
 * <p><b>Layout: Z-order, channels last.</b> A map of side S (a power of two) with C channels is
 * {@code S * S * C} floats per sample: position (y, x) is the {@link #zOrder Z-order (Morton)}
 * index p, its channels are {@code [p C, (p+1) C)}. In Z-order the four inputs of output position
 * q are input positions {@code 4q .. 4q+3} in the order (0,0), (0,1), (1,0), (1,1): the im2col
 * patch matrix of a batch (one row of {@code 4 Cin} floats per output position) is the input
 * array itself, read with a different row length. So the layer is exactly a {@link Dense} layer
 * from {@code 4 Cin} to {@code Cout} over {@code batch * (S/2)^2} rows, and its output is again a
 * Z-ordered, channels-last map: a stack of these layers needs no copy at all. Backward is Dense's:
 * {@code dW += P^T dZ}, {@code db += colsum(dZ)}, {@code dP = dZ W^T}, where dP is already the
 * gradient of the input map (the patches do not overlap, so col2im is the identity too).
 *
 * <p>Cost: {@code 2 (S/2)^2 4 Cin Cout} flops per sample forward, twice that backward. Precision
 * and determinism as {@link Kernels} (float storage, fma chains, blocks fixed by the shapes).
 * One instance is used by one thread at a time (the Dense scratch for {@code W^T}).
 */
public final class Conv2x2 implements Layer {
    private final int side;
    private final int inChannels;
    private final int outChannels;
    private final int outPositions;
    private final Dense dense;

    /** A layer with zero weights {@code name.w} ({@code 4 Cin x Cout}) and bias {@code name.b}. */
    public Conv2x2(String name, int side, int inChannels, int outChannels) {
        this(side, inChannels, outChannels, ParamArray.dense(name + ".w", 4 * inChannels, outChannels),
                ParamArray.dense(name + ".b", 1, outChannels));
    }

    /** A layer over existing arrays: {@code w} is {@code 4 Cin x Cout}, {@code b} is {@code 1 x Cout}. */
    public Conv2x2(int side, int inChannels, int outChannels, ParamArray w, ParamArray b) {
        if (side < 2 || Integer.bitCount(side) != 1) {
            throw new IllegalArgumentException("Conv2x2: the map side must be a power of two >= 2, got " + side);
        }
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2x2: channels " + inChannels + " -> " + outChannels);
        }
        if (w.rows() != 4 * inChannels || w.cols() != outChannels) {
            throw new IllegalArgumentException(w.name() + " is " + w.rows() + " x " + w.cols() + ", expected "
                    + 4 * inChannels + " x " + outChannels);
        }
        this.side = side;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.outPositions = side / 2 * (side / 2);
        this.dense = new Dense(w, b);
    }

    /**
     * The Z-order (Morton) index of position (y, x): the bits of x at the even positions, those of
     * y at the odd ones, so that {@code zOrder(2 oy + dy, 2 ox + dx) = 4 zOrder(oy, ox) + 2 dy + dx}.
     */
    public static int zOrder(int y, int x) {
        int p = 0;
        for (int j = 0; j < 15; j++) {
            p |= ((x >> j) & 1) << (2 * j);
            p |= ((y >> j) & 1) << (2 * j + 1);
        }
        return p;
    }

    /** Side of the input map. */
    public int side() {
        return side;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public ParamArray weights() {
        return dense.weights();
    }

    public ParamArray bias() {
        return dense.bias();
    }

    /** He uniform weights over the {@code 4 Cin} inputs of a unit (for a following ReLU); zero bias. */
    public Conv2x2 initHeUniform(Rng rng) {
        dense.initHeUniform(rng);
        return this;
    }

    /** Multiply-adds per sample of the forward pass: {@code (S/2)^2 4 Cin Cout}. */
    public long multiplyAdds() {
        return (long) outPositions * 4 * inChannels * outChannels;
    }

    @Override
    public int inputSize() {
        return side * side * inChannels;
    }

    @Override
    public int outputSize() {
        return outPositions * outChannels;
    }

    @Override
    public void forward(float[] in, float[] out, int batch, Parallel pool) {
        dense.forward(in, out, batch * outPositions, pool);
    }

    @Override
    public void backward(float[] in, float[] out, float[] dOut, float[] dIn, int batch, Parallel pool) {
        dense.backward(in, out, dOut, dIn, batch * outPositions, pool);
    }

    @Override
    public List<ParamArray> params() {
        return dense.params();
    }
}
