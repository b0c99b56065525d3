package org.varec.bench;

import java.util.List;
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
import org.varec.data.FmLayout;
import org.varec.data.RatingMatrix;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.fm.FmPredictor;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.util.Parallel;

/**
 * One Gibbs sweep of fm-mcmc (d = 8) over the design of user and item ids of a rating set (what a
 * libFM file of user and item one-hots holds), with libFM's coordinate sweep and with the block
 * sweep ({@code sweep=block}, docs/fm.md "Two sweeps"), once compiled: whole runs also pay
 * for the first sweeps' JIT warm-up (docs/benchmarks.md). The design is every rating of the data
 * (ML-1M: 1,000,209 rows), not a training split.
 *
 * <pre>bin/bench FmSweep -p data=$VAREC_DATA/ml-1m -p threads=1,2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FmSweepBenchmark {
    @Param({"coordinate", "block"})
    public String sweep;

    @Param({"1", "2"})
    public int threads;

    @Param({"synthetic"})
    public String data;

    private EpochTrainer<FmPredictor> run;
    private Parallel parallel;
    private int epoch;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RatingMatrix m = RatingMatrix.of(BenchData.ratings(data));
        var algorithm = Algorithms.get("fm-mcmc");
        // burn_in just below iterations: no sample is kept, so the sweeps do not pile up copies
        AlgorithmConfig c = algorithm.parseConfig(Params.parse(List.of("rank=8", "iterations=1000000",
                "burn_in=999999", "sweep=" + sweep)));
        parallel = new Parallel(threads);
        run = algorithm.designTrainer(c).startDesign(FmLayout.idsOnly(m.numUsers(), m.numItems()).design(m), 42,
                parallel);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public int sweep() {
        run.epoch(++epoch, EpochReport.builder(epoch));
        return epoch;
    }
}
