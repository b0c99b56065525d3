package org.varec.model.svd;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.model.BiasedFactorModel;
import org.varec.model.UserState;

/**
 * A truncated SVD {@code A ~ U S V^T} of the centred rating matrix as a factor model:
 * {@code r_ui = mu [+ b_u + b_i] + p_u . q_i} with {@code q_i = V_i sqrt(S)} and
 * {@code p_u = A_u V S^(-1/2)} (= {@code U_u sqrt(S)} for exact singular vectors). Components
 * beyond the matrix's numerical rank have zero singular value and zero factors.
 */
public final class SvdModel extends BiasedFactorModel {
    private final double[] sigma;
    private final double regBias;

    /** Takes the arrays without copying. {@code userBias} and {@code itemBias} are both null or both set. */
    public SvdModel(int rank, double mu, double[] sigma, float[] userFactors, float[] itemFactors, float[] userBias,
                    float[] itemBias, double regBias) {
        super(rank, mu, userFactors, itemFactors, userBias, itemBias);
        if (sigma.length != rank) {
            throw new IllegalArgumentException(sigma.length + " singular values for rank " + rank);
        }
        this.sigma = sigma;
        this.regBias = regBias;
    }

    public static SvdModel read(DataInput in, SvdConfig config) throws IOException {
        Factors f = Factors.read(in, config.rank());
        double[] sigma = ModelIo.readDoubles(in);
        try {
            return new SvdModel(f.rank(), f.mu(), sigma, f.userFactors(), f.itemFactors(), f.userBias(), f.itemBias(),
                    config.regBias());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        writeFactors(out);
        ModelIo.writeDoubles(out, sigma);
    }

    /** Singular values, descending (a copy). */
    public double[] singularValues() {
        return sigma.clone();
    }

    @Override
    public String algorithm() {
        return "svd";
    }

    /**
     * Projects the new user's centred ratings onto the item factors, as the trained users were:
     * {@code v_f = sum_j a_j q_jf / sigma_f}, which is the ridge least-squares fit of the user's
     * full centred row (missing entries 0, as in the factorized matrix) with a vanishing ridge,
     * since {@code Q^T Q = S}. With {@code center=biases} the user's bias comes first, by the
     * closed form of the {@code biases} baseline: {@code b = sum_j (r_j - mu - b_j) / (reg_bias + n)}.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        final int k = rank;
        final float[] q = itemFactors;
        double b = 0;
        if (userBias != null) {
            double s = 0;
            int n = 0;
            for (int t = 0; t < items.length; t++) {
                if (knownItem(items[t])) {
                    s += ratings[t] - mu - itemBias[items[t]];
                    n++;
                }
            }
            b = n == 0 ? 0 : s / (regBias + n);
        }
        double[] acc = new double[k];
        for (int t = 0; t < items.length; t++) {
            int j = items[t];
            if (!knownItem(j)) {
                continue;
            }
            double a = ratings[t] - mu - b - (itemBias == null ? 0 : itemBias[j]);
            for (int f = 0; f < k; f++) {
                acc[f] += a * q[j * k + f];
            }
        }
        float[] v = new float[k];
        for (int f = 0; f < k; f++) {
            v[f] = sigma[f] > 0 ? (float) (acc[f] / sigma[f]) : 0f;
        }
        return new State(-1, v, b);
    }
}
