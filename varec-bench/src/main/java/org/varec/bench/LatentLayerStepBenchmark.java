package org.varec.bench;

import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.varec.nn.ParamArray;
import org.varec.nn.SparseInput;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * One training step of a VAE-BMF latent input layer (`SparseInput` over a block input) on ML-1M's
 * item side: 6,040 users x K = 10 input rows of K' = 50 floats (12 MB per array, past this
 * machine's L3 with the gradient and two moments), a batch of 100 items with 135 entries each
 * (270 ratings at dropout 0.5), users drawn at random: the forward block products, the block
 * backward and a lazy Adam step. {@code factored=true} steps along the factored gradient (the
 * default path); {@code false} asks for {@code grad()} between backward and step, so the gradient
 * is written into the array, read and cleared: the path before the factored gradient. Score:
 * milliseconds per step (lower is better); memory-bound, so run on an idle machine.
 *
 * <pre>bin/bench LatentLayerStepBenchmark -p threads=1,2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LatentLayerStepBenchmark {
    static final int ENTITIES = 6040;
    static final int K = 10;
    static final int OUT = 50;
    static final int BATCH = 100;
    static final int PER_ROW = 135;

    @Param({"1", "2"})
    public int threads;

    @Param({"true", "false"})
    public boolean factored;

    private SparseInput layer;
    private ParamAdam adam;
    private List<ParamArray> params;
    private int[] off;
    private int[] idx;
    private float[] table;
    private float[] y;
    private float[] dOut;
    private Parallel pool;

    @Setup
    public void setUp() {
        Rng rng = new Rng(1);
        layer = new SparseInput("latent", ENTITIES * K, OUT);
        float[] w = layer.weights().value();
        for (int e = 0; e < w.length; e++) {
            w[e] = (float) (0.01 * rng.nextGaussian());
        }
        off = new int[BATCH + 1];
        idx = new int[BATCH * PER_ROW];
        for (int r = 0; r < BATCH; r++) {
            off[r + 1] = off[r] + PER_ROW;
            for (int p = off[r]; p < off[r + 1]; p++) {
                idx[p] = rng.nextInt(ENTITIES);
            }
        }
        table = new float[ENTITIES * K];
        for (int e = 0; e < table.length; e++) {
            table[e] = (float) (0.3 * rng.nextGaussian());
        }
        y = new float[BATCH * OUT];
        dOut = new float[BATCH * OUT];
        for (int e = 0; e < dOut.length; e++) {
            dOut[e] = (float) (0.01 * rng.nextGaussian());
        }
        adam = ParamAdam.of(1e-4);
        params = layer.params();
        pool = new Parallel(threads);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float step() {
        layer.forwardBlocks(off, idx, K, table, null, BATCH, y, pool);
        layer.backwardBlocks(off, idx, K, table, null, dOut, BATCH, pool);
        if (!factored) {
            layer.weights().grad(); // written out: the array is written, then read and cleared by the step
        }
        adam.stepAndZeroGrad(params, pool);
        return y[0];
    }
}
