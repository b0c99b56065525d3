package org.varec.model.svd;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.model.baseline.BiasesConfig;
import org.varec.model.baseline.BiasesModel;
import org.varec.model.baseline.BiasesTrainer;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Randomized truncated SVD (Halko, Martinsson and Tropp 2011, Algorithms 4.4 and 5.1) of the
 * centred sparse matrix A (see {@link SvdConfig}), using only sparse products over the CSR and
 * CSC arrays; the centring is applied on the fly, so A is never stored, let alone densely.
 * <ol>
 *   <li>With {@code center=biases}: the biases of the {@code biases} baseline (10 sweeps,
 *       {@code reg_user = reg_item = reg_bias}).</li>
 *   <li>{@code Y = A Omega} with a seeded Gaussian {@code items x l} block, {@code l = rank + oversample};
 *       {@code Q = qr(Y)}.</li>
 *   <li>{@code power_iters} times: {@code Q' = qr(A^T Q)}, {@code Q = qr(A Q')} (re-orthonormalized at
 *       each half step for stability).</li>
 *   <li>{@code B^T = A^T Q = Q2 R} (QR, {@code items x l}); {@code B = R^T Q2^T} and the small SVD
 *       {@code R^T = Ub S W^T} give {@code A ~ (Q Ub) S (Q2 W)^T}.</li>
 *   <li>Item factors {@code V_k sqrt(S_k)}; user factors {@code A V_k S_k^(-1/2)} (one more sparse pass:
 *       the least-squares users for the item side found, and exactly what fold-in computes).</li>
 * </ol>
 * The dense factorizations of the thin blocks are EJML's. The sparse products run in parallel
 * over fixed row blocks, each row written by one thread, so the result depends only on the seed.
 *
 * <p>The shared loop ({@link org.varec.train.Training}) drives it through a single epoch that
 * does the whole decomposition (steps 1-5) and reports {@code train_rmse} and {@code energy}
 * (the share of {@code ||A||_F^2} the kept components explain); before it there is no model.
 */
public final class SvdTrainer implements Trainer<SvdModel> {
    private static final int BLOCK = 256;
    /** Sweeps of the biases baseline when centring on biases. */
    private static final int BIAS_SWEEPS = 10;
    private final SvdConfig config;

    public SvdTrainer(SvdConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "svd";
    }

    @Override
    public EpochTrainer<SvdModel> start(TrainingData data, long seed, Parallel pool) {
        return new Run(data, seed, pool);
    }

    /** One run: its only epoch computes the decomposition. */
    private final class Run implements EpochTrainer<SvdModel> {
        private final TrainingData data;
        private final long seed;
        private final Parallel par;
        private SvdModel model;

        Run(TrainingData data, long seed, Parallel pool) {
            this.data = data;
            this.seed = seed;
            this.par = pool;
        }

        @Override
        public int plannedEpochs() {
            return 1;
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            RatingMatrix m = data.ratings();
            int nu = m.numUsers();
            int ni = m.numItems();
            int k = config.rank();
            double mu = m.mean();
            float[] bu = null;
            float[] bi = null;
            if (config.biases()) {
                BiasesTrainer.Run biases = new BiasesTrainer(new BiasesConfig(BIAS_SWEEPS, config.regBias(),
                        config.regBias())).start(data, seed, par);
                for (int sweep = 0; sweep < BIAS_SWEEPS; sweep++) {
                    biases.sweep();
                }
                BiasesModel b = biases.snapshot();
                bu = new float[nu];
                bi = new float[ni];
                for (int u = 0; u < nu; u++) {
                    bu[u] = (float) b.userBias(u);
                }
                for (int i = 0; i < ni; i++) {
                    bi[i] = (float) b.itemBias(i);
                }
            }
            Centred a = new Centred(m, mu, bu, bi);
            double[] sigma = new double[k];
            float[] userF = new float[Math.multiplyExact(nu, k)];
            float[] itemF = new float[Math.multiplyExact(ni, k)];
            int l = Math.min(k + config.oversample(), Math.min(nu, ni));
            int kk = Math.min(k, l);
            if (kk > 0 && m.nnz() > 0) {
                factorize(a, par, l, kk, Rng.stream(seed, 0), sigma, userF, itemF, k);
            }
            model = new SvdModel(k, mu, sigma, userF, itemF, bu, bi, config.regBias());
            double sse = 0;
            int[] uo = m.userOffsets();
            int[] items = m.userItems();
            float[] vals = m.userValues();
            for (int u = 0; u < nu; u++) {
                for (int t = uo[u]; t < uo[u + 1]; t++) {
                    double e = vals[t] - model.predict(u, items[t]);
                    sse += e * e;
                }
            }
            double frob = a.frobeniusSq();
            double kept = 0;
            for (double s : sigma) {
                kept += s * s;
            }
            figures.put("train_rmse", Math.sqrt(sse / Math.max(1, m.nnz())));
            figures.put("energy", frob > 0 ? kept / frob : 0);
        }

        @Override
        public SvdModel snapshot() {
            return model;
        }
    }

    /**
     * Fills {@code sigma[0..kk)}, and the first {@code kk} columns of the row-major factor arrays
     * (row stride {@code k}); the rest stays 0.
     */
    static void factorize(Centred a, Parallel par, int l, int kk, Rng rng, double[] sigma, float[] userF,
                          float[] itemF, int k) {
        int nu = a.m.numUsers();
        int ni = a.m.numItems();
        double[] omega = new double[ni * l];
        for (int t = 0; t < omega.length; t++) {
            omega[t] = rng.nextGaussian();
        }
        double[] q = orthonormalize(a.times(par, omega, l), nu, l);
        for (int it = 0; it < a.powerIters; it++) {
            double[] z = orthonormalize(a.transposeTimes(par, q, l), ni, l);
            q = orthonormalize(a.times(par, z, l), nu, l);
        }
        // B^T = A^T Q = Q2 R
        DMatrixRMaj bt = DMatrixRMaj.wrap(ni, l, a.transposeTimes(par, q, l));
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(ni, l);
        if (!qr.decompose(bt)) {
            throw new ArithmeticException("QR of the projected block failed");
        }
        DMatrixRMaj q2 = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        DMatrixRMaj rt = new DMatrixRMaj(l, l);
        org.ejml.dense.row.CommonOps_DDRM.transpose(r, rt);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(l, l, true, true, false);
        if (!svd.decompose(rt)) {
            throw new ArithmeticException("SVD of the projected block failed");
        }
        DMatrixRMaj w = svd.getV(null, false);
        DMatrixRMaj s = svd.getW(null);
        SingularOps_DDRM.descendingOrder(null, false, s, w, false);
        // V = Q2 W (items x l); keep the first kk columns
        DMatrixRMaj v = new DMatrixRMaj(ni, l);
        org.ejml.dense.row.CommonOps_DDRM.mult(q2, w, v);
        double smax = s.get(0, 0);
        double[] vs = new double[ni * l]; // V S^(-1/2), for the user pass
        for (int f = 0; f < kk; f++) {
            double sf = s.get(f, f);
            boolean keep = sf > 1e-12 * smax && sf > 0;
            sigma[f] = keep ? sf : 0;
            double root = Math.sqrt(sf);
            for (int i = 0; i < ni; i++) {
                double vif = v.get(i, f);
                itemF[i * k + f] = keep ? (float) (vif * root) : 0f;
                vs[i * l + f] = keep ? vif / root : 0;
            }
        }
        double[] pu = a.times(par, vs, l);
        for (int u = 0; u < nu; u++) {
            for (int f = 0; f < kk; f++) {
                userF[u * k + f] = (float) pu[u * l + f];
            }
        }
    }

    /** An orthonormal basis of the columns of the row-major {@code rows x cols} block (thin QR). */
    static double[] orthonormalize(double[] block, int rows, int cols) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, cols);
        if (!qr.decompose(DMatrixRMaj.wrap(rows, cols, block))) {
            throw new ArithmeticException("QR failed");
        }
        return qr.getQ(null, true).data;
    }

    /** The centred sparse matrix A, applied to dense blocks without being formed. */
    final class Centred {
        final RatingMatrix m;
        final double mu;
        final float[] bu;
        final float[] bi;
        final int powerIters = config.powerIters();

        Centred(RatingMatrix m, double mu, float[] bu, float[] bi) {
            this.m = m;
            this.mu = mu;
            this.bu = bu;
            this.bi = bi;
        }

        /** {@code A X} for a row-major {@code items x l} block X; result {@code users x l}. */
        double[] times(Parallel par, double[] x, int l) {
            int nu = m.numUsers();
            double[] y = new double[nu * l];
            int[] off = m.userOffsets();
            int[] idx = m.userItems();
            float[] val = m.userValues();
            par.forBlocks(nu, BLOCK, (b, from, to) -> {
                for (int u = from; u < to; u++) {
                    double base = mu + (bu == null ? 0 : bu[u]);
                    int yo = u * l;
                    for (int t = off[u]; t < off[u + 1]; t++) {
                        int i = idx[t];
                        double av = val[t] - base - (bi == null ? 0 : bi[i]);
                        int xo = i * l;
                        for (int c = 0; c < l; c++) {
                            y[yo + c] += av * x[xo + c];
                        }
                    }
                }
            });
            return y;
        }

        /** {@code A^T Y} for a row-major {@code users x l} block Y; result {@code items x l}. */
        double[] transposeTimes(Parallel par, double[] y, int l) {
            int ni = m.numItems();
            double[] z = new double[ni * l];
            int[] off = m.itemOffsets();
            int[] idx = m.itemUsers();
            float[] val = m.itemValues();
            par.forBlocks(ni, BLOCK, (b, from, to) -> {
                for (int i = from; i < to; i++) {
                    double base = mu + (bi == null ? 0 : bi[i]);
                    int zo = i * l;
                    for (int t = off[i]; t < off[i + 1]; t++) {
                        int u = idx[t];
                        double av = val[t] - base - (bu == null ? 0 : bu[u]);
                        int yo = u * l;
                        for (int c = 0; c < l; c++) {
                            z[zo + c] += av * y[yo + c];
                        }
                    }
                }
            });
            return z;
        }

        double frobeniusSq() {
            int[] off = m.userOffsets();
            int[] idx = m.userItems();
            float[] val = m.userValues();
            double s = 0;
            for (int u = 0; u < m.numUsers(); u++) {
                for (int t = off[u]; t < off[u + 1]; t++) {
                    double av = val[t] - mu - (bu == null ? 0 : bu[u]) - (bi == null ? 0 : bi[idx[t]]);
                    s += av * av;
                }
            }
            return s;
        }
    }
}
