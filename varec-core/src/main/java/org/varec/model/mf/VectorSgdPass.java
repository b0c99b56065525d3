package org.varec.model.mf;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK Vector API {@link SgdPass} ({@link FloatVector#SPECIES_PREFERRED}: 16 floats with
 * AVX-512, 8 with AVX2). A factor row is read as its full vectors plus one masked tail vector
 * (K = 10 at 16 lanes is one masked vector), so rows stay packed at stride K as every other part
 * of varec reads them. The dot product accumulates one fused multiply-add chain per lane and
 * folds the lanes by a butterfly of exact lane swaps and lane-wise adds (lane {@code l} plus lane
 * {@code l ^ s} for s = L/2, ..., 1): fixed operations, the same bits compiled or interpreted.
 * Loaded only by name from {@link SgdPass} when the module is present; nothing else may refer to it.
 */
final class VectorSgdPass implements SgdPass {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorShuffle<Float> SWAP8 = L > 8 ? VectorShuffle.fromOp(S, i -> i ^ 8) : null;
    private static final VectorShuffle<Float> SWAP4 = L > 4 ? VectorShuffle.fromOp(S, i -> i ^ 4) : null;
    private static final VectorShuffle<Float> SWAP2 = L > 2 ? VectorShuffle.fromOp(S, i -> i ^ 2) : null;
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, i -> i ^ 1);

    VectorSgdPass() {
        if (L > 16) {
            throw new IllegalStateException("vector width " + L + " floats not supported");
        }
    }

    @Override
    public double run(int[] tr, int from, int to, float[] p, float[] q, float[] bu, float[] bi, int k, float mu,
                      float lr, float reg, float regB) {
        int full = k - k % L;
        boolean tail = full < k;
        VectorMask<Float> m = S.indexInRange(full, k);
        float decay = 1 - lr * reg;
        double sse = 0;
        for (int t = from; t < to; t++) {
            int u = tr[3 * t];
            int i = tr[3 * t + 1];
            float r = Float.intBitsToFloat(tr[3 * t + 2]);
            int po = u * k;
            int qo = i * k;
            FloatVector acc = FloatVector.zero(S);
            for (int f = 0; f < full; f += L) {
                acc = FloatVector.fromArray(S, p, po + f).fma(FloatVector.fromArray(S, q, qo + f), acc);
            }
            if (tail) {
                acc = FloatVector.fromArray(S, p, po + full, m).fma(FloatVector.fromArray(S, q, qo + full, m), acc);
            }
            float bU = bu[u];
            float bI = bi[i];
            float e = r - (mu + bU + bI + sum(acc));
            sse += (double) e * e;
            bu[u] = bU + lr * (e - regB * bU);
            bi[i] = bI + lr * (e - regB * bI);
            float le = lr * e;
            for (int f = 0; f < full; f += L) {
                FloatVector pv = FloatVector.fromArray(S, p, po + f);
                FloatVector qv = FloatVector.fromArray(S, q, qo + f);
                pv.mul(decay).add(qv.mul(le)).intoArray(p, po + f);
                qv.mul(decay).add(pv.mul(le)).intoArray(q, qo + f);
            }
            if (tail) {
                FloatVector pv = FloatVector.fromArray(S, p, po + full, m);
                FloatVector qv = FloatVector.fromArray(S, q, qo + full, m);
                pv.mul(decay).add(qv.mul(le)).intoArray(p, po + full, m);
                qv.mul(decay).add(pv.mul(le)).intoArray(q, qo + full, m);
            }
        }
        return sse;
    }

    /** The lanes' sum by the fixed butterfly of the class comment. */
    private static float sum(FloatVector v) {
        if (L > 8) {
            v = v.add(v.rearrange(SWAP8));
        }
        if (L > 4) {
            v = v.add(v.rearrange(SWAP4));
        }
        if (L > 2) {
            v = v.add(v.rearrange(SWAP2));
        }
        v = v.add(v.rearrange(SWAP1));
        return v.lane(0);
    }
}
