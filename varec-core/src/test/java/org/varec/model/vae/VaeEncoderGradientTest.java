package org.varec.model.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.model.Params;
import org.varec.model.ParamSpec;
import org.varec.nn.Dropout;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * The whole encoder of one side (observed and latent branches, concatenation, trunk, separate or
 * shared heads, attention of the mean and the variance, softplus) against central finite
 * differences of an independent double-precision reference, on tiny shapes and for every switch:
 * the loss is {@code sum cm . mu + cs . s}.
 */
class VaeEncoderGradientTest {
    private static final double H = 1e-6;
    /** The seed of the entry-dropout masks in the tests with {@code dropout > 0}. */
    private static final long DROP_SEED = 11;
    /** The decoder offset c the observed input is centred on with input_center=true. */
    private static final double INPUT_OFFSET = 3.25;

    static VaeBmfConfig config(String... set) {
        // dropout=0 unless set: the plain forward (the tests of dropout set it)
        List<String> s = new ArrayList<>(List.of("rank=2", "intermediate_rank=3", "branch_hidden=4", "hidden=3",
                "dropout=0"));
        s.addAll(List.of(set));
        return ParamSpec.of(VaeBmfConfig.class).parse(Params.parse(s), false);
    }

    /** Reads the parameter arrays in the encoder's order. */
    private static final class Cursor {
        final List<double[]> p;
        int at;

        Cursor(List<double[]> p) {
            this.p = p;
        }

        double[] next() {
            return p.get(at++);
        }
    }

    /** A sparse layer, ReLU, then dense ReLU layers (eq. 8); returns batch x out. */
    private static double[] branch(Cursor c, int[] off, int[] idx, double[] val, int batch, int layers, int[] widths) {
        double[] w = c.next();
        double[] b = c.next();
        int width = b.length;
        double[] h = new double[batch * width];
        for (int r = 0; r < batch; r++) {
            for (int o = 0; o < width; o++) {
                double s = b[o];
                for (int p = off[r]; p < off[r + 1]; p++) {
                    s += val[p] * w[idx[p] * width + o];
                }
                h[r * width + o] = Math.max(s, 0);
            }
        }
        for (int l = 0; l < layers; l++) {
            h = affine(c, h, batch, true);
        }
        return h;
    }

    private static double[] affine(Cursor c, double[] x, int batch, boolean relu) {
        double[] w = c.next();
        double[] b = c.next();
        int out = b.length;
        int in = w.length / out;
        double[] y = new double[batch * out];
        for (int r = 0; r < batch; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[i * out + o];
                }
                y[r * out + o] = relu ? Math.max(s, 0) : s;
            }
        }
        return y;
    }

    /** Eqs. (9)-(10) with a softmax; {@code vw} (null: 1) weights each entry's value (attention_ratings). */
    private static double[] attention(Cursor c, double[] q, int[] off, int[] idx, double[] vw, double[] table, int batch,
                                      int k) {
        double[] theta = c.next();
        double[] w = c.next();
        double[] b = c.next();
        double[] y = new double[batch * k];
        for (int r = 0; r < batch; r++) {
            double[] x = new double[2 * k];
            System.arraycopy(q, r * k, x, 0, k);
            int lo = off[r];
            int hi = off[r + 1];
            double[] s = new double[hi - lo];
            double z = 0;
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < k; i++) {
                    for (int l = 0; l < k; l++) {
                        s[p - lo] += q[r * k + i] * theta[i * k + l] * table[idx[p] * k + l];
                    }
                }
                z += Math.exp(s[p - lo]);
            }
            for (int p = lo; p < hi; p++) {
                for (int l = 0; l < k; l++) {
                    x[k + l] += Math.exp(s[p - lo]) / z * (vw == null ? 1 : vw[p]) * table[idx[p] * k + l];
                }
            }
            for (int o = 0; o < k; o++) {
                double v = b[o];
                for (int i = 0; i < 2 * k; i++) {
                    v += x[i] * w[i * k + o];
                }
                y[r * k + o] = v;
            }
        }
        return y;
    }

    /** {@code sum cm . mu + cs . s} in double. */
    static double reference(VaeBmfConfig cfg, List<double[]> params, int[] off, int[] idx, double[] val, double[] table,
                            int batch, double[] cm, double[] cs) {
        return reference(cfg, params, off, idx, val, table, batch, cm, cs, null);
    }

    /**
     * With {@code keep} (entry dropout): the entries with {@code keep[p] = false} are removed from the
     * rows, and both inputs of a row are scaled by {@code 1 / (1 - dropout)} on top of the full row's
     * {@code 1 / sqrt(entries)}.
     */
    static double reference(VaeBmfConfig cfg, List<double[]> params, int[] fullOff, int[] fullIdx, double[] fullVal,
                            double[] table, int batch, double[] cm, double[] cs, boolean[] keep) {
        int[] off = fullOff;
        int[] idx = fullIdx;
        double[] val = fullVal;
        double[] rowScale = new double[batch];
        for (int r = 0; r < batch; r++) {
            int len = fullOff[r + 1] - fullOff[r];
            rowScale[r] = (cfg.inputNorm() && len > 0 ? 1 / Math.sqrt(len) : 1) / (keep == null ? 1 : 1 - cfg.dropout());
        }
        if (keep != null) {
            off = new int[batch + 1];
            idx = new int[fullOff[batch]];
            val = new double[fullOff[batch]];
            int q = 0;
            for (int r = 0; r < batch; r++) {
                off[r] = q;
                for (int p = fullOff[r]; p < fullOff[r + 1]; p++) {
                    if (keep[p]) {
                        idx[q] = fullIdx[p];
                        val[q++] = fullVal[p];
                    }
                }
            }
            off[batch] = q;
        }
        int k = cfg.rank();
        int kp = cfg.intermediateRank();
        int bl = cfg.branchSizes().length;
        int tl = cfg.hiddenSizes().length;
        Cursor c = new Cursor(params);
        // the latent input's CSR
        int n = off[batch];
        int[] offL = new int[batch + 1];
        int[] idxL = new int[n * k];
        double[] valL = new double[n * k];
        for (int r = 0; r <= batch; r++) {
            offL[r] = off[r] * k;
        }
        double[] scaled = val.clone();
        for (int r = 0; r < batch; r++) {
            double sc = rowScale[r];
            for (int p = off[r]; p < off[r + 1]; p++) {
                scaled[p] = (val[p] - (cfg.inputCenter() ? INPUT_OFFSET : 0)) * sc;
                for (int f = 0; f < k; f++) {
                    idxL[p * k + f] = idx[p] * k + f;
                    valL[p * k + f] = table[idx[p] * k + f] * sc;
                }
            }
        }
        int towers = cfg.sharedEncoder() ? 1 : 2;
        double[][] out = new double[towers][];
        for (int t = 0; t < towers; t++) {
            int width = (cfg.dataInput() ? kp : 0) + (cfg.crossFeedback() ? kp : 0);
            double[] s = new double[batch * width];
            int col = 0;
            if (cfg.dataInput()) {
                double[] h = branch(c, off, idx, scaled, batch, bl, null);
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(h, r * kp, s, r * width + col, kp);
                }
                col += kp;
            }
            if (cfg.crossFeedback()) {
                double[] g = branch(c, offL, idxL, valL, batch, bl, null);
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(g, r * kp, s, r * width + col, kp);
                }
            }
            double[] x = s;
            for (int l = 0; l < tl; l++) {
                x = affine(c, x, batch, true);
            }
            out[t] = affine(c, x, batch, false);
        }
        double[] m = new double[batch * k];
        double[] rho = new double[batch * k];
        for (int r = 0; r < batch; r++) {
            if (towers == 1) {
                System.arraycopy(out[0], r * 2 * k, m, r * k, k);
                System.arraycopy(out[0], r * 2 * k + k, rho, r * k, k);
            } else {
                System.arraycopy(out[0], r * k, m, r * k, k);
                System.arraycopy(out[1], r * k, rho, r * k, k);
            }
        }
        if (cfg.usesAttention()) {
            double[] vw = null;
            if (cfg.attentionRatings() && cfg.dataInput()) {
                vw = new double[n];
                for (int p = 0; p < n; p++) {
                    vw[p] = val[p] - INPUT_OFFSET;
                }
            }
            m = attention(c, m, off, idx, vw, table, batch, k);
            rho = attention(c, rho, off, idx, null, table, batch, k);
        }
        if (cfg.ridgeInput() && cfg.dataInput() && cfg.crossFeedback()) {
            // ridge_input: m_r += x_r R, (sum_p v_p v_p^T + tau I) x_r = sum_p v_p (val_p - c0) over the kept
            // entries, solved by Gaussian elimination
            double[] rm = c.next();
            for (int r = 0; r < batch; r++) {
                double[][] a = new double[k][k + 1];
                for (int f = 0; f < k; f++) {
                    a[f][f] = cfg.tau();
                }
                for (int p = off[r]; p < off[r + 1]; p++) {
                    for (int f = 0; f < k; f++) {
                        for (int g = 0; g < k; g++) {
                            a[f][g] += table[idx[p] * k + f] * table[idx[p] * k + g];
                        }
                        a[f][k] += table[idx[p] * k + f] * (val[p] - INPUT_OFFSET);
                    }
                }
                double[] x = solve(a, k);
                for (int g = 0; g < k; g++) {
                    for (int f = 0; f < k; f++) {
                        m[r * k + f] += x[g] * rm[g * k + f];
                    }
                }
            }
        }
        assertEquals(params.size(), c.at, "reference read every array");
        double loss = 0;
        for (int e = 0; e < batch * k; e++) {
            loss += cm[e] * m[e] + cs[e] * (Math.log1p(Math.exp(rho[e])) + VaeEncoder.MIN_VARIANCE);
        }
        return loss;
    }

    /** Solves the k x k system in the augmented matrix {@code a} (column k the right side), no pivoting (SPD). */
    private static double[] solve(double[][] a, int k) {
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double f = a[j][i] / a[i][i];
                for (int c = i; c <= k; c++) {
                    a[j][c] -= f * a[i][c];
                }
            }
        }
        double[] x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double r = a[i][k];
            for (int j = i + 1; j < k; j++) {
                r -= a[i][j] * x[j];
            }
            x[i] = r / a[i][i];
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "input_norm=false", "shared_encoder=true", "hidden=", "branch_hidden=", "attention=false",
            "data_input=false", "cross_feedback=false", "branch_hidden=4,3 hidden=3,2", "preset=b", "preset=e",
            "input_center=true", "input_center=true input_norm=false", "attention_ratings=false",
            "attention_ratings=true input_center=true shared_encoder=true", "dropout=0.4",
            "dropout=0.4 input_norm=false", "dropout=0.4 shared_encoder=true input_center=true", "dropout=0.4 preset=b",
            "dropout=0.4 data_input=false", "dropout=0.4 cross_feedback=false", "ridge_input=true",
            "ridge_input=true dropout=0.4 attention=false tau=2.5", "ridge_input=true shared_encoder=true",
            "ridge_input=true data_input=false", "ridge_input=true cross_feedback=false"})
    void gradientsMatchFiniteDifferences(String setting) {
        VaeBmfConfig cfg = config(setting.isEmpty() ? new String[0] : setting.split(" "));
        Rng rng = new Rng(setting.hashCode());
        int cols = 5;
        int k = cfg.rank();
        int batch = 3;
        int[] off = {0, 2, 2, 6};
        int[] idx = {1, 4, 0, 2, 3, 4};
        float[] val = {5, 2, 1, 3, 4, 4};
        float[] table = new float[cols * k];
        for (int e = 0; e < table.length; e++) {
            table[e] = (float) rng.nextGaussian();
        }
        VaeEncoder enc = new VaeEncoder("u", cols, cfg).initialize(rng, 0.01).inputOffset(INPUT_OFFSET, cfg);
        for (ParamArray p : enc.params()) {
            for (int e = 0; e < p.size(); e++) {
                p.value()[e] = (float) (0.5 * rng.nextGaussian());
            }
        }
        float[] cm = new float[batch * k];
        float[] cs = new float[batch * k];
        for (int e = 0; e < cm.length; e++) {
            cm[e] = (float) rng.nextGaussian();
            cs[e] = (float) rng.nextGaussian();
        }
        float[] mu = new float[batch * k];
        float[] s = new float[batch * k];
        // entry dropout: the encoder draws its masks from a stream of DROP_SEED, the reference reads them
        boolean[] keep = null;
        if (cfg.dropout() > 0) {
            float[] mask = new float[off[batch]];
            Arrays.fill(mask, 1f);
            Dropout.apply((float) cfg.dropout(), mask, mask, 0, mask.length, new Rng(DROP_SEED));
            keep = new boolean[mask.length];
            int kept = 0;
            for (int p = 0; p < mask.length; p++) {
                keep[p] = mask[p] != 0f;
                kept += keep[p] ? 1 : 0;
            }
            assertTrue(kept > 0 && kept < mask.length, "the mask drops some entries and keeps some");
        }
        try (Parallel pool = new Parallel(2)) {
            enc.forward(off, idx, val, table, batch, mu, s, pool, (float) cfg.dropout(), new Rng(DROP_SEED));
            enc.backward(off, idx, val, table, batch, s, cm, cs, pool);
        }
        boolean[] kp = keep;
        List<double[]> params = new ArrayList<>();
        for (ParamArray p : enc.params()) {
            params.add(widen(p.value()));
        }
        double[] vd = widen(val);
        double[] td = widen(table);
        double[] cmd = widen(cm);
        double[] csd = widen(cs);
        double forward = 0;
        for (int e = 0; e < mu.length; e++) {
            forward += cm[e] * mu[e] + cs[e] * s[e];
        }
        assertEquals(reference(cfg, params, off, idx, vd, td, batch, cmd, csd, kp), forward,
                1e-4 * (1 + Math.abs(forward)));
        for (int a = 0; a < params.size(); a++) {
            double[] at = params.get(a);
            ParamArray p = enc.params().get(a);
            for (int e = 0; e < at.length; e++) {
                double x = at[e];
                double step = H * (1 + Math.abs(x));
                at[e] = x + step;
                double up = reference(cfg, params, off, idx, vd, td, batch, cmd, csd, kp);
                at[e] = x - step;
                double down = reference(cfg, params, off, idx, vd, td, batch, cmd, csd, kp);
                at[e] = x;
                double num = (up - down) / (2 * step);
                double tol = 1e-4 + 1e-3 * Math.abs(num);
                float ana = p.grad()[e];
                int idxE = e;
                assertTrue(Math.abs(ana - num) <= tol, () -> p.name() + "[" + idxE + "]: analytic " + ana
                        + " vs numeric " + num + " (" + setting + ")");
            }
        }
    }

    static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int e = 0; e < v.length; e++) {
            d[e] = v[e];
        }
        return d;
    }
}
