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
import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.model.als.AlsConfig;
import org.varec.model.als.AlsTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * One full ALS sweep (all users, then all items; K x K ridge solves with biases) over ML-1M-sized
 * data: target <= 0.1 s at K = 10 on 2 cores. {@code -p data=/path/to/ml-1m} uses the real
 * MovieLens 1M ratings; the default {@code synthetic} is {@link BenchData#ratings}.
 *
 * <pre>bin/bench AlsSweep -p threads=2 -p data=/work/shared/data/ml-1m</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AlsSweepBenchmark {
    @Param({"10"})
    public int rank;

    @Param({"1", "2"})
    public int threads;

    @Param({"synthetic"})
    public String data;

    private Parallel pool;
    private AlsTrainer.Run run;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Interactions r = BenchData.ratings(data);
        AlsConfig c = new AlsConfig(rank, 1, 12, 4, 1, 0.1);
        pool = new Parallel(threads);
        run = AlsTrainer.plain(c).start(TrainingData.of(r, RatingScale.UNBOUNDED), 42, pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public void sweep() {
        run.sweep();
    }
}
