package org.varec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.varec.linalg.Cholesky;

/**
 * Why ALS and fold-in solve their K x K systems with the hand-written {@link Cholesky} instead of a
 * library call: one ALS sweep over ML-1M is ~10,000 such solves, and at K = 10..50 a solver
 * object's copying and bookkeeping cost more than the arithmetic. Compares, per solve of one SPD
 * system: varec's in-place Cholesky on a reused {@code double[]} vs EJML's Cholesky linear
 * solver (the fastest EJML path: reused solver and matrices, {@code setA} + {@code solve}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RowSolveBenchmark {
    @Param({"10", "20", "50"})
    public int k;

    private double[] spd;
    private double[] rhs;
    private double[] a;
    private double[] b;
    private DMatrixRMaj ea;
    private DMatrixRMaj eb;
    private DMatrixRMaj ex;
    private LinearSolverDense<DMatrixRMaj> solver;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] x = new double[3 * k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        spd = new double[k * k];
        for (int i = 0; i < k; i++) { // X^T X + I, X 3k x k
            for (int j = 0; j < k; j++) {
                double s = i == j ? 1 : 0;
                for (int r = 0; r < 3 * k; r++) {
                    s += x[r * k + i] * x[r * k + j];
                }
                spd[i * k + j] = s;
            }
        }
        rhs = new double[k];
        for (int i = 0; i < k; i++) {
            rhs[i] = rnd.nextGaussian();
        }
        a = new double[k * k];
        b = new double[k];
        ea = new DMatrixRMaj(k, k);
        eb = new DMatrixRMaj(k, 1);
        ex = new DMatrixRMaj(k, 1);
        solver = LinearSolverFactory_DDRM.chol(k);
    }

    @Benchmark
    public double varecCholesky() {
        System.arraycopy(spd, 0, a, 0, a.length);
        System.arraycopy(rhs, 0, b, 0, b.length);
        Cholesky.solve(a, k, b);
        return b[0];
    }

    @Benchmark
    public double ejmlCholesky() {
        System.arraycopy(spd, 0, ea.data, 0, spd.length);
        System.arraycopy(rhs, 0, eb.data, 0, rhs.length);
        if (!solver.setA(ea)) {
            throw new IllegalStateException("not SPD");
        }
        solver.solve(eb, ex);
        return ex.data[0];
    }
}
