package org.varec.model.fm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;

/**
 * The parameters of one factorization machine: global bias {@code w0}, linear weights {@code w}
 * (one per feature) and factors {@code v} ({@code p x k}, row-major: {@code v[j * k + f]}).
 * Mutable while training; models hold copies they never change.
 */
public final class FmParams {
    public double w0;
    public final float[] w;
    public final float[] v;
    public final int k;

    public FmParams(double w0, float[] w, float[] v, int k) {
        if (v.length != (long) w.length * k) {
            throw new IllegalArgumentException("v has " + v.length + " entries for " + w.length + " features x " + k);
        }
        this.w0 = w0;
        this.w = w;
        this.v = v;
        this.k = k;
    }

    /** Zero biases, factors drawn from N(0, initStdev^2) with {@code rng}. */
    public static FmParams init(int numFeatures, int k, double initStdev, org.varec.stats.Rng rng) {
        float[] v = new float[numFeatures * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (initStdev * rng.nextGaussian());
        }
        return new FmParams(0, new float[numFeatures], v, k);
    }

    public int numFeatures() {
        return w.length;
    }

    public FmParams copy() {
        return new FmParams(w0, w.clone(), v.clone(), k);
    }

    /** y(x) for a sparse row (see {@link FmKernel}); {@code sums} (length >= k) receives q_f. */
    public double predict(int[] idx, float[] val, int n, double[] sums) {
        return FmKernel.predict(w0, w, v, k, idx, val, n, sums);
    }

    public void write(DataOutput out) throws IOException {
        out.writeInt(k);
        out.writeDouble(w0);
        ModelIo.writeFloats(out, w);
        ModelIo.writeFloats(out, v);
    }

    public static FmParams read(DataInput in) throws IOException {
        int k = in.readInt();
        double w0 = in.readDouble();
        float[] w = ModelIo.readFloats(in);
        float[] v = ModelIo.readFloats(in);
        if (k < 0 || v.length != (long) w.length * k) {
            throw new IOException("corrupt FM parameters: " + v.length + " factors for " + w.length
                    + " features x " + k);
        }
        return new FmParams(w0, w, v, k);
    }
}
