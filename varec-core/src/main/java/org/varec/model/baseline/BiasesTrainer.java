package org.varec.model.baseline;

import org.varec.data.RatingMatrix;
import org.varec.model.Trainer;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * Fits {@code r_ui ~ mu + b_u + b_i} by exact coordinate minimisation of
 * <pre>
 *   J(b) = sum_(u,i) (r_ui - mu - b_u - b_i)^2 + reg_user * sum_u b_u^2 + reg_item * sum_i b_i^2
 * </pre>
 * with mu fixed at the training mean. Given the item biases, each user's bias has the closed form
 * {@code b_u = sum_i (r_ui - mu - b_i) / (reg_user + n_u)} and vice versa, so every half-sweep
 * minimises J exactly over one block and J never increases (tested).
 * Users (then items) are independent given the other side and are solved in parallel blocks, so
 * the result does not depend on the thread count; there is no randomness.
 *
 * <p>The shared loop ({@link org.varec.train.Training}) drives it: {@link #start} makes a {@link Run}
 * with all biases at 0, and one epoch is one sweep (all users, then all items).
 */
public final class BiasesTrainer implements Trainer<BiasesModel> {
    private static final int BLOCK = 4096;
    private final BiasesConfig config;

    public BiasesTrainer(BiasesConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "biases";
    }

    @Override
    public Run start(TrainingData data, long seed, Parallel pool) {
        return new Run(data.ratings(), pool);
    }

    /**
     * One run: an epoch is one sweep; it reports {@code loss} (J divided by the number of
     * ratings) and {@code train_rmse}. Also used by {@code svd} to centre on the biases, on svd's pool.
     */
    public final class Run implements EpochTrainer<BiasesModel> {
        private final RatingMatrix m;
        private final double mu;
        private final double[] bu;
        private final double[] bi;
        private final Parallel par;

        Run(RatingMatrix m, Parallel pool) {
            this.m = m;
            this.mu = m.mean();
            this.bu = new double[m.numUsers()];
            this.bi = new double[m.numItems()];
            this.par = pool;
        }

        @Override
        public int plannedEpochs() {
            return config.iterations();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            sweep();
            double sse = squaredError(m, mu, bu, bi);
            figures.put("loss", (sse + config.regUser() * sumSq(bu) + config.regItem() * sumSq(bi)) / Math.max(1, m.nnz()));
            figures.put("train_rmse", Math.sqrt(sse / Math.max(1, m.nnz())));
        }

        /** One sweep without figures: every user's bias given the items, then every item's given the users. */
        public void sweep() {
            solveSide(par, m.userOffsets(), m.userItems(), m.userValues(), mu, bi, bu, config.regUser());
            solveSide(par, m.itemOffsets(), m.itemUsers(), m.itemValues(), mu, bu, bi, config.regItem());
        }

        /** The current biases as a model (copied: it stays valid after further sweeps). */
        @Override
        public BiasesModel snapshot() {
            return new BiasesModel(mu, toFloat(bu), toFloat(bi), config.regUser());
        }
    }

    /** For each row r: target[r] = sum_p (v_p - mu - other[idx_p]) / (reg + n_r). */
    private static void solveSide(Parallel par, int[] off, int[] idx, float[] val, double mu, double[] other,
                                  double[] target, double reg) {
        par.forBlocks(target.length, BLOCK, (b, from, to) -> {
            for (int r = from; r < to; r++) {
                double s = 0;
                for (int p = off[r]; p < off[r + 1]; p++) {
                    s += val[p] - mu - other[idx[p]];
                }
                int n = off[r + 1] - off[r];
                target[r] = n == 0 ? 0 : s / (reg + n);
            }
        });
    }

    static double squaredError(RatingMatrix m, double mu, double[] bu, double[] bi) {
        int[] off = m.userOffsets();
        int[] items = m.userItems();
        float[] vals = m.userValues();
        double s = 0;
        for (int u = 0; u < m.numUsers(); u++) {
            for (int p = off[u]; p < off[u + 1]; p++) {
                double e = vals[p] - mu - bu[u] - bi[items[p]];
                s += e * e;
            }
        }
        return s;
    }

    private static double sumSq(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
