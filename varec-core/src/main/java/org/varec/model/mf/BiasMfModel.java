package org.varec.model.mf;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.model.BiasedFactorModel;
import org.varec.model.UserState;
import org.varec.model.als.RidgeSolver;

/**
 * {@code r_ui = mu + b_u + b_i + p_u . q_i}. Unknown users contribute a zero bias and vector,
 * unknown items likewise. Factors are row-major float arrays ({@code p[u * k + f]}).
 */
public final class BiasMfModel extends BiasedFactorModel {
    private final double reg;
    private final double regBias;

    /** Takes the arrays without copying: the caller must not modify them afterwards. */
    public BiasMfModel(int rank, double mu, float[] userBias, float[] itemBias, float[] userFactors,
                       float[] itemFactors, double reg, double regBias) {
        super(rank, mu, userFactors, itemFactors, java.util.Objects.requireNonNull(userBias),
                java.util.Objects.requireNonNull(itemBias));
        this.reg = reg;
        this.regBias = regBias;
    }

    public static BiasMfModel read(DataInput in, BiasMfConfig config) throws IOException {
        Factors f = Factors.read(in, config.rank());
        if (f.userBias() == null) {
            throw new IOException("biasmf parameters without biases");
        }
        return new BiasMfModel(f.rank(), f.mu(), f.userBias(), f.itemBias(), f.userFactors(), f.itemFactors(),
                config.reg(), config.regBias());
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        writeFactors(out);
    }

    @Override
    public String algorithm() {
        return "biasmf";
    }

    /**
     * Bias and vector of a new user by one ridge solve with the items fixed: minimises the
     * training objective restricted to this user,
     * {@code sum_j (r_j - mu - b_j - b - v.q_j)^2 + n (reg |v|^2 + reg_bias b^2)}, over n known items.
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        int[] idx = new int[items.length];
        float[] val = new float[items.length];
        int n = knownRatings(items, ratings, idx, val);
        float[] v = new float[rank];
        if (n == 0) {
            return new State(-1, v, 0);
        }
        // The ridge problem SGD approximates for this user: its penalties are applied once per
        // rating, so over n ratings they weigh n * reg (factors) and n * reg_bias (bias). A tiny
        // floor keeps the system positive definite when a penalty is 0.
        double tau = n * Math.max(reg, 1e-9);
        double gamma = n * Math.max(regBias, 1e-9);
        double b = new RidgeSolver(rank, true).solve(itemFactors, itemBias, idx, val, 0, n, mu, 1, tau, gamma, null, 0,
                v, 0);
        return new State(-1, v, b);
    }
}
