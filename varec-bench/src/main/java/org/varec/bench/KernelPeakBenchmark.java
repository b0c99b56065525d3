package org.varec.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.varec.nn.Kernels;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * Reference points for {@link MlpBenchmark}, one thread, in GFLOP/s (JMH "ops/ns"):
 * <ul>
 *   <li>{@code fmaPeak}: the Vector API's fused multiply-add throughput with the preferred species,
 *       12 independent accumulator chains in registers, no memory traffic: the machine's FMA peak
 *       as Java can reach it.</li>
 *   <li>{@code affinePeak}: the dense kernel ({@link Kernels#affine}) on a shape it likes,
 *       256 x 256 times 256 x 64 (columns a multiple of 32, data in L2): the best the kernel does.</li>
 * </ul>
 *
 * <pre>bin/bench KernelPeakBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelPeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lane-FMAs per fmaPeak call: 12 chains x 16 lanes x 1024 steps (x 2048 steps at 8 lanes). */
    static final int LANE_FMAS = 12 * 16 * 1024;
    static final int M = 256;
    static final int K = 256;
    static final int N = 64;

    private float[] a;
    private float[] b;
    private float[] c;
    private float[] seed;
    private Parallel pool;

    @Setup
    public void setUp() {
        Rng rng = new Rng(2);
        a = random(rng, M * K);
        b = random(rng, K * N);
        c = new float[M * N];
        seed = random(rng, 2 * S.length());
        pool = new Parallel(1);
    }

    private static float[] random(Rng rng, int n) {
        float[] v = new float[n];
        for (int e = 0; e < n; e++) {
            v[e] = (float) (rng.nextDouble() * 1e-3);
        }
        return v;
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(2 * LANE_FMAS)
    public float fmaPeak() {
        FloatVector m = FloatVector.fromArray(S, seed, 0);
        FloatVector d = FloatVector.fromArray(S, seed, S.length());
        FloatVector x0 = d;
        FloatVector x1 = d.add(1f);
        FloatVector x2 = d.add(2f);
        FloatVector x3 = d.add(3f);
        FloatVector x4 = d.add(4f);
        FloatVector x5 = d.add(5f);
        FloatVector x6 = d.add(6f);
        FloatVector x7 = d.add(7f);
        FloatVector x8 = d.add(8f);
        FloatVector x9 = d.add(9f);
        FloatVector x10 = d.add(10f);
        FloatVector x11 = d.add(11f);
        int steps = LANE_FMAS / (12 * S.length());
        for (int s = 0; s < steps; s++) {
            x0 = x0.fma(m, d);
            x1 = x1.fma(m, d);
            x2 = x2.fma(m, d);
            x3 = x3.fma(m, d);
            x4 = x4.fma(m, d);
            x5 = x5.fma(m, d);
            x6 = x6.fma(m, d);
            x7 = x7.fma(m, d);
            x8 = x8.fma(m, d);
            x9 = x9.fma(m, d);
            x10 = x10.fma(m, d);
            x11 = x11.fma(m, d);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    @Benchmark
    @OperationsPerInvocation(2 * M * K * N)
    public float affinePeak() {
        Kernels.affine(a, b, null, c, M, K, N, pool);
        return c[0];
    }
}
