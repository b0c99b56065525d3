package org.varec.eval;

import java.util.Arrays;
import java.util.List;
import org.varec.stats.SpecialFunctions;

/**
 * The Friedman test of k models over N blocks (Demsar 2006, "Statistical Comparisons of
 * Classifiers over Multiple Data Sets", JMLR 7, section 3.2.2), as the VAE-BMF paper ranks its
 * models (section 4.4, Fig. 2). In each block (a dataset; or a protocol, seed or split) the models
 * are ranked, 1 for the best, ties sharing the average of their ranks; with the mean ranks R_j:
 * <pre>
 *   chi2_F = 12 N / (k (k + 1)) [ sum_j R_j^2 - k (k + 1)^2 / 4 ]        chi-square, k - 1 df
 *   F_F    = (N - 1) chi2_F / (N (k - 1) - chi2_F)                       F, (k - 1, (k - 1)(N - 1)) df
 * </pre>
 * {@code F_F} is Iman and Davenport's correction, less conservative than chi2_F (Demsar's
 * recommendation); both statistics and p-values are reported, and {@link #p()} is Iman-Davenport's.
 * The null hypothesis is that all models are equivalent (equal expected ranks). When it is
 * rejected, {@link Nemenyi} tells which pairs differ.
 *
 * @param models       model names, in the order of the columns
 * @param blocks       N, the number of blocks
 * @param meanRanks    R_j per model (1 = best)
 * @param chiSquare    chi2_F
 * @param chiSquareP   P(chi-square with k - 1 df > chi2_F)
 * @param imanDavenport F_F (infinite when every block ranks the models the same way)
 * @param p            P(F with (k - 1, (k - 1)(N - 1)) df > F_F)
 */
public record FriedmanTest(List<String> models, int blocks, double[] meanRanks, double chiSquare, double chiSquareP,
                           double imanDavenport, double p) {

    /**
     * The test on {@code values[block][model]}.
     *
     * @param higherIsBetter whether a larger value ranks first (NDCG) or a smaller one (RMSE)
     */
    public static FriedmanTest of(List<String> models, double[][] values, boolean higherIsBetter) {
        int k = models.size();
        int n = values.length;
        if (k < 2) {
            throw new IllegalArgumentException("the Friedman test compares at least 2 models, got " + k);
        }
        if (n < 2) {
            throw new IllegalArgumentException("the Friedman test needs at least 2 blocks (datasets), got " + n);
        }
        double[] sum = new double[k];
        for (int b = 0; b < n; b++) {
            if (values[b].length != k) {
                throw new IllegalArgumentException("block " + b + " has " + values[b].length + " values for " + k + " models");
            }
            double[] r = ranks(values[b], higherIsBetter);
            for (int j = 0; j < k; j++) {
                sum[j] += r[j];
            }
        }
        double[] mean = new double[k];
        double sq = 0;
        for (int j = 0; j < k; j++) {
            mean[j] = sum[j] / n;
            sq += mean[j] * mean[j];
        }
        double chi = 12.0 * n / (k * (k + 1.0)) * (sq - k * (k + 1.0) * (k + 1.0) / 4);
        chi = Math.max(0, chi); // rounding below zero when all mean ranks are equal
        double denom = n * (k - 1.0) - chi;
        double ff = denom <= 0 ? Double.POSITIVE_INFINITY : (n - 1) * chi / denom;
        double pChi = SpecialFunctions.chiSquareSurvival(chi, k - 1);
        double pF = Double.isInfinite(ff) ? 0 : SpecialFunctions.fSurvival(ff, k - 1, (k - 1.0) * (n - 1));
        return new FriedmanTest(List.copyOf(models), n, mean, chi, pChi, ff, pF);
    }

    /**
     * Ranks of {@code row}, 1 for the best, ties sharing the mean of the ranks they span (Demsar's
     * convention). NaN values are refused: a model without a value in a block cannot be ranked.
     */
    public static double[] ranks(double[] row, boolean higherIsBetter) {
        int k = row.length;
        Integer[] order = new Integer[k]; // k is the number of models: a handful, boxing is harmless here
        for (int j = 0; j < k; j++) {
            if (Double.isNaN(row[j])) {
                throw new IllegalArgumentException("value " + j + " is NaN: every model needs a value in every block");
            }
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> higherIsBetter ? Double.compare(row[y], row[x]) : Double.compare(row[x], row[y]));
        double[] r = new double[k];
        for (int a = 0; a < k; ) {
            int b = a;
            while (b + 1 < k && row[order[b + 1]] == row[order[a]]) {
                b++;
            }
            double avg = (a + b) / 2.0 + 1; // ranks a+1 .. b+1 shared
            for (int t = a; t <= b; t++) {
                r[order[t]] = avg;
            }
            a = b + 1;
        }
        return r;
    }
}
