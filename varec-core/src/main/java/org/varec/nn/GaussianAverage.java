package org.varec.nn;

import org.varec.util.Parallel;

/**
 * The running average of the mean-field Gaussian q of a {@link GaussianArray} over the iterates of
 * a stochastic optimisation (Polyak and Juditsky 1992; as stochastic weight averaging, Izmailov et
 * al. 2018): after {@code t} calls of {@link #add}, entry i holds
 * <pre>
 *   mean_i = 1/t sum_s mu_i^(s),    var_i = 1/t sum_s sigma_i^(s)^2
 * </pre>
 * (means averaged as parameters, variances averaged in variance space rather than in rho:
 * {@code softplus} is not linear, and the variance is what q is about). {@link #average} gives q
 * with those means and {@code sigma = sqrt(var)}; with one iterate it is that iterate (up to the
 * float round trip of rho).
 *
 * <p>Layout: {@code double[]} per entry, the size of the array (two doubles per float of q); the
 * sums run in double so that thousands of steps lose nothing. Work is parallel over fixed blocks of
 * entries, each entry updated on its own: the same for any thread count.
 */
public final class GaussianAverage {
    private static final int BLOCK = 4096;

    private final GaussianArray source;
    private final double[] mean;
    private final double[] var;
    private int count;

    public GaussianAverage(GaussianArray source) {
        this.source = source;
        this.mean = new double[source.size()];
        this.var = new double[source.size()];
    }

    /** The array whose iterates are averaged. */
    public GaussianArray source() {
        return source;
    }

    /** Iterates averaged so far. */
    public int count() {
        return count;
    }

    /** Adds the current q of {@link #source()} to the average: {@code avg += (x - avg) / t}. */
    public void add(Parallel pool) {
        count++;
        double w = 1.0 / count;
        float[] mu = source.mean().value();
        float[] rho = source.rho().value();
        pool.forBlocks(mean.length, BLOCK, (b, lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                double s = GaussianArray.softplus(rho[i]);
                mean[i] += (mu[i] - mean[i]) * w;
                var[i] += (s * s - var[i]) * w;
            }
        });
    }

    /**
     * A new array (name, shape, sparsity and prior variances of {@link #source()}) holding the
     * averaged q; the source itself if nothing has been averaged yet.
     */
    public GaussianArray average() {
        if (count == 0) {
            return source;
        }
        GaussianArray a = new GaussianArray(source.name(), source.rows(), source.cols(), source.isSparse());
        float[] mu = a.mean().value();
        float[] rho = a.rho().value();
        for (int i = 0; i < mean.length; i++) {
            mu[i] = (float) mean[i];
            rho[i] = (float) GaussianArray.inverseSoftplus(Math.sqrt(var[i]));
        }
        a.setPriorVariance(source.priorVariance());
        int w = source.priorGroupWidth();
        if (w != source.cols() || source.priorVariance(0) != source.priorVariance()) { // groups (one of cols columns too)
            a.usePriorGroups(w);
            for (int g = 0; g < source.cols() / w; g++) {
                a.setGroupPriorVariance(g, source.priorVariance(g * w));
            }
        }
        return a;
    }
}
