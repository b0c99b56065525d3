package org.varec.model.fm;

import java.util.function.Function;
import org.varec.data.FmLayout;
import org.varec.data.SparseDesign;
import org.varec.stats.Rng;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * Online variational Bayes FM (Saha et al. 2017's online variant): stochastic variational inference
 * over shuffled mini-batches. For each coordinate theta of w0 and of the features present in the
 * batch, the batch's coefficients a, b ({@link VbfmState}) are scaled to the whole data
 * ({@code N/|B|} for w0, {@code N_k / N_k^B} for feature k), giving the coordinate optimum's natural
 * parameters {@code (lambda nu + alpha s b, lambda + alpha s a)}; the posterior's natural parameters
 * {@code (m/s^2, 1/s^2)} move a step rho_t = (t + delay)^-forget towards them (a natural-gradient
 * step of the ELBO). The noise precision takes the same step towards {@code N / (N/|B| sum_B F_i)};
 * the group priors are refitted exactly after every epoch. Single-threaded, deterministic for a seed.
 *
 * <p>The shared loop drives it through {@link FmTrainer}, on ratings or on any design matrix: one
 * epoch is one pass of natural-gradient steps over the shuffled rows, then the prior refit; it
 * reports {@code elbo} (per rating, exact) and {@code noise_sd}.
 */
public final class OvbfmTrainer extends FmTrainer<VfmPosterior, VfmModel> {
    private final OvbfmConfig c;

    public OvbfmTrainer(OvbfmConfig config) {
        super("ovbfm", config.side());
        this.c = config;
    }

    @Override
    Run run(SparseDesign train, int numGroups, long seed, Parallel pool) {
        return new Run(new VbfmState(c.rank(), FmDesign.of(train, train.numFeatures()), numGroups, c.initStdev(), seed),
                seed);
    }

    @Override
    Function<VfmPosterior, VfmModel> ratingModel(FmLayout layout) {
        return VfmModel.of(name(), layout);
    }

    /** One online run: the posterior state, the row order, the step count and the batch scratch. */
    final class Run implements EpochTrainer<VfmPosterior> {
        private final VbfmState s;
        private final long seed;
        private final int[] order;
        private final int batch;
        /** Rows of the batch holding each present feature (CSR over the present features). */
        private final int[] cnt;
        private final int[] present;
        private final int[] off;
        private final int[] slot;
        private final int[] list;
        private final double[] ab = new double[2];
        /** Steps taken. */
        private long t;

        Run(VbfmState s, long seed) {
            this.s = s;
            this.seed = seed;
            int n = s.n;
            int K = s.K;
            this.order = new int[n];
            for (int q = 0; q < n; q++) {
                order[q] = q;
            }
            this.batch = Math.min(c.batchSize(), Math.max(1, n));
            this.cnt = new int[K];
            this.present = new int[K];
            this.off = new int[K + 1];
            this.slot = new int[K];
            this.list = new int[batch * Math.max(1, s.design.maxRowLength)];
        }

        @Override
        public int plannedEpochs() {
            return c.epochs();
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            int n = s.n;
            int d = s.d;
            int[] rowOff = s.design.rowOff;
            int[] rowIdx = s.design.rowIdx;
            Rng.stream(seed, 1_000 + epoch).shuffle(order);
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                double rho = Math.pow(++t + c.delay(), -c.forget());
                // features present in the batch, rows per feature (CSR)
                int np = 0;
                for (int q = from; q < to; q++) {
                    int r = order[q];
                    for (int a = rowOff[r]; a < rowOff[r + 1]; a++) {
                        if (cnt[rowIdx[a]]++ == 0) {
                            present[np++] = rowIdx[a];
                        }
                    }
                }
                java.util.Arrays.sort(present, 0, np);
                int at = 0;
                for (int i = 0; i < np; i++) {
                    int k = present[i];
                    off[i] = at;
                    slot[k] = at;
                    at += cnt[k];
                }
                off[np] = at;
                for (int q = from; q < to; q++) {
                    int r = order[q];
                    for (int a = rowOff[r]; a < rowOff[r + 1]; a++) {
                        list[slot[rowIdx[a]]++] = r;
                    }
                }
                // w0
                double scale0 = (double) n / (to - from);
                s.coefficients(-1, 0, order, from, to, ab);
                double prec = 1 + s.alpha * scale0 * ab[0];
                double eta = s.alpha * scale0 * ab[1];
                double newPrec = (1 - rho) / s.s0 + rho * prec;
                double newEta = (1 - rho) * s.m0 / s.s0 + rho * eta;
                s.m0 = newEta / newPrec;
                s.s0 = 1 / newPrec;
                // present features
                for (int i = 0; i < np; i++) {
                    int k = present[i];
                    double scale = (double) s.nk[k] / cnt[k];
                    for (int cc = 0; cc <= d; cc++) {
                        s.coefficients(k, cc, list, off[i], off[i + 1], ab);
                        int pi = s.prior(k, cc);
                        double pr = s.lam[pi] + s.alpha * scale * ab[0];
                        double et = s.lam[pi] * s.nu[pi] + s.alpha * scale * ab[1];
                        double v = s.var(k, cc);
                        double np2 = (1 - rho) / v + rho * pr;
                        double ne = (1 - rho) * s.mean(k, cc) / v + rho * et;
                        s.set(k, cc, ne / np2, 1 / np2);
                    }
                }
                // noise precision
                double sf = 0;
                for (int q = from; q < to; q++) {
                    sf += s.residual(order[q]);
                }
                double alphaHat = n / (scale0 * sf);
                s.alpha = (1 - rho) * s.alpha + rho * alphaHat;
                for (int i = 0; i < np; i++) {
                    cnt[present[i]] = 0;
                }
            }
            s.updatePriors();
            figures.put("elbo", s.elbo() / Math.max(1, n));
            figures.put("noise_sd", 1 / Math.sqrt(s.alpha));
        }

        @Override
        public VfmPosterior snapshot() {
            return s.posterior();
        }
    }
}
