package org.varec.model.als;

import java.util.Arrays;
import org.varec.linalg.Cholesky;
import org.varec.linalg.Gram;
import org.varec.linalg.OuterTable;

/**
 * The row solve shared by ALS, fold-in and any factor model that needs a user's (or item's)
 * vector given the other side: one closed-form ridge regression on the rows the entity rated.
 *
 * <p>For one row (a user, say) with ratings {@code y_p} on items {@code j_p} it returns the
 * vector {@code w} (length {@code rank}) and, when built {@code withBias}, the scalar bias
 * {@code b} minimising
 * <pre>
 *   lambda/2 * sum_p (t_p - w . v_(j_p) - b)^2 + tau/2 * ||w - m||^2 + gamma/2 * b^2
 *   with  t_p = y_p - offset - otherBias[j_p]
 * </pre>
 * where {@code v_j = factors[j*rank .. j*rank+rank)} are the fixed factors of the other side,
 * {@code otherBias} the other side's biases (may be null: zero) and {@code m} an optional prior
 * mean (null: zero). This is eqs (7)-(8) of "Matrix factorization in action" solved jointly,
 * i.e. the (K+1)x(K+1) normal equations of the augmented regressor {@code z_p = [v_(j_p); 1]}:
 * <pre>
 *   (sum_p z_p z_p^T + diag(tau/lambda, ..., tau/lambda, gamma/lambda)) [w; b]
 *       = sum_p z_p t_p + [(tau/lambda) m; 0]
 * </pre>
 * (both sides divided by lambda). Without a bias the system is the K x K one of eq (7)/(9);
 * with a prior mean it is eq (13).
 *
 * <p>Only the lower triangle of the Gram matrix is accumulated (double precision, {@link Gram}), then solved in
 * place by {@link Cholesky}.
 *
 * <p><b>The row's squared error comes with the solve</b> ({@link #squaredError()}): with
 * {@code G = sum_p z_p z_p^T}, {@code c = sum_p z_p t_p}, the ridge diagonal {@code D} and prior term
 * {@code e = [(tau/lambda) m; 0]}, the solution {@code theta} satisfies {@code (G + D) theta = c + e}, so
 * <pre>
 *   sum_p (t_p - z_p . theta)^2 = sum_p t_p^2 - 2 theta . c + theta^T G theta
 *                               = sum_p t_p^2 - theta . c + theta . e - theta^T D theta
 * </pre>
 * in O(K) after the solve, without a second pass over the ratings. It is the error of the solution
 * in double; the floats stored from it differ from it by their rounding (relative 1e-7).
 *
 * <p>An instance holds the scratch arrays and is <b>not</b> thread-safe: use one per thread or
 * per parallel block. It allocates nothing per call (its targets array grows to the longest row
 * once).
 */
public final class RidgeSolver {
    private final int rank;
    private final boolean withBias;
    private final int dim;
    private final double[] a;
    private final double[] rhs;
    /** The right-hand side {@code c} before the prior term and the solve (for the squared error). */
    private final double[] data;
    /** The targets t_p of the row being solved (grown to the longest row). */
    private double[] targets = new double[64];
    /** The squared error of the last solve's row at its solution (see the class comment). */
    private double squaredError;
    /** The sum and the sum of squares of the last row's targets. */
    private double sumT;
    private double sumT2;
    /** The packed Gram accumulator of the table solve. */
    private final double[] packed;

    /**
     * @param rank     K, the length of the factor rows
     * @param withBias whether to solve a bias jointly with the vector (dimension K+1)
     */
    public RidgeSolver(int rank, boolean withBias) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        this.rank = rank;
        this.withBias = withBias;
        this.dim = withBias ? rank + 1 : rank;
        this.a = new double[dim * dim];
        this.rhs = new double[dim];
        this.data = new double[dim];
        this.packed = new double[(int) OuterTable.stride(rank)];
    }

    public int rank() {
        return rank;
    }

    public boolean withBias() {
        return withBias;
    }

    /**
     * {@code sum_p (t_p - w . v_(j_p) - b)^2} of the last {@link #solve}'s row at the solution it
     * returned (0 for a row without ratings), computed from the normal equations (class comment).
     */
    public double squaredError() {
        return squaredError;
    }

    /**
     * Solves one row whose ratings are {@code val[from..to)} on other-side rows
     * {@code idx[from..to)} (the CSR/CSC slice of a {@code RatingMatrix}, or a fold-in list).
     * Every index must be a valid row of {@code factors}.
     *
     * @param factors   the other side's factors, row-major, {@code rank} per row (fixed)
     * @param otherBias the other side's biases, or null for none
     * @param offset    a constant subtracted from every rating (the global mean mu)
     * @param lambda    likelihood precision (> 0)
     * @param tau       precision of the vector prior (>= 0; > 0 or enough ratings for a unique solution)
     * @param gamma     precision of the bias prior (ignored without bias)
     * @param priorMean prior mean of the vector ({@code priorMean[priorOff .. priorOff+rank)}), or null for 0
     * @param out       receives the vector at {@code out[outOff .. outOff+rank)}
     * @return the bias (0 when built without bias)
     * @throws ArithmeticException when the system is singular (no ratings and a zero prior precision)
     */
    public double solve(float[] factors, float[] otherBias, int[] idx, float[] val, int from, int to,
                        double offset, double lambda, double tau, double gamma,
                        float[] priorMean, int priorOff, float[] out, int outOff) {
        final int k = rank;
        final int d = dim;
        final double[] g = a;
        final double[] r = rhs;
        Arrays.fill(g, 0.0);
        Arrays.fill(r, 0.0);
        final double[] ts = targets(otherBias, idx, val, from, to, offset);
        final int biasRow = withBias ? k * d : -1;
        // the K x K block, the right-hand side sum_p v_(j_p) t_p and the bias row sum_p v_(j_p) (the
        // last row of the Gram matrix), in one pass over the rows, four at a time (the same bits as
        // one addOuter and one right-hand side update per rating)
        Gram.addOuters(g, d, factors, idx, from, to, k, ts, r, biasRow);
        return finish(to - from, lambda, tau, gamma, priorMean, priorOff, out, outOff);
    }

    /**
     * {@link #solve(float[], float[], int[], float[], int, int, double, double, double, double, float[], int, float[], int)}
     * with the Gram matrix and the right-hand side summed from {@code table}, the other side's
     * outer-product table (built {@link OuterTable#fill from} the same factors): the right-hand side
     * has the same bits, the Gram matrix differs by the table's float roundings ({@link OuterTable}).
     * Needs a solver built with a bias, of the table's rank.
     */
    public double solve(OuterTable table, float[] otherBias, int[] idx, float[] val, int from, int to,
                        double offset, double lambda, double tau, double gamma,
                        float[] priorMean, int priorOff, float[] out, int outOff) {
        if (!withBias || table.rank() != rank) {
            throw new IllegalArgumentException("an outer-product table of rank " + table.rank()
                    + " serves a solver with a bias of that rank (this one: rank " + rank + ", bias " + withBias + ")");
        }
        Arrays.fill(rhs, 0.0);
        table.gram(packed, idx, from, to, targets(otherBias, idx, val, from, to, offset), rhs, a);
        return finish(to - from, lambda, tau, gamma, priorMean, priorOff, out, outOff);
    }

    /**
     * The targets {@code t_p = val[p] - offset - otherBias[idx[p]]} of the row into {@link #targets}
     * (grown to the row's length), their sum and sum of squares into {@link #sumT}, {@link #sumT2}.
     */
    private double[] targets(float[] otherBias, int[] idx, float[] val, int from, int to, double offset) {
        if (targets.length < to - from) {
            targets = new double[Math.max(to - from, 2 * targets.length)];
        }
        final double[] ts = targets;
        double s = 0;
        double s2 = 0;
        for (int p = from; p < to; p++) {
            double t = val[p] - offset;
            if (otherBias != null) {
                t -= otherBias[idx[p]];
            }
            ts[p - from] = t;
            s += t;
            s2 += t * t;
        }
        sumT = s;
        sumT2 = s2;
        return ts;
    }

    /**
     * With the Gram matrix of the row's {@code n} ratings in {@link #a} and the right-hand side in
     * {@link #rhs}: the bias entries, the ridge and prior terms, the Cholesky solve, the squared
     * error, and the vector into {@code out}; returns the bias.
     */
    private double finish(int n, double lambda, double tau, double gamma, float[] priorMean, int priorOff,
                          float[] out, int outOff) {
        final int k = rank;
        final int d = dim;
        final double[] g = a;
        final double[] r = rhs;
        if (withBias) {
            g[k * d + k] = n;
            r[k] = sumT;
        }
        System.arraycopy(r, 0, data, 0, d);
        double ridge = tau / lambda;
        for (int x = 0; x < k; x++) {
            g[x * d + x] += ridge;
        }
        if (priorMean != null) {
            for (int x = 0; x < k; x++) {
                r[x] += ridge * priorMean[priorOff + x];
            }
        }
        if (withBias) {
            g[k * d + k] += gamma / lambda;
        }
        Cholesky.solve(g, d, r);
        // sum t^2 - theta . c + theta . e - theta^T D theta (class comment)
        double se = sumT2;
        for (int x = 0; x < k; x++) {
            double th = r[x];
            se -= th * data[x];
            if (priorMean != null) {
                se += th * ridge * priorMean[priorOff + x];
            }
            se -= ridge * th * th;
        }
        if (withBias) {
            se -= r[k] * data[k] + gamma / lambda * r[k] * r[k];
        }
        // 0 for a row without ratings (an item only the test file has), without a branch: C2 compiles a
        // branch its profile never saw taken as a trap, and the first such row, late in a half-step,
        // threw the compiled method away (ML-1M ALS: a third compilation, 30 ms of the one C2 thread)
        squaredError = Math.max(0, se) * Math.min(n, 1);
        for (int x = 0; x < k; x++) {
            out[outOff + x] = (float) r[x];
        }
        return withBias ? r[k] : 0.0;
    }
}
