package org.varec.model.fm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.model.Predictive;

/**
 * The {@link FmPredictor} of vfm, vbfm and ovbfm: a factorization machine with a mean-field
 * Gaussian posterior over every parameter. Holds the posterior means and variances of w0, w and V,
 * the noise precision alpha (regression) and the learned group priors (for fold-in).
 *
 * <p>{@link #predict} is the FM on the posterior means (regression: the rating; classification:
 * the mean probability of class 1, {@code E[sigmoid(y)] ~ sigmoid(E[y] / sqrt(1 + pi Var[y] / 8))}).
 * {@link #predictive} gives regression {@code (E[y], 1/alpha + Var_q[y])} and classification
 * {@code (mean probability, Var_q[y])} (the variance of the logit), {@code Var_q} from
 * {@link VfmMoments}.
 */
public final class VfmPosterior implements FmPredictor {
    final boolean classification;
    final int d;
    final int numFeatures;
    final double m0;
    final double s0;
    final float[] mw;
    final float[] sw;
    final float[] mv;
    final float[] sv;
    final double alpha;
    /** Per group g, blocks of d+1: prior means (w then v_f) and precisions. */
    final double[] priorNu;
    final double[] priorLam;

    VfmPosterior(boolean classification, int d, double m0, double s0, float[] mw, float[] sw, float[] mv, float[] sv,
                 double alpha, double[] priorNu, double[] priorLam) {
        this.classification = classification;
        this.d = d;
        this.numFeatures = mw.length;
        this.m0 = m0;
        this.s0 = s0;
        this.mw = mw;
        this.sw = sw;
        this.mv = mv;
        this.sv = sv;
        this.alpha = alpha;
        this.priorNu = priorNu;
        this.priorLam = priorLam;
    }

    /**
     * The posterior of engine parameters (P, glob) as laid out by {@link VfmEngine}, in fresh arrays
     * (means and variances of the standard deviations {@code softplus(rho)}, precisions {@code exp(ell)}).
     */
    static VfmPosterior fromEngine(boolean classification, int d, int numFeatures, int numGroups, double[] P,
                                   double[] glob) {
        int K = numFeatures;
        int bs = 2 * (d + 1);
        float[] mw = new float[K];
        float[] sw = new float[K];
        float[] mv = new float[K * d];
        float[] sv = new float[K * d];
        for (int k = 0; k < K; k++) {
            int o = k * bs;
            mw[k] = (float) P[o];
            double s = VfmEngine.softplus(P[o + 1]);
            sw[k] = (float) (s * s);
            for (int f = 0; f < d; f++) {
                mv[k * d + f] = (float) P[o + 2 + f];
                double t = VfmEngine.softplus(P[o + 2 + d + f]);
                sv[k * d + f] = (float) (t * t);
            }
        }
        int G = numGroups;
        double[] nu = new double[G * (d + 1)];
        double[] lam = new double[G * (d + 1)];
        for (int g = 0; g < G; g++) {
            int o = 3 + g * bs;
            nu[g * (d + 1)] = glob[o];
            lam[g * (d + 1)] = Math.exp(glob[o + 1]);
            for (int f = 0; f < d; f++) {
                nu[g * (d + 1) + 1 + f] = glob[o + 2 + f];
                lam[g * (d + 1) + 1 + f] = Math.exp(glob[o + 2 + d + f]);
            }
        }
        double s0 = VfmEngine.softplus(glob[1]);
        return new VfmPosterior(classification, d, glob[0], s0 * s0, mw, sw, mv, sv, Math.exp(glob[2]), nu, lam);
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    public boolean classification() {
        return classification;
    }

    public int dim() {
        return d;
    }

    /** Learned noise precision alpha (regression). */
    public double noisePrecision() {
        return alpha;
    }

    int numGroups() {
        return priorNu.length / (d + 1);
    }

    @Override
    public double predict(int[] idx, float[] val, int n) {
        if (!classification) {
            return meanOutput(idx, val, n);
        }
        double[] o = new double[2];
        moments(idx, val, n, null, o);
        return toOutput(o[0], o[1]);
    }

    /** E_q[y(x)] of a row: the FM on the posterior means (the mean logit for classification). */
    public double meanOutput(int[] idx, float[] val, int n) {
        int[] ix = idx;
        float[] vx = val;
        int m = n;
        if (!inRange(idx, n)) {
            ix = new int[n];
            vx = new float[n];
            m = 0;
            for (int p = 0; p < n; p++) {
                if (idx[p] >= 0 && idx[p] < numFeatures) {
                    ix[m] = idx[p];
                    vx[m++] = val[p];
                }
            }
        }
        return FmKernel.predict(m0, mw, mv, d, ix, vx, m, new double[Math.max(d, 1)]);
    }

    @Override
    public Predictive predictive(int[] idx, float[] val, int n) {
        return predictive(idx, val, n, null);
    }

    /** The predictive distribution of a row, with the folded-in user's own feature (value 1) when {@code folded} is set. */
    Predictive predictive(int[] idx, float[] val, int n, VfmModel.Folded folded) {
        double[] o = new double[2];
        moments(idx, val, n, folded, o);
        return classification ? new Predictive(toOutput(o[0], o[1]), o[1]) : new Predictive(o[0], 1 / alpha + o[1]);
    }

    /** The mean of the predictive distribution (as {@link #predict}, the folded-in user's feature included). */
    double predict(int[] idx, float[] val, int n, VfmModel.Folded folded) {
        double[] o = new double[2];
        moments(idx, val, n, folded, o);
        return toOutput(o[0], o[1]);
    }

    /**
     * E[y(x)] and Var_q[y(x)] of a row into {@code out}, plus a folded-in user's feature at value 1
     * when {@code folded} is set; features outside the trained range are left out.
     */
    void moments(int[] idx, float[] val, int n, VfmModel.Folded folded, double[] out) {
        int m = n + (folded == null ? 0 : 1);
        float[] x = new float[m];
        double[] gmw = new double[m];
        double[] gsw = new double[m];
        double[] gmv = new double[m * d];
        double[] gsv = new double[m * d];
        int q = 0;
        for (int p = 0; p < n; p++) {
            int k = idx[p];
            if (k < 0 || k >= numFeatures) {
                continue;
            }
            x[q] = val[p];
            gmw[q] = mw[k];
            gsw[q] = sw[k];
            for (int f = 0; f < d; f++) {
                gmv[q * d + f] = mv[k * d + f];
                gsv[q * d + f] = sv[k * d + f];
            }
            q++;
        }
        if (folded != null) {
            x[q] = 1f;
            gmw[q] = folded.mw();
            gsw[q] = folded.sw();
            for (int f = 0; f < d; f++) {
                gmv[q * d + f] = folded.mv()[f];
                gsv[q * d + f] = folded.sv()[f];
            }
            q++;
        }
        VfmMoments.moments(m0, s0, gmw, gsw, gmv, gsv, d, x, q, out);
    }

    private boolean inRange(int[] idx, int n) {
        for (int p = 0; p < n; p++) {
            if (idx[p] < 0 || idx[p] >= numFeatures) {
                return false;
            }
        }
        return true;
    }

    private double toOutput(double mean, double var) {
        if (!classification) {
            return mean;
        }
        return VfmEngine.sigmoid(mean / Math.sqrt(1 + Math.PI * var / 8));
    }

    /** Writes m0, s0, the means and variances of w and V, alpha and the group priors. */
    void write(DataOutput out) throws IOException {
        out.writeDouble(m0);
        out.writeDouble(s0);
        ModelIo.writeFloats(out, mw);
        ModelIo.writeFloats(out, sw);
        ModelIo.writeFloats(out, mv);
        ModelIo.writeFloats(out, sv);
        out.writeDouble(alpha);
        ModelIo.writeDoubles(out, priorNu);
        ModelIo.writeDoubles(out, priorLam);
    }

    /** Reads what {@link #write} wrote for {@code numFeatures} features in {@code numGroups} groups. */
    static VfmPosterior read(DataInput in, boolean classification, int d, int numFeatures, int numGroups,
                             String algorithm) throws IOException {
        double m0 = in.readDouble();
        double s0 = in.readDouble();
        float[] mw = ModelIo.readFloats(in);
        float[] sw = ModelIo.readFloats(in);
        float[] mv = ModelIo.readFloats(in);
        float[] sv = ModelIo.readFloats(in);
        double alpha = in.readDouble();
        double[] nu = ModelIo.readDoubles(in);
        double[] lam = ModelIo.readDoubles(in);
        int K = numFeatures;
        if (mw.length != K || sw.length != K || mv.length != K * d || sv.length != K * d
                || nu.length != numGroups * (d + 1) || lam.length != nu.length) {
            throw new IOException("corrupt " + algorithm + " model: parameter sizes do not match");
        }
        return new VfmPosterior(classification, d, m0, s0, mw, sw, mv, sv, alpha, nu, lam);
    }
}
