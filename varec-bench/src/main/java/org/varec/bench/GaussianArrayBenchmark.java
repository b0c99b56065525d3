package org.varec.bench;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.varec.nn.GaussianArray;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * The per-step overhead of mean-field Gaussian embedding tables in bnnmf: draw every row of a
 * {@code rows x cols} table (w = mu + softplus(rho) eps, one xoshiro stream per row), chain a
 * gradient into mean and rho, and add the KL gradient. The default shape is ML-1M's bnnmf tables
 * stacked: (6040 users + 3706 items) x (K + D K') = 9746 x 70 entries; a minibatch of 30,000
 * ratings touches nearly all of them, so an ML-1M epoch (34 steps) costs about 34 times this.
 *
 * <pre>bin/bench GaussianArray -p threads=1,2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GaussianArrayBenchmark {
    @Param({"9746"})
    public int rows;

    @Param({"70"})
    public int cols;

    @Param({"1", "2"})
    public int threads;

    private GaussianArray table;
    private Parallel pool;
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        table = GaussianArray.dense("table", rows, cols);
        table.init(new Rng(1), 0.1, 0.01);
        pool = new Parallel(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** Sampling alone. */
    @Benchmark
    public float draw() {
        table.draw(42, ++step, 0, pool);
        return table.sample().value()[0];
    }

    /** A whole step's overhead: draw, chain dL/dw into mean and rho, add the KL gradient. */
    @Benchmark
    public float drawChainKl() {
        table.draw(42, ++step, 0, pool);
        java.util.Arrays.fill(table.sample().grad(), 1e-3f);
        table.accumulateGradients(1.0, pool);
        table.addKlGradient(0.03, pool);
        table.mean().zeroGrad();
        table.rho().zeroGrad();
        return table.rho().grad()[0];
    }
}
