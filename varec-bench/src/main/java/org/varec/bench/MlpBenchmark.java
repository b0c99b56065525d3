package org.varec.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.varec.nn.Activation;
import org.varec.nn.Kernels;
import org.varec.nn.Mlp;
import org.varec.optim.Optimizer;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * One training step's network work for NNMF's network: forward and backward of an 80-50-50-50-1
 * MLP (sigmoid hidden units, linear output) over a batch of 1024 rows, gradients cleared first.
 * The score is in GFLOP/s (JMH "ops/ns", one op = one floating-point operation of the dense
 * products): per row 2 x 9,050 for the forward pass, 2 x 9,050 for the weight gradients and
 * 2 x 5,050 for the input gradients of layers 2-4 (the first layer's input gradient is not needed),
 * 46,300 in all, 47.4 MFLOP per step. Activations, bias sums and clearing are timed but not
 * counted. Target: >= 5 GFLOP/s per core.
 *
 * <p>{@code step} runs the Vector API kernels (forks add {@code jdk.incubator.vector}); {@code stepScalar}
 * the scalar fallback the CLI uses while its launcher does not add the module.
 *
 * <pre>bin/bench MlpBenchmark -p threads=1,2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpBenchmark {
    static final int BATCH = 1024;
    static final int FLOPS = BATCH * 2 * (9050 + 9050 + 5050);

    @Param({"1", "2"})
    public int threads;

    private Mlp mlp;
    private float[] x;
    private float[] out;
    private float[] dOut;
    private Parallel pool;

    @Setup
    public void setUp() {
        Rng rng = new Rng(1);
        mlp = Mlp.of("bench", new int[] {80, 50, 50, 50, 1}, Activation.SIGMOID, Activation.IDENTITY).initialize(rng);
        x = new float[BATCH * 80];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) rng.nextGaussian();
        }
        out = new float[BATCH];
        dOut = new float[BATCH];
        for (int e = 0; e < dOut.length; e++) {
            dOut[e] = (float) rng.nextGaussian();
        }
        pool = new Parallel(threads);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    private float forwardBackward() {
        Optimizer.zeroGrad(mlp.params());
        mlp.forward(x, out, BATCH, pool);
        mlp.backward(x, out, dOut, null, BATCH, pool);
        return out[0] + mlp.params().get(0).grad()[0];
    }

    @Benchmark
    @OperationsPerInvocation(FLOPS)
    public float step() {
        if (!Kernels.vectorized()) {
            throw new IllegalStateException("the Vector API kernels are not in use");
        }
        return forwardBackward();
    }

    @Benchmark
    @OperationsPerInvocation(FLOPS)
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dvarec.nn.vector=false"})
    public float stepScalar() {
        if (Kernels.vectorized()) {
            throw new IllegalStateException("the scalar kernels are not in use");
        }
        return forwardBackward();
    }
}
