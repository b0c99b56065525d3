package org.varec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.varec.linalg.Gram;

/**
 * The Gram accumulation of one row solve ({@link Gram}): {@code n} rated rows of dimension
 * {@code d} added into a d x d lower triangle, one row at a time ({@code addOuter}), four indexed
 * rows of a factor table at a time ({@code addOuters}: ALS, vbmf, fold-in; register-blocked for
 * d <= {@code Gram.BLOCKED_MAX_K}) or eight gathered rows at a time ({@code addWeightedOuters}:
 * bpmf). Time per row solve's accumulation; divide by {@code n} for the cost per rating. Run with
 * {@code -jvmArgsAppend -XX:UseAVX=2} to see a machine without AVX-512's 32 registers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GramBenchmark {
    @Param({"8", "10", "11", "16", "21", "51"})
    public int d;

    @Param({"200"})
    public int n;

    private float[] rowsF;
    private double[] rowsD;
    private double[] g;
    private float[] table;
    private int[] idx;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        rowsF = new float[n * d];
        rowsD = new double[n * d];
        for (int i = 0; i < rowsF.length; i++) {
            rowsF[i] = (float) rnd.nextGaussian();
            rowsD[i] = rowsF[i];
        }
        g = new double[d * d];
        int tableRows = 4000; // about ML-1M's items: a factor table read at random rows
        table = new float[tableRows * d];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) rnd.nextGaussian();
        }
        idx = new int[n];
        for (int q = 0; q < n; q++) {
            idx[q] = rnd.nextInt(tableRows);
        }
    }

    @Benchmark
    public double fourIndexedRowsAtATime() {
        java.util.Arrays.fill(g, 0);
        Gram.addOuters(g, d, table, idx, 0, n, d);
        return g[d * d - 1];
    }

    @Benchmark
    public double oneRowAtATime() {
        java.util.Arrays.fill(g, 0);
        for (int q = 0; q < n; q++) {
            Gram.addOuter(g, d, rowsF, q * d, d);
        }
        return g[d * d - 1];
    }

    @Benchmark
    public double eightRowsAtATime() {
        java.util.Arrays.fill(g, 0);
        Gram.addWeightedOuters(g, d, rowsD, null, n);
        return g[d * d - 1];
    }
}
