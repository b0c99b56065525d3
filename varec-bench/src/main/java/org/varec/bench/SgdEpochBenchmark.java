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
import org.varec.data.RatingMatrix;
import org.varec.model.mf.BiasMfConfig;
import org.varec.model.mf.BiasMfTrainer;
import org.varec.util.Parallel;

/**
 * One SGD epoch of biased MF ({@code biasmf}) over ML-1M-sized data: every rating visited once in
 * the stratified, chunk-shuffled order (target <= 0.15 s at K = 10 on 2 cores). This is all of
 * an epoch of training but the end-of-epoch penalty sum, O((users + items) K).
 *
 * <pre>bin/bench SgdEpoch -p threads=2 -p data=/work/shared/data/ml-1m</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgdEpochBenchmark {
    @Param({"10", "100"})
    public int rank;

    @Param({"1", "2"})
    public int threads;

    @Param({"synthetic"})
    public String data;

    private BiasMfTrainer.State state;
    private Parallel parallel;
    private int epoch;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RatingMatrix m = RatingMatrix.of(BenchData.ratings(data));
        BiasMfConfig c = new BiasMfConfig(rank, 0.01, 0.06, 0.01, 1000, 0.01, 1.0);
        state = new BiasMfTrainer.State(m, c, 42, threads);
        parallel = new Parallel(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public double epoch() {
        if (!BiasMfTrainer.vectorized()) {
            throw new IllegalStateException("the Vector API SGD pass is not in use");
        }
        return state.epoch(parallel, ++epoch);
    }

    /** The same epoch with the plain-Java pass. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dvarec.nn.vector=false"})
    public double epochScalar() {
        if (BiasMfTrainer.vectorized()) {
            throw new IllegalStateException("the scalar SGD pass is not in use");
        }
        return state.epoch(parallel, ++epoch);
    }
}
