package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.optim.Optimizer;
import org.varec.optim.ParamAdam;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/** Small end-to-end trainings of an {@link Mlp}. */
class TrainingTest {
    /** A 2-8-1 tanh network learns XOR with the logistic loss and Adam, from any of these seeds. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void mlpLearnsXor(long seed) {
        float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
        float[] t = {0, 1, 1, 0};
        Mlp mlp = Mlp.of("xor", new int[] {2, 8, 1}, Activation.TANH, Activation.IDENTITY).initialize(new Rng(seed));
        Optimizer adam = ParamAdam.of(0.05);
        float[] z = new float[4];
        float[] dz = new float[4];
        double loss = Double.NaN;
        try (Parallel pool = new Parallel(1)) {
            for (int it = 0; it < 1000; it++) {
                Optimizer.zeroGrad(mlp.params());
                mlp.forward(x, z, 4, pool);
                loss = Loss.LOGISTIC.evaluate(z, t, null, dz, 4, 1, pool);
                mlp.backward(x, z, dz, null, 4, pool);
                adam.step(mlp.params());
            }
        }
        assertTrue(loss < 0.05, "final loss " + loss);
        for (int r = 0; r < 4; r++) {
            assertTrue((z[r] > 0) == (t[r] == 1), "row " + r + " logit " + z[r]);
        }
    }

    private static float[] train(long seed, int threads) {
        Rng rng = new Rng(seed);
        int batch = 200;
        Mlp mlp = Mlp.of("m", new int[] {30, 50, 50, 1}, Activation.SIGMOID, Activation.IDENTITY).initialize(rng);
        float[] x = Reference.gaussian(rng, batch * 30, 1);
        float[] t = Reference.gaussian(rng, batch, 1);
        float[] y = new float[batch];
        float[] dy = new float[batch];
        Optimizer opt = ParamAdam.of(1e-2);
        try (Parallel pool = new Parallel(threads)) {
            for (int it = 0; it < 20; it++) {
                Optimizer.zeroGrad(mlp.params());
                mlp.forward(x, y, batch, pool);
                Loss.SQUARED_ERROR.evaluate(y, t, null, dy, batch, 1, pool);
                mlp.backward(x, y, dy, null, batch, pool);
                opt.step(mlp.params());
            }
        }
        List<ParamArray> p = mlp.params();
        float[] all = new float[p.stream().mapToInt(ParamArray::size).sum()];
        int o = 0;
        for (ParamArray a : p) {
            System.arraycopy(a.value(), 0, all, o, a.size());
            o += a.size();
        }
        return all;
    }

    /** The same seed gives the same network for every thread count (fixed blocks). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void trainingIsDeterministicAcrossThreadCounts(long seed) {
        float[] one = train(seed, 1);
        assertArrayEquals(one, train(seed, 1));
        assertArrayEquals(one, train(seed, 2));
        assertArrayEquals(one, train(seed, 3));
    }
}
